using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BoundaryGuard.Graph.Mailboxes;
using BoundaryGuard.Service.Holds;
using Microsoft.Extensions.DependencyInjection;

namespace BoundaryGuard.Service.Tests.Holds;

/// <summary>The holds API as the add-in calls it: statuses, ProblemDetails, ownership, and what each call does to the draft.</summary>
public sealed class HoldsApiTests
{
    private const string Sender = "mwebb@med.example.edu";
    private const string Colleague = "sokafor@med.example.edu";
    private const string Resident = "jlee@med.example.edu";

    private static readonly DateTimeOffset FridayNight = new(2026, 12, 4, 23, 30, 0, TimeSpan.FromHours(-5));

    private HoldsWorld world = null!;
    private HoldsApp app = null!;

    [SetUp]
    public async Task SetUp()
    {
        world = await HoldsWorld.StartAsync(FridayNight);
        app = new HoldsApp(world);
    }

    [TearDown]
    public async Task TearDown()
    {
        await app.DisposeAsync();
        await world.DisposeAsync();
    }

    [Test]
    public async Task Post_InWorkingHours_OkNotNeededAndNothingHeld()
    {
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.FromHours(-5)));
        var draft = await world.CreateDraftAsync(Sender, Resident);
        using var client = app.ClientFor(Sender);

        using var response = await client.PostAsJsonAsync("/api/v1/holds", new { mailbox = Sender, messageId = draft });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body!["state"]!.GetValue<string>(), Is.EqualTo("not-needed"));
        Assert.That(await app.Store.ListByMailboxAsync(Sender, 10, default), Is.Empty);
        Assert.That((await Gateway.GetDraftStateAsync(Sender, draft))!.Hold, Is.Null);
    }

    [Test]
    public async Task Post_AfterHours_CreatedMarksDraftAndRepeatReturnsSameHold()
    {
        var draft = await world.CreateDraftAsync(Sender, Resident);
        using var client = app.ClientFor(Sender);

        using var first = await client.PostAsJsonAsync("/api/v1/holds", new { mailbox = Sender, messageId = draft });
        using var again = await client.PostAsJsonAsync("/api/v1/holds", new { mailbox = Sender, messageId = draft });
        var held = await first.Content.ReadFromJsonAsync<JsonObject>();
        var repeated = await again.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(first.Headers.Location!.ToString(), Is.EqualTo($"/api/v1/holds/{held!["id"]}"));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(repeated!["id"]!.GetValue<string>(), Is.EqualTo(held["id"]!.GetValue<string>()));
        var mark = (await Gateway.GetDraftStateAsync(Sender, draft))!.Hold;
        Assert.That(mark!.HoldId, Is.EqualTo(held["id"]!.GetValue<string>()));
        Assert.That(mark.ReleaseAt.ToDateTimeOffset(), Is.EqualTo(DateTimeOffset.Parse("2026-12-07T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestCase("{}", "mailbox")]
    [TestCase("{\"mailbox\":\"mwebb@med.example.edu\"}", "messageId")]
    public async Task Post_MissingField_ValidationProblemNamingIt(string json, string field)
    {
        using var client = app.ClientFor(Sender);
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/v1/holds", content);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(problem!["errors"]!.AsObject().ContainsKey(field), Is.True, problem.ToJsonString());
    }

    [Test]
    public async Task Post_MalformedJson_BadRequestProblemAndNothingHeld()
    {
        using var client = app.ClientFor(Sender);
        using var content = new StringContent("{\"mailbox\": ", System.Text.Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/v1/holds", content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await app.Store.ListByMailboxAsync(Sender, 10, default), Is.Empty);
    }

    [Test]
    public async Task Post_UnknownDraft_NotFoundProblem()
    {
        using var client = app.ClientFor(Sender);

        using var response = await client.PostAsJsonAsync("/api/v1/holds", new { mailbox = Sender, messageId = "AAMkNoSuchMessage" });
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(problem!["detail"]!.GetValue<string>(), Is.EqualTo("The draft was not found in the mailbox."));
    }

    [Test]
    public async Task Post_AnotherPersonsMailbox_ForbiddenAndNothingHeld()
    {
        var draft = await world.CreateDraftAsync(Colleague, Resident);
        using var client = app.ClientFor(Sender);

        using var response = await client.PostAsJsonAsync("/api/v1/holds", new { mailbox = Colleague, messageId = draft });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await app.Store.ListByMailboxAsync(Colleague, 10, default), Is.Empty);
    }

    [TestCase("GET", "/api/v1/holds")]
    [TestCase("POST", "/api/v1/holds")]
    [TestCase("POST", "/api/v1/policy/me")]
    [TestCase("DELETE", "/api/v1/holds/7d7a6e52-0000-4000-8000-000000000001")]
    public async Task AnyEndpoint_WithoutToken_Unauthorized(string method, string path)
    {
        using var client = app.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AnyEndpoint_TokenWithoutAMailRole_Forbidden()
    {
        using var client = app.ClientFor(Sender, role: "guest");

        using var response = await client.GetAsync("/api/v1/holds");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task HoldEndpoints_SomeoneElsesHold_ForbiddenAndHoldUnchanged()
    {
        var id = await HoldAsync(Colleague);
        using var client = app.ClientFor(Sender);

        using var get = await client.GetAsync($"/api/v1/holds/{id}");
        using var release = await client.PostAsJsonAsync($"/api/v1/holds/{id}/release", new { reason = "other" });
        using var cancel = await client.DeleteAsync($"/api/v1/holds/{id}");

        Assert.That(new[] { get.StatusCode, release.StatusCode, cancel.StatusCode }, Is.All.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await app.Store.GetAsync(id, default))!.State, Is.EqualTo(HoldState.Held));
        Assert.That(await world.SendsAsync(), Is.Zero);
    }

    [Test]
    public async Task Get_UnknownHold_NotFound()
    {
        using var client = app.ClientFor(Sender);

        using var response = await client.GetAsync($"/api/v1/holds/{Guid.NewGuid()}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task List_TwoSenders_EachSeesOnlyTheirOwn()
    {
        var mine = await HoldAsync(Sender);
        await HoldAsync(Colleague);
        using var client = app.ClientFor(Sender);

        var list = await client.GetFromJsonAsync<JsonArray>("/api/v1/holds");

        Assert.That(list!.Select(h => h!["id"]!.GetValue<Guid>()), Is.EqualTo(new[] { mine }));
    }

    [Test]
    public async Task Release_WithReason_SentNowOnceAndRecordedAsOverride()
    {
        var id = await HoldAsync(Sender);
        using var client = app.ClientFor(Sender);

        using var response = await client.PostAsJsonAsync($"/api/v1/holds/{id}/release", new { reason = "patient-care" });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body!["state"]!.GetValue<string>(), Is.EqualTo("overridden"));
        Assert.That(body["override"]!.GetValue<string>(), Is.EqualTo("patient-care"));
        Assert.That(await world.SendsAsync(), Is.EqualTo(1));
        Assert.That(await app.Scheduler.NextFireAsync(id, default), Is.Null);
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.FromHours(-5)));
        await Task.Delay(300);
        Assert.That(await world.SendsAsync(), Is.EqualTo(1));
    }

    [TestCase(null)]
    [TestCase("because")]
    public async Task Release_MissingOrUnknownReason_ValidationProblemAndStillHeld(string? reason)
    {
        var id = await HoldAsync(Sender);
        using var client = app.ClientFor(Sender);

        using var response = await client.PostAsJsonAsync($"/api/v1/holds/{id}/release", new { reason });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await app.Store.GetAsync(id, default))!.State, Is.EqualTo(HoldState.Held));
        Assert.That(await world.SendsAsync(), Is.Zero);
    }

    [Test]
    public async Task Delete_HeldHold_CancelledDraftStaysInDraftsUnmarkedAndIsNeverSent()
    {
        var draft = await world.CreateDraftAsync(Sender, Resident);
        var id = Guid.Parse((await app.HoldAsync(Sender, draft))["id"]!.GetValue<string>());
        using var client = app.ClientFor(Sender);

        using var response = await client.DeleteAsync($"/api/v1/holds/{id}");
        using var again = await client.DeleteAsync($"/api/v1/holds/{id}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["state"]!.GetValue<string>(), Is.EqualTo("cancelled"));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var state = await Gateway.GetDraftStateAsync(Sender, draft);
        Assert.That(state!.Folder, Is.EqualTo(MailFolderKind.Drafts));
        Assert.That(state.Hold, Is.Null);
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.FromHours(-5)));
        await Task.Delay(300);
        Assert.That(await world.SendsAsync(), Is.Zero);
    }

    [Test]
    public async Task PolicyMe_FridayNight_21DaysOfWindowsClosuresAndNamedRecipientsHours()
    {
        using var client = app.ClientFor(Sender);

        using var response = await client.PostAsJsonAsync("/api/v1/policy/me", new { recipients = new[] { Resident, "someone@elsewhere.example.org" } });
        var snapshot = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(snapshot!["department"]!.GetValue<string>(), Is.EqualTo("Department of Medicine"));
        Assert.That(snapshot["generatedAt"]!.GetValue<string>(), Is.EqualTo("2026-12-04T23:30:00-05:00"));
        Assert.That(snapshot["validUntil"]!.GetValue<string>(), Is.EqualTo("2026-12-25T23:30:00-05:00"));
        var open = snapshot["open"]!.AsArray();
        Assert.That(open[0]!["start"]!.GetValue<string>(), Is.EqualTo("2026-12-07T07:00:00-05:00"));
        Assert.That(open[0]!["end"]!.GetValue<string>(), Is.EqualTo("2026-12-07T19:00:00-05:00"));
        // Christmas Eve closes at noon: the last window of the 24th ends then, and Christmas Day has none.
        Assert.That(open.Select(i => i!["end"]!.GetValue<string>()), Has.Member("2026-12-24T12:00:00-05:00"));
        Assert.That(snapshot["closures"]!.AsArray().Select(c => c!["date"]!.GetValue<string>()), Does.Contain("2026-12-25"));
        var people = snapshot["people"]!.AsObject();
        Assert.That(people.Select(p => p.Key), Is.EqualTo(new[] { Resident }), "a recipient outside the directory is judged by the policy alone");
    }

    [TestCase("{}")]
    [TestCase("{\"recipients\":[]}")]
    [TestCase("{\"recipients\":null}")]
    public async Task PolicyMe_NoRecipients_PolicyAloneWithNobodysHours(string json)
    {
        using var client = app.ClientFor(Sender);
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/v1/policy/me", content);
        var snapshot = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(snapshot!["open"]![0]!["start"]!.GetValue<string>(), Is.EqualTo("2026-12-07T07:00:00-05:00"));
        Assert.That(snapshot["people"]!.AsObject(), Is.Empty);
    }

    [Test]
    public async Task PolicyMe_MoreRecipientsThanAMessageTakes_ValidationProblemNamingRecipients()
    {
        using var client = app.ClientFor(Sender);
        var recipients = Enumerable.Range(0, 501).Select(i => $"person{i}@med.example.edu").ToArray();

        using var response = await client.PostAsJsonAsync("/api/v1/policy/me", new { recipients });

        await AssertRecipientsProblemAsync(response);
    }

    [Test]
    public async Task PolicyMe_AsManyRecipientsAsAMessageTakes_Ok()
    {
        using var client = app.ClientFor(Sender);
        var recipients = Enumerable.Range(0, 500).Select(i => $"person{i}@elsewhere.example.org").ToArray();

        using var response = await client.PostAsJsonAsync("/api/v1/policy/me", new { recipients });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("jlee")]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("J Lee <jlee@med.example.edu>")]
    [TestCase("jlee@med.example.edu, sokafor@med.example.edu")]
    [TestCase("@med.example.edu")]
    public async Task PolicyMe_NotAnAddress_ValidationProblemNamingRecipientsWithoutTheValue(string address)
    {
        using var client = app.ClientFor(Sender);

        using var response = await client.PostAsJsonAsync("/api/v1/policy/me", new { recipients = new[] { Resident, address } });

        var problem = await AssertRecipientsProblemAsync(response);
        Assert.That(problem.ToJsonString(), Does.Not.Contain("jlee"), "a refused address is not repeated back");
    }

    [Test]
    public async Task PolicyMe_NullAmongRecipients_ValidationProblemNamingRecipients()
    {
        using var client = app.ClientFor(Sender);
        using var content = new StringContent($"{{\"recipients\":[\"{Resident}\",null]}}", System.Text.Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/v1/policy/me", content);

        await AssertRecipientsProblemAsync(response);
    }

    [Test]
    public async Task PolicyMe_Get_MethodNotAllowedWhateverTheQuery()
    {
        using var client = app.ClientFor(Sender);

        using var bare = await client.GetAsync("/api/v1/policy/me");
        using var withRecipients = await client.GetAsync($"/api/v1/policy/me?to={Resident}");

        Assert.That(bare.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        Assert.That(withRecipients.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
    }

    [Test]
    public async Task OpenApi_Document_DescribesEveryHoldsEndpoint()
    {
        using var client = app.ClientFor(Sender);

        var document = await client.GetFromJsonAsync<JsonObject>("/openapi/v1.json");

        var paths = document!["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.That(paths, Is.SupersetOf(new[] { "/api/v1/holds", "/api/v1/holds/{id}", "/api/v1/holds/{id}/release", "/api/v1/holds/{id}/override", "/api/v1/policy/me" }));
    }

    [Test]
    public async Task OpenApi_Anonymous_401()
    {
        using var anonymous = app.CreateClient();

        using var response = await anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    private static async Task<JsonObject> AssertRecipientsProblemAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(problem!["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { "recipients" }), problem.ToJsonString());
        return problem;
    }

    private IMailboxGateway Gateway => app.Services.GetRequiredService<IMailboxGateway>();

    private async Task<Guid> HoldAsync(string mailbox)
    {
        var draft = await world.CreateDraftAsync(mailbox, Resident);
        return Guid.Parse((await app.HoldAsync(mailbox, draft))["id"]!.GetValue<string>());
    }
}
