using System.Net.Http.Json;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Tests.Holds;

namespace BoundaryGuard.Service.Tests.Telemetry;

/// <summary>
/// The service's telemetry after real scenarios: the whole service (Program.cs) against the Graph sandbox over HTTP on
/// a fake clock, read through OpenTelemetry's exporters. Exact counts: one test's service at a time, so no other
/// host's meters are listened to.
/// </summary>
[NonParallelizable]
public sealed class TelemetryTests
{
    private const string Sender = "mwebb@med.example.edu";
    private const string Resident = "jlee@med.example.edu";

    private static readonly DateTimeOffset FridayNight = new(2026, 12, 4, 23, 30, 0, TimeSpan.FromHours(-5));
    private static readonly DateTimeOffset MondayOpen = new(2026, 12, 7, 7, 0, 0, TimeSpan.FromHours(-5));

    /// <summary>What must never leave in telemetry: the mailboxes (whole, local part, URL-encoded) and the draft's text.</summary>
    private static readonly string[] Secrets =
    [
        Sender, Resident, "mwebb", "jlee", "mwebb%40med", "jlee%40med", "Case conference notes", "Notes for Monday.",
    ];

    private HoldsWorld world = null!;
    private TelemetryCapture telemetry = null!;

    [SetUp]
    public async Task SetUp()
    {
        world = await HoldsWorld.StartAsync(FridayNight);
        telemetry = new TelemetryCapture();
    }

    [TearDown]
    public async Task TearDown() => await world.DisposeAsync();

    [Test]
    public async Task Metrics_ThreeHeldOneSentEarlyOneCancelledOneReleased_ExactCountsAndNoAddressAnywhere()
    {
        await using var app = new HoldsApp(world, services: telemetry.Register);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var draft = await world.CreateDraftAsync(Sender, Resident);
            ids.Add(Guid.Parse((await app.HoldAsync(Sender, draft))["id"]!.GetValue<string>()));
        }

        using (var client = app.ClientFor(Sender))
        {
            using var early = await client.PostAsJsonAsync($"/api/v1/holds/{ids[0]}/release", new { reason = "patient-care" });
            Assert.That((int)early.StatusCode, Is.EqualTo(200), await early.Content.ReadAsStringAsync());
            using var cancel = await client.DeleteAsync(new Uri($"/api/v1/holds/{ids[1]}", UriKind.Relative));
            Assert.That((int)cancel.StatusCode, Is.EqualTo(200), await cancel.Content.ReadAsStringAsync());
        }

        telemetry.Collect(app.Services);
        Assert.That(Pending(), Is.EqualTo((Held: 1L, Sending: 0L)));

        // Thirty seconds past the release (inside Quartz's misfire threshold): the release fires now, 30 s late.
        world.Clock.SetUtcNow(MondayOpen.AddSeconds(30));
        await Eventually.ValueAsync(() => app.Store.GetAsync(ids[2], default), h => h?.State == HoldState.Sent, "the third hold to be released");
        await CollectReleasedAsync(app.Services);
        // The pending count is cached for a few seconds of the service's clock: let them pass, so it is read afresh.
        world.Clock.Advance(TimeSpan.FromSeconds(5));
        telemetry.Collect(app.Services);

        Assert.Multiple(() =>
        {
            Assert.That(telemetry.Sum("boundaryguard.holds.created"), Is.EqualTo(3));
            Assert.That(telemetry.Sum("boundaryguard.holds.created", ("boundaryguard.hold.source", "add-in")), Is.EqualTo(3));
            Assert.That(telemetry.Sum("boundaryguard.holds.released"), Is.EqualTo(1));
            Assert.That(telemetry.Sum("boundaryguard.holds.sent_early", ("boundaryguard.hold.reason", "patient-care")), Is.EqualTo(1));
            Assert.That(telemetry.Sum("boundaryguard.holds.sent_early"), Is.EqualTo(1));
            Assert.That(telemetry.Sum("boundaryguard.holds.cancelled", ("boundaryguard.hold.reason", "sender")), Is.EqualTo(1));
            Assert.That(telemetry.Sum("boundaryguard.holds.cancelled"), Is.EqualTo(1));
            Assert.That(telemetry.Sum("boundaryguard.holds.failed"), Is.Zero);
            Assert.That(telemetry.Sum("boundaryguard.holds.sent_by_user"), Is.Zero);
            Assert.That(telemetry.Sum("boundaryguard.scheduler.misfires"), Is.Zero);
            Assert.That(Pending(), Is.EqualTo((Held: 0L, Sending: 0L)));

            var lateness = telemetry.Points("boundaryguard.holds.release.lateness").Single();
            Assert.That(lateness.GetHistogramCount(), Is.EqualTo(1));
            Assert.That(lateness.GetHistogramSum(), Is.EqualTo(30).Within(0.001));

            Assert.That(telemetry.Sum("boundaryguard.graph.requests", ("boundaryguard.graph.outcome", "success")), Is.GreaterThan(0));
            Assert.That(telemetry.Sum("boundaryguard.graph.requests", ("http.request.method", "POST")), Is.GreaterThan(0));
            Assert.That(telemetry.Sum("boundaryguard.graph.throttled"), Is.Zero);
        });

        // The release's span ends when its job returns, a moment after the hold is counted.
        await Eventually.TrueAsync(
            () => Task.FromResult(telemetry.Spans.Any(s => s.DisplayName == "release-hold" && s.GetTagItem("boundaryguard.hold.id") as string == ids[2].ToString("D"))),
            "the release's span to end");
        var spans = telemetry.SpanText();
        Assert.Multiple(() =>
        {
            Assert.That(telemetry.Spans.Count(s => s.Source.Name == "BoundaryGuard" && s.DisplayName == "release-hold"), Is.GreaterThanOrEqualTo(1));
            Assert.That(telemetry.Spans.Any(s => s.Kind == System.Diagnostics.ActivityKind.Server && s.GetTagItem("http.route") is "/api/v1/holds"), Is.True, spans);
            // The release's Graph send, as a child of the release span, with a templated URL.
            var release = telemetry.Spans.First(s => s.DisplayName == "release-hold" && s.GetTagItem("boundaryguard.hold.id") as string == ids[2].ToString("D"));
            Assert.That(telemetry.Spans.Any(s => s.TraceId == release.TraceId && s.Kind == System.Diagnostics.ActivityKind.Client &&
                (s.GetTagItem("url.full") as string ?? "").EndsWith("/v1.0/users/{id}/messages/{id}/send", StringComparison.Ordinal)), Is.True, spans);
        });

        AssertNothingSecret();
    }

    [Test]
    public async Task Metrics_GraphAnswers429Once_CountedAsThrottledAndRetriedThenSucceeds()
    {
        await using var app = new HoldsApp(world, services: telemetry.Register);
        var draft = await world.CreateDraftAsync(Sender, Resident);
        await world.SetFaultsAsync(new { throttleRate = 1.0, retryAfter = "00:00:01" });

        var hold = app.HoldAsync(Sender, draft);
        await Eventually.TrueAsync(async () => (await world.ReportAsync())["throttled"]!["injected"]!.GetValue<long>() >= 1, "the sandbox to answer 429");
        await world.SetFaultsAsync(new { });
        // Retry-After runs on the service's clock: move it on until the retried request gets through.
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!hold.IsCompleted && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            world.Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        Assert.That((await hold)["state"]!.GetValue<string>(), Is.EqualTo("held"));
        telemetry.Collect(app.Services);
        var injected = (await world.ReportAsync())["throttled"]!["injected"]!.GetValue<long>();

        Assert.Multiple(() =>
        {
            Assert.That(injected, Is.EqualTo(1), "one 429 expected from the sandbox");
            Assert.That(telemetry.Sum("boundaryguard.graph.throttled"), Is.EqualTo(injected));
            Assert.That(telemetry.Sum("boundaryguard.graph.retries", ("boundaryguard.graph.retry.reason", "throttled")), Is.EqualTo(injected));
            Assert.That(telemetry.Sum("boundaryguard.graph.requests", ("boundaryguard.graph.outcome", "throttled")), Is.Zero, "no request gave up");
            Assert.That(telemetry.Sum("boundaryguard.graph.requests", ("boundaryguard.graph.outcome", "success")), Is.GreaterThan(0));
            Assert.That(telemetry.Sum("boundaryguard.holds.created"), Is.EqualTo(1));
        });
        AssertNothingSecret();
    }

    [Test]
    public async Task Metrics_ServiceDownOverTheRelease_MisfireCountedAndLatenessIsTheOutage()
    {
        var draft = await world.CreateDraftAsync(Sender, Resident);
        Guid id;
        await using (var before = new HoldsApp(world))
        {
            id = Guid.Parse((await before.HoldAsync(Sender, draft))["id"]!.GetValue<string>());
        }

        // Back two hours after the release, in working hours: Quartz finds the trigger misfired and fires it now.
        world.Clock.SetUtcNow(MondayOpen.AddHours(2));
        await using var after = new HoldsApp(world, services: telemetry.Register);
        await Eventually.ValueAsync(() => after.Store.GetAsync(id, default), h => h?.State == HoldState.Sent, "the overdue hold to be released");
        await CollectReleasedAsync(after.Services);

        Assert.Multiple(() =>
        {
            Assert.That(telemetry.Sum("boundaryguard.scheduler.misfires"), Is.EqualTo(1));
            Assert.That(telemetry.Sum("boundaryguard.holds.released"), Is.EqualTo(1));
            var lateness = telemetry.Points("boundaryguard.holds.release.lateness").Single();
            Assert.That(lateness.GetHistogramCount(), Is.EqualTo(1));
            Assert.That(lateness.GetHistogramSum(), Is.EqualTo(7200).Within(0.001));
        });
        AssertNothingSecret();
    }

    [Test]
    public async Task AddServiceTelemetry_OtlpEndpointSet_ServiceStartsAndExportsAlongside()
    {
        // Nothing listens there: the OTLP exporter's failures are its own, logged by OpenTelemetry, never the service's.
        var otlp = new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9" };
        await using var app = new HoldsApp(world, otlp, services: telemetry.Register);
        var draft = await world.CreateDraftAsync(Sender, Resident);

        Assert.That((await app.HoldAsync(Sender, draft))["state"]!.GetValue<string>(), Is.EqualTo("held"));
        telemetry.Collect(app.Services);
        Assert.That(telemetry.Sum("boundaryguard.holds.created"), Is.EqualTo(1));
    }

    /// <summary>
    /// Collects once the release is counted: the hold is stored as sent a moment before it is counted, and the lateness
    /// is recorded last.
    /// </summary>
    private Task CollectReleasedAsync(IServiceProvider services) =>
        Eventually.TrueAsync(() =>
        {
            telemetry.Collect(services);
            return Task.FromResult(telemetry.Points("boundaryguard.holds.release.lateness").Any(p => p.GetHistogramCount() > 0));
        }, "the release to be counted");

    private (long Held, long Sending) Pending()
    {
        var points = telemetry.Points("boundaryguard.holds.pending");
        long Of(string state) => points.Where(p => TelemetryCapture.Has(p, ("boundaryguard.hold.state", state))).Sum(p => p.GetGaugeLastValueLong());
        return (Of("held"), Of("sending"));
    }

    private void AssertNothingSecret()
    {
        var metrics = telemetry.MetricText();
        var spans = telemetry.SpanText();
        var logs = string.Join('\n', telemetry.Logs);
        Assert.That(telemetry.Logs, Is.Not.Empty, "no log records were exported");
        Assert.Multiple(() =>
        {
            foreach (var secret in Secrets)
            {
                Assert.That(metrics, Does.Not.Contain(secret).IgnoreCase, $"a metric tag carries {secret}");
                Assert.That(spans, Does.Not.Contain(secret).IgnoreCase, $"a span carries {secret}:\n{Lines(spans, secret)}");
                Assert.That(logs, Does.Not.Contain(secret).IgnoreCase, $"a log record carries {secret}:\n{Lines(logs, secret)}");
            }
        });
    }

    private static string Lines(string text, string secret) =>
        string.Join('\n', text.Split('\n').Where(l => l.Contains(secret, StringComparison.OrdinalIgnoreCase)).Take(5));
}
