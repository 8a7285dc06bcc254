using System.Net;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Seed;

namespace BoundaryGuard.GraphSandbox.Tests.Protocol;

/// <summary>
/// For each documented Graph operation the sandbox serves, its answer has the documented property names with the
/// documented JSON kinds (corpus: shared/corpus/graph, read at test time).
/// </summary>
public sealed class CorpusShapeTests
{
    private static readonly string Chair = DemoInstitution.MedicineChair.UserPrincipalName;

    [Test]
    public async Task CreateDraft_CorpusRequest_MatchesDocumentedResponse()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var created = await sandbox.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"v1.0/users/{Chair}/messages", SharedCorpus.GraphJson("message-create-draft.request.json"));

        AssertShape("message-create-draft.response.json", created);
        Assert.That(created!["isDraft"]!.GetValue<bool>(), Is.True);
        Assert.That(created["importance"]!.GetValue<string>(), Is.EqualTo("low"));
    }

    [Test]
    public async Task CreateDraft_CorpusRequestWithHeaders_MatchesDocumentedResponse()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var created = await sandbox.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"v1.0/users/{Chair}/messages", SharedCorpus.GraphJson("message-create-draft-with-headers.request.json"));

        AssertShape("message-create-draft-with-headers.response.json", created);
    }

    [Test]
    public async Task GetMessage_Draft_MatchesDocumentedResponse()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var created = await sandbox.CreateDraftAsync(Chair, "Call schedule", DemoInstitution.MedicineResidentPgy1.UserPrincipalName);

        var fetched = await sandbox.GetAsync($"v1.0/users/{Chair}/messages/{created["id"]}");

        AssertShape("message-get.response.json", fetched);
    }

    [Test]
    public async Task UpdateMessage_CorpusRequest_MatchesDocumentedResponse()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var created = await sandbox.CreateDraftAsync(Chair, "Draft", DemoInstitution.MedicineResidentPgy1.UserPrincipalName);

        var updated = await sandbox.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"v1.0/users/{Chair}/messages/{created["id"]}", SharedCorpus.GraphJson("message-update.request.json"));

        AssertShape("message-update.response.json", updated);
        Assert.That(updated!["inferenceClassification"]!.GetValue<string>(), Is.EqualTo("other"));
    }

    [Test]
    public async Task GetMessage_ExpandExtendedPropertyAfterCorpusPatch_MatchesDocumentedResponse()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var created = await sandbox.CreateDraftAsync(Chair, "Draft", DemoInstitution.MedicineResidentPgy1.UserPrincipalName);
        var path = $"v1.0/users/{Chair}/messages/{created["id"]}";
        await sandbox.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, path, SharedCorpus.GraphJson("singlevalueextendedproperty-create-on-message.request.json"));

        var expanded = await sandbox.GetAsync(path + "?$expand=singleValueExtendedProperties($filter=id eq 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color')");

        AssertShape("singlevalueextendedproperty-get-message-expand.response.json", expanded);
        Assert.That(expanded["singleValueExtendedProperties"]![0]!["value"]!.GetValue<string>(), Is.EqualTo("Green"));
    }

    [Test]
    public async Task ListMessages_SelectSenderAndSubject_MatchesDocumentedResponse()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var list = await sandbox.GetAsync($"v1.0/users/{Chair}/messages?$select=sender,subject");

        AssertShape("messages-list-select.response.json", list);
        Assert.That(list["value"]!.AsArray()[0]!.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "@odata.etag", "id", "subject", "sender" }));
    }

    [Test]
    public async Task ListFolderMessages_Inbox_MatchesDocumentedResponse()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var list = await sandbox.GetAsync($"v1.0/users/{Chair}/mailFolders/inbox/messages");

        Assert.That(list["value"]!.AsArray(), Is.Not.Empty, "the seed puts a message in every inbox");
        AssertShape("mailfolder-messages-list.response.json", list);
    }

    [Test]
    public async Task ListMailFolders_MatchesDocumentedResponse()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var list = await sandbox.GetAsync($"v1.0/users/{Chair}/mailFolders");

        AssertShape("mailfolders-list.response.json", list);
    }

    [Test]
    public async Task GetMailFolder_WellKnownInbox_MatchesDocumentedResponse()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var inbox = await sandbox.GetAsync($"v1.0/users/{Chair}/mailFolders/inbox");

        AssertShape("mailfolder-get.response.json", inbox);
        Assert.That(inbox["displayName"]!.GetValue<string>(), Is.EqualTo("Inbox"));
    }

    [Test]
    public async Task MessageDelta_ThreePagesThenNextRound_MatchDocumentedRounds()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await sandbox.CreateDraftAsync(Chair, $"Draft {i}", DemoInstitution.MedicineResidentPgy1.UserPrincipalName))["id"]!.GetValue<string>());
        }

        void PageOfTwo(HttpRequestMessage request) => request.Headers.Add("Prefer", "odata.maxpagesize=2");
        var round1 = await sandbox.GetAsync($"v1.0/users/{Chair}/mailFolders/drafts/messages/delta?$select=subject,sender,isRead", PageOfTwo);
        var round2 = await sandbox.GetAsync(round1["@odata.nextLink"]!.GetValue<string>(), PageOfTwo);
        var round3 = await sandbox.GetAsync(round2["@odata.nextLink"]!.GetValue<string>(), PageOfTwo);
        await sandbox.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"v1.0/users/{Chair}/messages/{ids[0]}");
        await sandbox.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"v1.0/users/{Chair}/messages/{ids[1]}", new JsonObject { ["subject"] = "Changed" });
        var next = await sandbox.GetAsync(round3["@odata.deltaLink"]!.GetValue<string>(), PageOfTwo);

        AssertShape("message-delta-round1-initial.response.json", round1);
        AssertShape("message-delta-round2-skiptoken.response.json", round2);
        AssertShape("message-delta-round3-final-deltalink.response.json", round3);

        // The documented next round writes isRead as the string "true" (a slip in the doc); the sandbox writes a boolean.
        AssertShape("message-delta-next-round-deltatoken.response.json", next, "$.value[1].isRead");
    }

    [Test]
    public async Task GetMailboxSettings_MatchesDocumentedResponse()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var settings = await sandbox.GetAsync($"v1.0/users/{Chair}/mailboxSettings");

        AssertShape("mailboxsettings-get.response.json", settings);
    }

    [Test]
    public async Task GetWorkingHours_CustomZoneUser_MatchesDocumentedResponse()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var hours = await sandbox.GetAsync($"v1.0/users/{DemoInstitution.MedicineCustomZoneFaculty.Id}/mailboxSettings/workingHours");

        AssertShape("mailboxsettings-get-workinghours.response.json", hours);
    }

    [Test]
    public async Task ListCalendars_MatchesDocumentedResponse()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var calendars = await sandbox.GetAsync($"v1.0/users/{DemoInstitution.Closures.UserPrincipalName}/calendars");

        AssertShape("calendars-list.response.json", calendars);
    }

    [TestCase("calendarview-list.response.json")]
    [TestCase("calendar-calendarview-list.response.json")]
    public async Task CalendarView_Closures_MatchesDocumentedResponse(string documented)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var closures = DemoInstitution.Closures.UserPrincipalName;
        var calendars = await sandbox.GetAsync($"v1.0/users/{closures}/calendars");
        var calendarId = calendars["value"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == DemoInstitution.ClosuresCalendarName)!["id"]!.GetValue<string>();

        var view = await sandbox.GetAsync($"v1.0/users/{closures}/calendars/{calendarId}/calendarView?startDateTime=2026-11-01T00:00:00Z&endDateTime=2027-01-31T00:00:00Z");

        Assert.That(view["value"]!.AsArray(), Has.Count.EqualTo(4));
        AssertShape(documented, view);
    }

    [Test]
    public async Task ListEvents_PreferPacificTimeWithSelect_MatchesDocumentedResponse()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var request = SharedCorpus.GraphJson("event-create-recurring.request.json").AsObject();
        request.Remove("recurrence");
        await sandbox.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"v1.0/users/{Chair}/events", request);

        var events = await sandbox.GetAsync($"v1.0/users/{Chair}/events?$select=subject,body,bodyPreview,organizer,attendees,start,end,location",
            r => r.Headers.Add("Prefer", "outlook.timezone=\"Pacific Standard Time\""));

        AssertShape("events-list-prefer-timezone.response.json", events);
        var lunch = events["value"]!.AsArray().Single(e => e!["subject"]!.GetValue<string>() == "Let's go for lunch")!;
        Assert.That(lunch["start"]!["timeZone"]!.GetValue<string>(), Is.EqualTo("Pacific Standard Time"));
        Assert.That(lunch["start"]!["dateTime"]!.GetValue<string>(), Is.EqualTo("2017-09-04T12:00:00.0000000"));
    }

    [Test]
    public async Task CreateEvent_CorpusRequestWithoutRecurrence_MatchesDocumentedResponse()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var request = SharedCorpus.GraphJson("event-create-recurring.request.json").AsObject();
        request.Remove("recurrence");

        var created = await sandbox.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"v1.0/users/{Chair}/calendar/events", request);

        // The sandbox serves single-instance events only, so recurrence is null where the doc's series master has one.
        AssertShape("event-create-recurring.response.json", created, "$.recurrence");
    }

    [Test]
    public async Task GetMessage_UnknownId_MatchesDocumented404()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var error = await sandbox.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"v1.0/users/{Chair}/messages/AAMkAGnothere");

        AssertShape("error-404-ErrorItemNotFound.observed.json", error);
        AssertShape("error-format-example.response.json", error, "$.error.innerError.requestId");
        Assert.That(error!["error"]!["code"]!.GetValue<string>(), Is.EqualTo("ErrorItemNotFound"));
    }

    [Test]
    public async Task GetMessages_UnknownUser_Is404InTheDocumentedErrorShape()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var error = await sandbox.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, "v1.0/users/nobody@med.example.edu/messages");

        AssertShape("error-ErrorNonExistentMailbox.response.json", error);
        Assert.That(error!["error"]!["code"]!.GetValue<string>(), Is.EqualTo("ErrorInvalidUser"));
    }

    [Test]
    public async Task InjectedThrottle_MatchesDocumented429()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SetFaultsAsync(new JsonObject { ["throttleRate"] = 1.0, ["retryAfter"] = "00:00:02" });

        using var response = await sandbox.SendAsync(HttpMethod.Get, $"v1.0/users/{Chair}/mailFolders");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(2)));
        AssertShape("error-429-TooManyRequests.response.json", JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static void AssertShape(string documentedFile, JsonNode? actual, params string[] excluded)
    {
        var differences = JsonShape.Differences(SharedCorpus.GraphJson(documentedFile), actual, excluded);
        Assert.That(differences, Is.Empty, $"{documentedFile} vs sandbox:\n{actual?.ToJsonString()}");
    }
}
