using System.Net;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Seed;

namespace BoundaryGuard.GraphSandbox.Tests.Messages;

public sealed class MessagesTests
{
    private static readonly string Chair = DemoInstitution.MedicineChair.UserPrincipalName;
    private static readonly DemoUser Resident = DemoInstitution.MedicineResidentPgy2;
    private const string HoldProperty = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name BoundaryGuardHold";

    [Test]
    public async Task Send_Draft_MovesToSentItemsKeepingItsIdWithSentTimeFromTheClock()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var draft = await sandbox.CreateDraftAsync(Chair, "Case review", Resident.UserPrincipalName);
        var id = draft["id"]!.GetValue<string>();
        sandbox.Clock!.Advance(TimeSpan.FromMinutes(30));

        using var response = await sandbox.SendAsync(HttpMethod.Post, $"v1.0/users/{Chair}/messages/{id}/send");
        var sent = await sandbox.GetAsync($"v1.0/users/{DemoInstitution.MedicineChair.Id}/messages/{id}");
        var sentItems = await sandbox.GetAsync($"v1.0/users/{Chair}/mailFolders/sentitems");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.Empty);
        Assert.That(sent["isDraft"]!.GetValue<bool>(), Is.False);
        Assert.That(sent["parentFolderId"]!.GetValue<string>(), Is.EqualTo(sentItems["id"]!.GetValue<string>()));
        Assert.That(sent["sentDateTime"]!.GetValue<string>(), Is.EqualTo("2026-11-26T05:10:00Z"));
        Assert.That(sent["createdDateTime"]!.GetValue<string>(), Is.EqualTo("2026-11-26T04:40:00Z"));
        Assert.That(sent["changeKey"]!.GetValue<string>(), Is.Not.EqualTo(draft["changeKey"]!.GetValue<string>()));
    }

    [Test]
    public async Task Send_InternalRecipient_GetsACopyInTheInbox()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var draft = await sandbox.CreateDraftAsync(Chair, "Welcome to the rotation", Resident.UserPrincipalName);

        await sandbox.SendDraftAsync(Chair, draft["id"]!.GetValue<string>());
        var inbox = await sandbox.GetAsync($"v1.0/users/{Resident.Id}/mailFolders/inbox/messages?$select=subject,from,isRead,conversationId");

        var copy = inbox["value"]!.AsArray().Single(m => m!["subject"]!.GetValue<string>() == "Welcome to the rotation")!;
        Assert.That(copy["from"]!["emailAddress"]!["address"]!.GetValue<string>(), Is.EqualTo(Chair));
        Assert.That(copy["isRead"]!.GetValue<bool>(), Is.False);
        Assert.That(copy["id"]!.GetValue<string>(), Is.Not.EqualTo(draft["id"]!.GetValue<string>()));
        Assert.That(copy["conversationId"]!.GetValue<string>(), Is.EqualTo(draft["conversationId"]!.GetValue<string>()));
    }

    [Test]
    public async Task Move_ToSendLaterByIdThenToDraftsByName_KeepsTheId()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var folder = await sandbox.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"v1.0/users/{Chair}/mailFolders", new JsonObject { ["displayName"] = "Send later" });
        var id = (await sandbox.CreateDraftAsync(Chair, "Schedule", Resident.UserPrincipalName))["id"]!.GetValue<string>();

        var moved = await sandbox.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"v1.0/users/{Chair}/messages/{id}/move", new JsonObject { ["destinationId"] = folder!["id"]!.GetValue<string>() });
        var back = await sandbox.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"v1.0/users/{Chair}/mailFolders/{folder["id"]}/messages/{id}/move", new JsonObject { ["destinationId"] = "Drafts" });

        Assert.That(moved!["id"]!.GetValue<string>(), Is.EqualTo(id));
        Assert.That(moved["parentFolderId"]!.GetValue<string>(), Is.EqualTo(folder["id"]!.GetValue<string>()));
        Assert.That(moved["isDraft"]!.GetValue<bool>(), Is.True);
        Assert.That(back!["id"]!.GetValue<string>(), Is.EqualTo(id));
    }

    [Test]
    public async Task Patch_ExtendedProperty_UpsertsByIdAndEmptyStringKeepsIt()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var create = TestSandbox.Draft("Held", Resident.UserPrincipalName);
        create["singleValueExtendedProperties"] = new JsonArray(new JsonObject { ["id"] = HoldProperty, ["value"] = "hold-1" });
        var id = (await sandbox.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"v1.0/users/{Chair}/messages", create))!["id"]!.GetValue<string>();
        var path = $"v1.0/users/{Chair}/messages/{id}";
        var expand = $"?$expand=singleValueExtendedProperties($filter=id eq '{HoldProperty}')";

        var before = await sandbox.GetAsync(path + expand);
        await sandbox.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, path, new JsonObject
        {
            ["singleValueExtendedProperties"] = new JsonArray(new JsonObject { ["id"] = HoldProperty.ToUpperInvariant().Replace("NAME BOUNDARYGUARDHOLD", "Name BoundaryGuardHold", StringComparison.Ordinal), ["value"] = "" }),
        });
        var after = await sandbox.GetAsync(path + expand);
        var other = await sandbox.GetAsync(path + "?$expand=singleValueExtendedProperties($filter=id eq 'String {00000000-0000-0000-0000-000000000000} Name Other')");

        Assert.That(before["singleValueExtendedProperties"]![0]!["value"]!.GetValue<string>(), Is.EqualTo("hold-1"));
        Assert.That(after["singleValueExtendedProperties"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(after["singleValueExtendedProperties"]![0]!["value"]!.GetValue<string>(), Is.Empty);
        Assert.That(other.ContainsKey("singleValueExtendedProperties"), Is.False, "Graph leaves out a property that is not there");
    }

    [Test]
    public async Task Patch_CategoriesOnASentMessage_IsAllowed()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var id = (await sandbox.CreateDraftAsync(Chair, "Sent", Resident.UserPrincipalName))["id"]!.GetValue<string>();
        await sandbox.SendDraftAsync(Chair, id);

        var updated = await sandbox.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"v1.0/users/{Chair}/messages/{id}", new JsonObject { ["categories"] = new JsonArray("Delivered by BoundaryGuard") });

        Assert.That(updated!["categories"]![0]!.GetValue<string>(), Is.EqualTo("Delivered by BoundaryGuard"));
    }

    [Test]
    public async Task Delete_MovesToDeletedItemsThenRemovesForGood()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var id = (await sandbox.CreateDraftAsync(Chair, "Cancelled", Resident.UserPrincipalName))["id"]!.GetValue<string>();
        var path = $"v1.0/users/{Chair}/messages/{id}";
        var deletedItems = await sandbox.GetAsync($"v1.0/users/{Chair}/mailFolders/deleteditems");

        await sandbox.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, path);
        var softDeleted = await sandbox.GetAsync(path);
        await sandbox.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, path);

        Assert.That(softDeleted["parentFolderId"]!.GetValue<string>(), Is.EqualTo(deletedItems["id"]!.GetValue<string>()));
        await sandbox.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, path);
    }

    [Test]
    public async Task ListMessages_MoreThanAPage_NextLinksCoverEveryMessageOnce()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add((await sandbox.CreateDraftAsync(Chair, $"Note {i}", Resident.UserPrincipalName))["id"]!.GetValue<string>());
            sandbox.Clock!.Advance(TimeSpan.FromMinutes(1));
        }

        var seen = new List<string>();
        string? link = $"v1.0/users/{Chair}/mailFolders/drafts/messages?$top=5&$select=subject";
        while (link is not null)
        {
            var page = await sandbox.GetAsync(link);
            seen.AddRange(page["value"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
            link = page["@odata.nextLink"]?.GetValue<string>();
        }

        Assert.That(seen, Is.EqualTo(Enumerable.Reverse(ids).ToList()), "newest first, each once");
    }

    [Test]
    public async Task MailFolders_FilterByDisplayName_FindsSendLaterAnyCase()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var created = await sandbox.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"v1.0/users/{Chair}/mailFolders", new JsonObject { ["displayName"] = "Send later" });

        var found = await sandbox.GetAsync($"v1.0/users/{Chair}/mailFolders?$filter=displayName eq 'send later'");
        var none = await sandbox.GetAsync($"v1.0/users/{Chair}/mailFolders?$filter=displayName eq 'Send ''later'''");
        var duplicate = await sandbox.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"v1.0/users/{Chair}/mailFolders", new JsonObject { ["displayName"] = "SEND LATER" });

        Assert.That(found["value"]!.AsArray().Single()!["id"]!.GetValue<string>(), Is.EqualTo(created!["id"]!.GetValue<string>()));
        Assert.That(none["value"]!.AsArray(), Is.Empty);
        Assert.That(duplicate!["error"]!["code"]!.GetValue<string>(), Is.EqualTo("ErrorFolderExists"));
    }

    [Test]
    public async Task Requests_WithoutImmutableIdPreference_AreCountedNotRefused()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Http.DefaultRequestHeaders.Remove("Prefer");

        await sandbox.GetAsync($"v1.0/users/{Chair}/mailFolders");
        await sandbox.GetAsync($"v1.0/users/{Chair}", r => r.Headers.Add("Prefer", "IdType=\"ImmutableId\", odata.maxpagesize=5"));
        await sandbox.GetAsync($"v1.0/users/{Chair}", r => r.Headers.Add("Prefer", "odata.maxpagesize=5"));

        var report = await sandbox.ReportAsync();
        Assert.That(report["totalRequests"]!.GetValue<long>(), Is.EqualTo(3));
        Assert.That(report["requestsWithoutImmutableId"]!.GetValue<long>(), Is.EqualTo(2));
    }

    [Test]
    public async Task ReportReset_ZeroesTheCounters()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.GetAsync($"v1.0/users/{Chair}/mailFolders");

        using var reset = await sandbox.Http.PostAsync(new Uri("sandbox/report/reset", UriKind.Relative), null);
        var report = await sandbox.ReportAsync();

        Assert.That(reset.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(report["totalRequests"]!.GetValue<long>(), Is.Zero);
        Assert.That(report["mailboxes"]!.AsObject(), Is.Empty);
    }
}
