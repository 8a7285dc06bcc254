using System.Net;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Seed;

namespace BoundaryGuard.GraphSandbox.Tests.Faults;

public sealed class FaultInjectionTests
{
    private static readonly string Chair = DemoInstitution.MedicineChair.UserPrincipalName;
    private static readonly string Path = $"v1.0/users/{DemoInstitution.MedicineChair.Id}/mailFolders/inbox";

    [Test]
    public async Task ThrottleRate_TwentyPercentWithSeed_AboutOneInFiveAndReported()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SetFaultsAsync(new JsonObject { ["throttleRate"] = 0.2, ["seed"] = 42 });

        var statuses = await GetManyAsync(sandbox, 400);

        // 400 draws at p = 0.2: mean 80, standard deviation 8; the window is ±2.5 deviations.
        var throttled = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        Assert.That(throttled, Is.InRange(60, 100));
        Assert.That(statuses.Count(s => s == HttpStatusCode.OK), Is.EqualTo(400 - throttled));
        var report = await sandbox.ReportAsync();
        Assert.That(report["throttled"]!["injected"]!.GetValue<long>(), Is.EqualTo(throttled));
        Assert.That(report["violations"]!["total"]!.GetValue<long>(), Is.Zero, "retryAfter 0 opens no window");
    }

    [Test]
    public async Task UnavailableRate_TenPercentWithSeed_AboutOneInTenAndReported()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SetFaultsAsync(new JsonObject { ["unavailableRate"] = 0.1, ["seed"] = 7 });

        var statuses = await GetManyAsync(sandbox, 400);

        // Mean 40, standard deviation 6.
        var unavailable = statuses.Count(s => s == HttpStatusCode.ServiceUnavailable);
        Assert.That(unavailable, Is.InRange(25, 55));
        Assert.That((await sandbox.ReportAsync())["unavailableInjected"]!.GetValue<long>(), Is.EqualTo(unavailable));
    }

    [Test]
    public async Task Seed_Same_GivesTheSameFaultSequence()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var faults = new JsonObject { ["throttleRate"] = 0.3, ["unavailableRate"] = 0.2, ["seed"] = 1234 };

        await sandbox.SetFaultsAsync(faults);
        var first = await GetManyAsync(sandbox, 60);
        await sandbox.SetFaultsAsync(faults);
        var second = await GetManyAsync(sandbox, 60);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(first.Distinct().Count(), Is.EqualTo(3), "some 200s, 429s and 503s");
    }

    [Test]
    public async Task InjectedThrottle_WithRetryAfter_RefusesTheWindowAndCountsOnlyRequestsSentOnceTheClientKnew()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SetFaultsAsync(new JsonObject { ["throttleRate"] = 1.0, ["retryAfter"] = "00:00:03" });
        using var throttled = await sandbox.SendAsync(HttpMethod.Get, Path);
        await sandbox.SetFaultsAsync(new JsonObject());

        // Within the grace after the 429 was delivered: a request already on its way, refused but not the client's fault.
        using var inFlight = await sandbox.SendAsync(HttpMethod.Get, Path);
        sandbox.Clock!.Advance(TimeSpan.FromSeconds(1));
        using var early = await sandbox.SendAsync(HttpMethod.Get, Path);
        sandbox.Clock!.Advance(TimeSpan.FromSeconds(2));
        using var onTime = await sandbox.SendAsync(HttpMethod.Get, Path);

        Assert.That(throttled.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(3)));
        Assert.That(inFlight.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(early.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(onTime.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var report = await sandbox.ReportAsync();
        Assert.That(report["violations"]!["retryAfterIgnored"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(report["throttled"]!["injected"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(report["throttled"]!["limit"]!.GetValue<long>(), Is.EqualTo(2));
    }

    [Test]
    public async Task LostResponse_Send_CommitsButTheClientGetsNoResponse()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var draft = await sandbox.CreateDraftAsync(Chair, "Tomorrow's rounds", DemoInstitution.MedicineResidentPgy2.UserPrincipalName);
        var id = draft["id"]!.GetValue<string>();
        await sandbox.SetFaultsAsync(new JsonObject { ["lostResponseRate"] = 1.0 });

        await Assert.ThatAsync(() => sandbox.Http.PostAsync(new Uri($"v1.0/users/{Chair}/messages/{id}/send", UriKind.Relative), null),
            Throws.InstanceOf<HttpRequestException>());

        await sandbox.SetFaultsAsync(new JsonObject());
        var message = await sandbox.GetAsync($"v1.0/users/{Chair}/messages/{id}");
        var sentItems = await sandbox.GetAsync($"v1.0/users/{Chair}/mailFolders/sentitems");
        Assert.That(message["isDraft"]!.GetValue<bool>(), Is.False);
        Assert.That(message["parentFolderId"]!.GetValue<string>(), Is.EqualTo(sentItems["id"]!.GetValue<string>()));
        var report = await sandbox.ReportAsync();
        Assert.That(report["lostResponses"]!.GetValue<long>(), Is.EqualTo(1));
        Assert.That(report["sends"]!.GetValue<long>(), Is.EqualTo(1));
    }

    [Test]
    public async Task LostResponse_FailingRequest_IsLostToo()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SetFaultsAsync(new JsonObject { ["lostResponseRate"] = 1.0 });

        await Assert.ThatAsync(() => sandbox.Http.GetAsync(new Uri($"v1.0/users/{Chair}/messages/AAMkAGmissing", UriKind.Relative)),
            Throws.InstanceOf<HttpRequestException>());

        Assert.That((await sandbox.ReportAsync())["lostResponses"]!.GetValue<long>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Latency_FakeClock_HoldsTheRequestUntilTheClockMoves()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SetFaultsAsync(new JsonObject { ["latency"] = "00:00:05" });

        var pending = sandbox.Http.GetAsync(new Uri(Path, UriKind.Relative));
        await Limits.LimitsTests.WaitForInFlightAsync(sandbox, DemoInstitution.MedicineChair.Id, 1);
        var before = pending.IsCompleted;
        // The request counts as in flight a moment before its delay is armed on the fake clock: advance until it lands
        // (bounded in real time), rather than once and hope the timer was already there.
        var guard = System.Diagnostics.Stopwatch.StartNew();
        while (!pending.IsCompleted && guard.Elapsed < TimeSpan.FromSeconds(30))
        {
            sandbox.Clock!.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAny(pending, Task.Delay(50));
        }

        using var response = await pending;

        Assert.That(before, Is.False);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Faults_AdminAndTokenRoutes_AreNeverFaulted()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SetFaultsAsync(new JsonObject { ["throttleRate"] = 1.0 });

        var report = await sandbox.ReportAsync();
        var token = await TestSandbox.TokenAsync(sandbox.Http, "c", "s");

        Assert.That(report["totalRequests"]!.GetValue<long>(), Is.Zero);
        Assert.That(token, Is.Not.Empty);
    }

    [Test]
    public async Task GetFaults_ReturnsWhatWasPut()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.SetFaultsAsync(new JsonObject { ["throttleRate"] = 0.2, ["latency"] = "00:00:00.050", ["lostResponseRate"] = 0.05, ["retryAfter"] = "00:00:01", ["seed"] = 42 });

        var current = JsonNode.Parse(await sandbox.Http.GetStringAsync(new Uri("sandbox/faults", UriKind.Relative)))!;

        Assert.That(current["throttleRate"]!.GetValue<double>(), Is.EqualTo(0.2));
        Assert.That(current["unavailableRate"]!.GetValue<double>(), Is.Zero);
        Assert.That(current["latency"]!.GetValue<string>(), Is.EqualTo("00:00:00.0500000"));
        Assert.That(current["lostResponseRate"]!.GetValue<double>(), Is.EqualTo(0.05));
        Assert.That(current["retryAfter"]!.GetValue<string>(), Is.EqualTo("00:00:01"));
        Assert.That(current["seed"]!.GetValue<int>(), Is.EqualTo(42));
    }

    private static async Task<List<HttpStatusCode>> GetManyAsync(TestSandbox sandbox, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var response = await sandbox.Http.GetAsync(new Uri(Path, UriKind.Relative));
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }
}
