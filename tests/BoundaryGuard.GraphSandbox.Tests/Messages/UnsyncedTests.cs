using System.Net;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Seed;

namespace BoundaryGuard.GraphSandbox.Tests.Messages;

/// <summary>
/// <c>POST /sandbox/unsynced</c>: a draft Outlook saved in cached mode, unknown to Graph until it syncs, then there
/// under the same id. And PidTagDeferredSendTime, which Outlook's delayed delivery puts on a draft, kept as Graph keeps it.
/// </summary>
public sealed class UnsyncedTests
{
    private static readonly string Chair = DemoInstitution.MedicineChair.UserPrincipalName;
    private static readonly DemoUser Resident = DemoInstitution.MedicineResidentPgy2;
    private const string DeferredSendTime = "SystemTime 0x3FEF";

    [Test]
    public async Task Unsynced_Draft_NotFoundAndNotListedUntilItsTimeThenThereUnderTheSameId()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var id = (await sandbox.CreateDraftAsync(Chair, "Cached", Resident.UserPrincipalName))["id"]!.GetValue<string>();
        var hidden = await Unsynced(sandbox, id, "00:00:30");
        var path = $"v1.0/users/{Chair}/messages/{id}";

        var missing = await sandbox.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, path);
        await sandbox.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Patch, path, new JsonObject { ["categories"] = new JsonArray("x") });
        await sandbox.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, path + "/send");
        var drafts = await sandbox.GetAsync($"v1.0/users/{Chair}/mailFolders/drafts/messages?$select=id");
        sandbox.Clock!.Advance(TimeSpan.FromSeconds(29));
        await sandbox.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, path);
        sandbox.Clock.Advance(TimeSpan.FromSeconds(1));
        var synced = await sandbox.GetAsync(path);

        Assert.That(hidden["syncedAt"]!.GetValue<DateTimeOffset>(), Is.EqualTo(TestSandbox.Start.AddSeconds(30)));
        Assert.That(missing!["error"]!["code"]!.GetValue<string>(), Is.EqualTo("ErrorItemNotFound"));
        Assert.That(drafts["value"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()), Does.Not.Contain(id));
        Assert.That(synced["id"]!.GetValue<string>(), Is.EqualTo(id));
        Assert.That(synced["isDraft"]!.GetValue<bool>(), Is.True);
        Assert.That(synced["categories"]!.AsArray(), Is.Empty, "nothing changed while it was hidden");
        Assert.That((await sandbox.ReportAsync())["sends"]!.GetValue<long>(), Is.Zero);
    }

    [TestCase("{\"hiddenFor\":\"00:00:30\"}", HttpStatusCode.BadRequest)]
    [TestCase("{\"messageId\":\"AAMkNoSuch\",\"hiddenFor\":\"00:00:00\"}", HttpStatusCode.BadRequest)]
    [TestCase("{\"messageId\":\"AAMkNoSuch\",\"hiddenFor\":\"00:00:30\"}", HttpStatusCode.NotFound)]
    public async Task Unsynced_BadRequestOrUnknownMessage_Refused(string body, HttpStatusCode status)
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.SendRawAsync(HttpMethod.Post, "sandbox/unsynced", body);

        Assert.That(response.StatusCode, Is.EqualTo(status), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task DeferredSendTime_OnCreateAndPatch_KeptAndExpandedLikeGraph()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var create = TestSandbox.Draft("Delayed by Outlook", Resident.UserPrincipalName);
        create["singleValueExtendedProperties"] = new JsonArray(new JsonObject { ["id"] = DeferredSendTime, ["value"] = "2026-11-30T12:00:00Z" });
        var created = (await sandbox.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"v1.0/users/{Chair}/messages", create))!["id"]!.GetValue<string>();
        var plain = (await sandbox.CreateDraftAsync(Chair, "Later delayed", Resident.UserPrincipalName))["id"]!.GetValue<string>();
        await sandbox.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"v1.0/users/{Chair}/messages/{plain}", new JsonObject
        {
            ["subject"] = "Later delayed, edited",
            ["singleValueExtendedProperties"] = new JsonArray(new JsonObject { ["id"] = DeferredSendTime, ["value"] = "2026-11-30T13:00:00Z" }),
        });
        var expand = $"?$select=id,isDraft&$expand=singleValueExtendedProperties($filter=id eq '{DeferredSendTime}')";

        var first = await sandbox.GetAsync($"v1.0/users/{Chair}/messages/{created}{expand}");
        var second = await sandbox.GetAsync($"v1.0/users/{Chair}/messages/{plain}{expand}");
        var bad = await sandbox.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Patch, $"v1.0/users/{Chair}/messages/{plain}", new JsonObject
        {
            ["singleValueExtendedProperties"] = new JsonArray(new JsonObject { ["id"] = DeferredSendTime, ["value"] = "Monday morning" }),
        });
        var unchanged = await sandbox.GetAsync($"v1.0/users/{Chair}/messages/{plain}{expand}");

        Assert.That(first["singleValueExtendedProperties"]![0]!["value"]!.GetValue<string>(), Is.EqualTo("2026-11-30T12:00:00Z"));
        Assert.That(second["singleValueExtendedProperties"]![0]!["value"]!.GetValue<string>(), Is.EqualTo("2026-11-30T13:00:00Z"));
        Assert.That(bad!["error"]!["code"]!.GetValue<string>(), Is.EqualTo("ErrorInvalidExtendedPropertyValue"));
        Assert.That(unchanged["singleValueExtendedProperties"]![0]!["value"]!.GetValue<string>(), Is.EqualTo("2026-11-30T13:00:00Z"));
    }

    private static async Task<JsonObject> Unsynced(TestSandbox sandbox, string id, string hiddenFor)
    {
        using var response = await sandbox.SendRawAsync(HttpMethod.Post, "sandbox/unsynced",
            new JsonObject { ["messageId"] = id, ["hiddenFor"] = hiddenFor }.ToJsonString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonNode.Parse(text)!.AsObject();
    }
}
