using System.Net;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Seed;

namespace BoundaryGuard.GraphSandbox.Tests.Messages;

public sealed class MessageDeltaTests
{
    private static readonly string Chair = DemoInstitution.MedicineChair.UserPrincipalName;
    private static readonly string Resident = DemoInstitution.MedicineResidentPgy2.UserPrincipalName;

    [Test]
    public async Task Delta_InitialRound_PagesWithSkipTokenThenDeltaLink()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var ids = await CreateDraftsAsync(sandbox, 5);

        var pages = await RoundAsync(sandbox, $"v1.0/users/{Chair}/mailFolders/drafts/messages/delta", 2);

        Assert.That(pages.Select(p => p["value"]!.AsArray().Count), Is.EqualTo(new[] { 2, 2, 1 }));
        Assert.That(pages[0]["@odata.nextLink"]!.GetValue<string>(), Does.Contain("$skiptoken="));
        Assert.That(pages[2]["@odata.deltaLink"]!.GetValue<string>(), Does.Contain("$deltatoken="));
        Assert.That(pages[2].ContainsKey("@odata.nextLink"), Is.False);
        Assert.That(Ids(pages), Is.EquivalentTo(ids));
        Assert.That(pages.SelectMany(p => p["value"]!.AsArray()).Any(i => i!.AsObject().ContainsKey("@removed")), Is.False);
    }

    [Test]
    public async Task Delta_NextRound_ReportsCreatedAndChangedAndRemovesMovedSentAndDeleted()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var ids = await CreateDraftsAsync(sandbox, 5);
        var sendLater = await sandbox.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"v1.0/users/{Chair}/mailFolders", new JsonObject { ["displayName"] = "Send later" });
        var first = await RoundAsync(sandbox, $"v1.0/users/{Chair}/mailFolders/drafts/messages/delta", 10);

        var created = (await sandbox.CreateDraftAsync(Chair, "New", Resident))["id"]!.GetValue<string>();
        await sandbox.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"v1.0/users/{Chair}/messages/{ids[0]}", new JsonObject { ["categories"] = new JsonArray("Held") });
        await sandbox.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"v1.0/users/{Chair}/messages/{ids[1]}/move", new JsonObject { ["destinationId"] = sendLater!["id"]!.GetValue<string>() });
        await sandbox.SendDraftAsync(Chair, ids[2]);
        await sandbox.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"v1.0/users/{Chair}/messages/{ids[3]}");
        var next = await RoundAsync(sandbox, first[^1]["@odata.deltaLink"]!.GetValue<string>(), 10);
        var after = await RoundAsync(sandbox, next[^1]["@odata.deltaLink"]!.GetValue<string>(), 10);

        var items = next.SelectMany(p => p["value"]!.AsArray()).Select(i => i!.AsObject()).ToList();
        var removed = items.Where(i => i.ContainsKey("@removed")).ToList();
        var present = items.Where(i => !i.ContainsKey("@removed")).ToList();
        Assert.That(present.Select(i => i["id"]!.GetValue<string>()), Is.EquivalentTo(new[] { created, ids[0] }));
        Assert.That(present.Single(i => i["id"]!.GetValue<string>() == ids[0])["categories"]![0]!.GetValue<string>(), Is.EqualTo("Held"));
        Assert.That(removed.Select(i => i["id"]!.GetValue<string>()), Is.EquivalentTo(new[] { ids[1], ids[2], ids[3] }));
        Assert.That(removed.Select(i => i["@removed"]!["reason"]!.GetValue<string>()), Is.All.EqualTo("deleted"));
        Assert.That(after.Single()["value"]!.AsArray(), Is.Empty, "nothing changed since the last round");
    }

    [Test]
    public async Task Delta_SendLaterFolder_SeesADraftMovedIntoItWithItsId()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var folder = await sandbox.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"v1.0/users/{Chair}/mailFolders", new JsonObject { ["displayName"] = "Send later" });
        var folderId = folder!["id"]!.GetValue<string>();
        var initial = await RoundAsync(sandbox, $"v1.0/users/{Chair}/mailFolders/{folderId}/messages/delta()", 10);
        var draft = (await sandbox.CreateDraftAsync(Chair, "Write-up", Resident))["id"]!.GetValue<string>();

        await sandbox.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"v1.0/users/{Chair}/messages/{draft}/move", new JsonObject { ["destinationId"] = folderId });
        var next = await RoundAsync(sandbox, initial[^1]["@odata.deltaLink"]!.GetValue<string>(), 10);

        Assert.That(initial.Single()["value"]!.AsArray(), Is.Empty);
        var item = next.Single()["value"]!.AsArray().Single()!;
        Assert.That(item["id"]!.GetValue<string>(), Is.EqualTo(draft));
        Assert.That(item["isDraft"]!.GetValue<bool>(), Is.True);
        Assert.That(item["parentFolderId"]!.GetValue<string>(), Is.EqualTo(folderId));
    }

    [Test]
    public async Task Delta_Select_IsKeptInTheTokens()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var ids = await CreateDraftsAsync(sandbox, 3);
        var first = await RoundAsync(sandbox, $"v1.0/users/{Chair}/mailFolders/drafts/messages/delta?$select=subject", 2);
        await sandbox.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"v1.0/users/{Chair}/messages/{ids[0]}", new JsonObject { ["subject"] = "Renamed" });

        var next = await RoundAsync(sandbox, first[^1]["@odata.deltaLink"]!.GetValue<string>(), 2);

        var names = first.Concat(next).SelectMany(p => p["value"]!.AsArray()).SelectMany(i => i!.AsObject().Select(p => p.Key)).Distinct();
        Assert.That(names, Is.EquivalentTo(new[] { "@odata.type", "@odata.etag", "id", "subject" }));
    }

    [Test]
    public async Task Delta_TokenFromAnotherDataSet_Is410SyncStateNotFound()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await using var other = await TestSandbox.StartAsync();
        var round = await RoundAsync(other, $"v1.0/users/{Chair}/mailFolders/drafts/messages/delta", 10);
        var foreignLink = new Uri(round[^1]["@odata.deltaLink"]!.GetValue<string>()).PathAndQuery.TrimStart('/');

        var error = await sandbox.ExpectAsync(HttpStatusCode.Gone, HttpMethod.Get, foreignLink);

        Assert.That(error!["error"]!["code"]!.GetValue<string>(), Is.EqualTo("SyncStateNotFound"));
    }

    [Test]
    public async Task Delta_TokenOfAnotherFolder_Is400()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var round = await RoundAsync(sandbox, $"v1.0/users/{Chair}/mailFolders/drafts/messages/delta", 10);
        var token = new Uri(round[^1]["@odata.deltaLink"]!.GetValue<string>()).Query;

        var error = await sandbox.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, $"v1.0/users/{Chair}/mailFolders/inbox/messages/delta{token}");

        Assert.That(error!["error"]!["code"]!.GetValue<string>(), Is.EqualTo("BadRequest"));
    }

    internal static async Task<List<JsonObject>> RoundAsync(TestSandbox sandbox, string start, int pageSize)
    {
        var pages = new List<JsonObject>();
        var link = start;
        while (true)
        {
            var page = await sandbox.GetAsync(link, r => r.Headers.Add("Prefer", $"odata.maxpagesize={pageSize}"));
            pages.Add(page);
            if (page["@odata.nextLink"] is not { } next)
            {
                Assert.That(page["@odata.deltaLink"], Is.Not.Null);
                return pages;
            }

            Assert.That(pages, Has.Count.LessThan(100), "delta never ended");
            link = next.GetValue<string>();
        }
    }

    private static IEnumerable<string> Ids(IEnumerable<JsonObject> pages) =>
        pages.SelectMany(p => p["value"]!.AsArray()).Select(i => i!["id"]!.GetValue<string>());

    private static async Task<List<string>> CreateDraftsAsync(TestSandbox sandbox, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await sandbox.CreateDraftAsync(Chair, $"Draft {i}", Resident))["id"]!.GetValue<string>());
        }

        return ids;
    }
}
