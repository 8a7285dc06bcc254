using System.Net;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.GraphSandbox.Seed;

namespace BoundaryGuard.GraphSandbox.Tests.Limits;

public sealed class LimitsTests
{
    private static readonly DemoUser Chair = DemoInstitution.MedicineChair;
    private static readonly string Resident = DemoInstitution.MedicineResidentPgy1.UserPrincipalName;

    [Test]
    public void Defaults_AreGraphAndExchangeLimits()
    {
        var limits = new SandboxOptions().Limits;

        Assert.That(limits.Enabled, Is.True);
        Assert.That(limits.MaxConcurrentRequests, Is.EqualTo(4));
        Assert.That(limits.RequestsPerWindow, Is.EqualTo(10_000));
        Assert.That(limits.RequestWindow, Is.EqualTo(TimeSpan.FromMinutes(10)));
        Assert.That(limits.SendsPerWindow, Is.EqualTo(30));
        Assert.That(limits.SendWindow, Is.EqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(limits.MaxRecipientsPerMessage, Is.EqualTo(500));
    }

    [Test]
    public async Task Concurrency_FifthWhileFourInFlight_Is429AndCounted()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        // Injected latency waits on the fake clock, so four requests stay in flight until the test advances it.
        await sandbox.SetFaultsAsync(new JsonObject { ["latency"] = "00:00:01" });
        var path = $"v1.0/users/{Chair.UserPrincipalName}/mailFolders/inbox";
        var inFlight = Enumerable.Range(0, 4).Select(_ => sandbox.Http.GetAsync(new Uri(path, UriKind.Relative))).ToList();
        await WaitForInFlightAsync(sandbox, Chair.Id, 4);

        using var fifth = await sandbox.Http.GetAsync(new Uri(path, UriKind.Relative));
        sandbox.Clock!.Advance(TimeSpan.FromSeconds(1));
        var statuses = (await Task.WhenAll(inFlight)).Select(r => r.StatusCode).ToList();

        Assert.That(fifth.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(fifth.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
        var report = await sandbox.ReportAsync();
        Assert.That(report["violations"]!["concurrency"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(report["throttled"]!["limit"]!.GetValue<long>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Concurrency_OtherMailbox_NotLimitedByThisOne()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SetFaultsAsync(new JsonObject { ["latency"] = "00:00:01" });
        var busy = Enumerable.Range(0, 4).Select(_ => sandbox.Http.GetAsync(new Uri($"v1.0/users/{Chair.Id}/mailFolders", UriKind.Relative))).ToList();
        await WaitForInFlightAsync(sandbox, Chair.Id, 4);

        var other = sandbox.Http.GetAsync(new Uri($"v1.0/users/{Resident}/mailFolders", UriKind.Relative));
        await WaitForInFlightAsync(sandbox, DemoInstitution.MedicineResidentPgy1.Id, 1);
        sandbox.Clock!.Advance(TimeSpan.FromSeconds(1));

        Assert.That((await other).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Task.WhenAll(busy)).Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Send_ThirtyFirstInAMinute_Is429WithRetryAfterUntilTheFirstLeavesTheWindow()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var drafts = await CreateDraftsAsync(sandbox, 31);
        foreach (var id in drafts.Take(30))
        {
            await sandbox.SendDraftAsync(Chair.UserPrincipalName, id);
        }

        using var thirtyFirst = await sandbox.SendAsync(HttpMethod.Post, $"v1.0/users/{Chair.UserPrincipalName}/messages/{drafts[30]}/send");

        Assert.That(thirtyFirst.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(thirtyFirst.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(60)));
        var body = JsonNode.Parse(await thirtyFirst.Content.ReadAsStringAsync())!;
        Assert.That(body["error"]!["code"]!.GetValue<string>(), Is.EqualTo("TooManyRequests"));
        var report = await sandbox.ReportAsync();
        Assert.That(report["violations"]!["sendRate"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(report["sends"]!.GetValue<long>(), Is.EqualTo(30));
        sandbox.Clock!.Advance(TimeSpan.FromSeconds(60));
        var draft = await sandbox.GetAsync($"v1.0/users/{Chair.UserPrincipalName}/messages/{drafts[30]}");
        Assert.That(draft["isDraft"]!.GetValue<bool>(), Is.True, "a throttled send must not send");
    }

    [Test]
    public async Task RetryAfter_Honoured_NextRequestSucceedsWithoutViolation()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var drafts = await CreateDraftsAsync(sandbox, 31);
        foreach (var id in drafts.Take(30))
        {
            await sandbox.SendDraftAsync(Chair.UserPrincipalName, id);
        }

        using var throttled = await sandbox.SendAsync(HttpMethod.Post, $"v1.0/users/{Chair.UserPrincipalName}/messages/{drafts[30]}/send");
        sandbox.Clock!.Advance(throttled.Headers.RetryAfter!.Delta!.Value);
        await sandbox.SendDraftAsync(Chair.UserPrincipalName, drafts[30]);

        var report = await sandbox.ReportAsync();
        Assert.That(report["violations"]!["total"]!.GetValue<long>(), Is.EqualTo(1), "only the 31st send itself");
        Assert.That(report["violations"]!["retryAfterIgnored"]!.GetValue<long>(), Is.Zero);
        Assert.That(report["sends"]!.GetValue<long>(), Is.EqualTo(31));
    }

    [Test]
    public async Task RetryAfter_Ignored_EachEarlyRequestIs429AndCountedAsViolation()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var drafts = await CreateDraftsAsync(sandbox, 31);
        foreach (var id in drafts.Take(30))
        {
            await sandbox.SendDraftAsync(Chair.UserPrincipalName, id);
        }

        using var throttled = await sandbox.SendAsync(HttpMethod.Post, $"v1.0/users/{Chair.UserPrincipalName}/messages/{drafts[30]}/send");
        sandbox.Clock!.Advance(TimeSpan.FromSeconds(59));
        using var early = await sandbox.SendAsync(HttpMethod.Get, $"v1.0/users/{Chair.Id}/mailFolders");
        using var earlyAgain = await sandbox.SendAsync(HttpMethod.Post, $"v1.0/users/{Chair.UserPrincipalName}/messages/{drafts[30]}/send");

        Assert.That(early.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(early.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(earlyAgain.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        var report = await sandbox.ReportAsync();
        Assert.That(report["violations"]!["retryAfterIgnored"]!.GetValue<long>(), Is.EqualTo(2));
        Assert.That(report["mailboxes"]![Chair.Id]!["violations"]!["retryAfterIgnored"]!.GetValue<long>(), Is.EqualTo(2));
    }

    [Test]
    public async Task RequestRate_OverTheWindowLimit_Is429UntilTheOldestLeaves()
    {
        // The default 10,000 in 10 minutes works the same way; 20 keeps the test to a few dozen requests.
        await using var sandbox = await TestSandbox.StartAsync(o => o.Limits.RequestsPerWindow = 20);
        var path = $"v1.0/users/{Chair.Id}/mailFolders/inbox";
        for (var i = 0; i < 20; i++)
        {
            await sandbox.GetAsync(path);
            sandbox.Clock!.Advance(TimeSpan.FromSeconds(1));
        }

        using var over = await sandbox.SendAsync(HttpMethod.Get, path);
        sandbox.Clock!.Advance(over.Headers.RetryAfter!.Delta!.Value);
        using var after = await sandbox.SendAsync(HttpMethod.Get, path);

        Assert.That(over.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(over.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(580)));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await sandbox.ReportAsync())["violations"]!["requestRate"]!.GetValue<long>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Recipients_FiveHundredAndOne_Is400AndCounted()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var many = Enumerable.Range(0, 501).Select(i => $"list{i}@example.org").ToArray();
        var tooMany = await sandbox.CreateDraftAsync(Chair.UserPrincipalName, "All hands", many);
        var fiveHundred = await sandbox.CreateDraftAsync(Chair.UserPrincipalName, "All hands", many[..500]);

        var error = await sandbox.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, $"v1.0/users/{Chair.UserPrincipalName}/messages/{tooMany["id"]}/send");
        await sandbox.SendDraftAsync(Chair.UserPrincipalName, fiveHundred["id"]!.GetValue<string>());

        Assert.That(error!["error"]!["code"]!.GetValue<string>(), Is.EqualTo("ErrorInvalidRecipients"));
        var report = await sandbox.ReportAsync();
        Assert.That(report["violations"]!["recipientsPerMessage"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(report["sends"]!.GetValue<long>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Limits_Disabled_NoThrottling()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.Limits = o.Limits with { Enabled = false });
        var drafts = await CreateDraftsAsync(sandbox, 31);

        foreach (var id in drafts)
        {
            await sandbox.SendDraftAsync(Chair.UserPrincipalName, id);
        }

        Assert.That((await sandbox.ReportAsync())["violations"]!["total"]!.GetValue<long>(), Is.Zero);
    }

    private static async Task<List<string>> CreateDraftsAsync(TestSandbox sandbox, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await sandbox.CreateDraftAsync(Chair.UserPrincipalName, $"Note {i}", Resident))["id"]!.GetValue<string>());
        }

        return ids;
    }

    internal static async Task WaitForInFlightAsync(TestSandbox sandbox, string mailboxId, int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var mailbox = (await sandbox.ReportAsync())["mailboxes"]![mailboxId];
            if (mailbox is not null && mailbox["inFlight"]!.GetValue<int>() == count)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), TimeProvider.System);
        }

        Assert.Fail($"{count} requests never were in flight together");
    }
}
