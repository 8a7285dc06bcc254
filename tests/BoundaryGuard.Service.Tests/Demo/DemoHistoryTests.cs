using BoundaryGuard.Service.Tests.Hosting;
using BoundaryGuard.Demo;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.GraphSandbox.Seed;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Hosting;
using BoundaryGuard.Service.Scheduling;
using BoundaryGuard.Service.Scorecards;
using BoundaryGuard.Service.Tests.Holds;
using BoundaryGuard.Service.Tests.Scheduling;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using NodaTime;

namespace BoundaryGuard.Service.Tests.Demo;

/// <summary>
/// The whole service as Program.cs composes it, with <c>Demo:History</c>: twelve weeks of the demo faculty's mail,
/// played once for all the tests here through the real pipeline on the skipped demo clock. Every draft carries
/// markers in its subject, its body and an outside recipient's address; every log entry of every category is kept.
/// </summary>
/// <remarks>
/// The history takes about half a minute on two idle cores and about a minute on two busy ones; the wait in
/// <see cref="PlayTheHistory"/> is the budget.
/// </remarks>
[NonParallelizable]
public sealed class DemoHistoryTests
{
    private static readonly DateTimeOffset StartAt = new(2026, 12, 4, 23, 0, 0, TimeSpan.FromHours(-5));
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    private readonly string marker = Guid.NewGuid().ToString("N");
    private readonly CollectingLoggerProvider logs = new();
    private SchedulingTarget database = null!;
    private MarkedLetters letters = null!;
    private HistoryApplication app = null!;

    private DemoHistory History => app.Services.GetRequiredService<DemoHistory>();

    private static int FirstWeek => IsoWeeks.Of(Instant.FromDateTimeOffset(StartAt.AddDays(-84)).InZone(NewYork).Date);

    private static int LastWeek => IsoWeeks.Of(Instant.FromDateTimeOffset(StartAt).InZone(NewYork).Date);

    [OneTimeSetUp]
    public async Task PlayTheHistory()
    {
        database = SchedulingTarget.Create(SchedulingProvider.Sqlite);
        letters = new MarkedLetters(marker);
        app = new HistoryApplication(database, new() { ["Demo:ClockSpeed"] = "2" }, logs, letters);
        await app.HistoryFinishedAsync("the twelve weeks of history", seconds: 170);
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await app.DisposeAsync();
        database.Dispose();
        logs.Dispose();
    }

    [Test]
    public void History_Played_EveryStepWentThroughAndTheDemoStartsAtStartAtAtItsClockSpeed()
    {
        var clock = (SimulatedTimeProvider)app.Services.GetRequiredService<TimeProvider>();

        Assert.That(History.Totals.Failed, Is.Zero);
        Assert.That(logs.Entries.Where(e => e.Category == typeof(DemoHistory).FullName && e.Level >= LogLevel.Warning), Is.Empty);
        Assert.That(clock.GetUtcNow(), Is.GreaterThanOrEqualTo(StartAt).And.LessThan(StartAt.AddHours(1)));
        Assert.That(clock.Speed, Is.EqualTo(2));
        // One summary line per week the history touched, counts only.
        Assert.That(logs.Entries.Count(e => e.Category == typeof(DemoHistory).FullName && e.Line.Contains("mails written", StringComparison.Ordinal)),
            Is.EqualTo(LastWeek - FirstWeek + 1));
    }

    [Test]
    public async Task History_EveryWeek_MedicineHasHoldsAndReleasesAndTheWeeksHaveOverridesCancelsWeekendsAndClosures()
    {
        var store = app.Services.GetRequiredService<IMetricStore>();

        var rows = await store.WeeksAsync(DemoInstitution.Medicine, null, FirstWeek, LastWeek, default);
        var weeks = rows.GroupBy(r => r.Week).ToDictionary(g => g.Key, g => g.Aggregate((a, b) => a.Plus(b)));

        Assert.That(weeks.Keys, Is.EquivalentTo(new WeekRange(FirstWeek, LastWeek).All()));
        Assert.That(weeks.Values.Select(w => w.Held), Has.All.GreaterThan(0));
        // The first week is a Friday night and a weekend: its holds go out on the Monday after.
        Assert.That(weeks.Where(w => w.Key != FirstWeek).Select(w => w.Value.Released), Has.All.GreaterThan(0));
        var all = weeks.Values.Aggregate((a, b) => a.Plus(b));
        Assert.That(all.Overrides, Is.GreaterThan(0));
        Assert.That(all.Cancelled, Is.GreaterThan(0));
        Assert.That(all.Weekend, Is.GreaterThan(0));
        Assert.That(all.Holiday, Is.GreaterThan(0), "mail held on Columbus Day, Veterans Day or Thanksgiving");
        Assert.That(rows.Select(r => r.Sender).Distinct().Count(), Is.EqualTo(6));
    }

    [Test]
    public async Task History_SendLaterAndReleases_HeldBySourceAndSentByQuartzAtTheirTime()
    {
        var store = app.Services.GetRequiredService<IHoldStore>();

        var sent = await store.ListByStateAsync(HoldState.Sent, default);

        Assert.That(sent.Count(h => h.Source == HoldSource.SendLater), Is.EqualTo(History.Totals.SendLater));
        Assert.That(sent.Count(h => h.Source == HoldSource.AddIn), Is.GreaterThan(100));
        // Released by their triggers as the clock reached the release time, each within seconds of it.
        Assert.That(sent.Select(h => (h.CompletedAt!.Value - h.ReleaseAt).TotalSeconds), Has.All.InRange(0, 60));
    }

    [Test]
    public async Task History_ThenAnAuditRound_MailSentWithoutBoundaryGuardReachesTheScorecard()
    {
        var metrics = app.Services.GetRequiredService<IMetricStore>();

        await app.Services.GetRequiredService<SentItemsAudit>().AuditAsync(default);
        var all = (await metrics.WeeksAsync(DemoInstitution.Medicine, null, FirstWeek, LastWeek, default)).Aggregate((a, b) => a.Plus(b));

        // The seeded people's mailboxes are the ones the demo covers (the numbered faculty are not).
        Assert.That(all.SentInHours, Is.GreaterThan(0), "sent in working hours from Outlook");
        Assert.That(all.DeliveredAfterHours, Is.GreaterThan(all.Overrides), "sent from a phone after hours, beyond the night overrides");
    }

    /// <remarks>The sandbox's own count of sends: every mail went out once, whichever way it went.</remarks>
    [Test]
    public async Task History_EveryMail_SentExactlyOnceWhetherDirectlyOrByBoundaryGuard()
    {
        var store = app.Services.GetRequiredService<IHoldStore>();
        var sandbox = app.Services.GetRequiredService<RunningSandbox>();
        using var http = new HttpClient();

        var report = await http.GetFromJsonAsync<JsonObject>(new Uri(sandbox.BaseUrl, "sandbox/report"));
        var released = (await store.ListByStateAsync(HoldState.Sent, default)).Count + (await store.ListByStateAsync(HoldState.Overridden, default)).Count;

        Assert.That(History.Totals.SentFromPhone, Is.GreaterThan(0));
        Assert.That(History.Totals.SentInHours, Is.GreaterThan(0));
        Assert.That(report!["sends"]!.GetValue<long>(), Is.EqualTo(History.Totals.SentInHours + History.Totals.SentFromPhone + released));
        Assert.That(report["violations"]!["total"]!.GetValue<long>(), Is.Zero);
    }

    [Test]
    public async Task ScorecardsApi_AfterTheHistory_TheChairSeesTwelveLivingWeeksAndSurgeryIsWithheldBelowTheMinimumGroup()
    {
        using var chair = app.ClientFor(DemoInstitution.MedicineChair.UserPrincipalName, "chair");
        using var it = app.ClientFor("it@med.example.edu", "it-admin");

        var medicine = await chair.GetFromJsonAsync<JsonObject>("/api/v1/scorecards/departments/department-of-medicine");
        var surgery = await it.GetFromJsonAsync<JsonObject>("/api/v1/scorecards/departments/department-of-surgery");

        // The default range is the twelve weeks up to the clock's today, which is where the history ends.
        Assert.That((medicine!["from"]!.GetValue<string>(), medicine["to"]!.GetValue<string>()), Is.EqualTo((IsoWeeks.Name(IsoWeeks.Add(LastWeek, -11)), IsoWeeks.Name(LastWeek))));
        Assert.That((medicine["people"]!.GetValue<int>(), medicine["suppressed"]!.GetValue<bool>()), Is.EqualTo((6, false)));
        Assert.That(medicine["weeks"]!.AsArray().Select(w => w!["measures"]!["held"]!.GetValue<long>()).ToList(), Has.Count.EqualTo(12).And.All.GreaterThan(0));
        Assert.That(medicine["own"]!["totals"]!["held"]!.GetValue<long>(), Is.GreaterThan(0), "the chair's own card");
        Assert.That((surgery!["people"]!.GetValue<int>(), surgery["suppressed"]!.GetValue<bool>()), Is.EqualTo((3, true)));
    }

    [Test]
    public void Privacy_AfterTheHistory_MarkersAppearNowhereInTheDatabaseOrTheLogs()
    {
        var database = new SqliteConnectionStringBuilder(app.ConnectionString).DataSource;
        var entries = logs.Entries;

        // The markers were written (every draft carried them), and Microsoft 365's side, the sandbox, has them.
        Assert.That(letters.Written, Is.EqualTo(History.Totals.Written).And.GreaterThan(500));
        Assert.That(Leaks(ReadShared(Path.Combine(app.DataFolder, EmbeddedGraphSandbox.DataFileName))), Is.True);
        // Everything was logged, down to Trace (which nothing here writes; Quartz and Polly write plenty at Debug).
        Assert.That(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Any").IsEnabled(LogLevel.Trace), Is.True);
        Assert.That(entries.Select(e => e.Level), Does.Contain(LogLevel.Debug));

        // A connection of our own keeps the write-ahead log from being checkpointed away and deleted while it is read
        // (SQLite does that when the service's last connection closes). The log is read first: whatever a checkpoint
        // moves out of it meanwhile is then in the database file, read after it.
        using (var keep = new SqliteConnection(app.ConnectionString))
        {
            keep.Open();
            using var touch = keep.CreateCommand();
            touch.CommandText = "SELECT COUNT(*) FROM sqlite_master";
            touch.ExecuteScalar();
            foreach (var file in new[] { database + "-wal", database + "-shm", database })
            {
                Assert.That(File.Exists(file), Is.True, file);
                Assert.That(Leaks(ReadShared(file)), Is.False, $"a marker in {Path.GetFileName(file)}");
            }
        }

        Assert.That(entries.Where(e => Leaks(e.Line)).Select(e => e.Line), Is.Empty);
    }

    /// <summary>
    /// Whether the marker's id is in the bytes, as text in any case (UTF-8 or UTF-16) or base64-encoded. The id is in
    /// every marker, so a subject, a body or an address in whole or in part would show it.
    /// </summary>
    private bool Leaks(byte[] bytes) =>
        Leaks(Encoding.Latin1.GetString(bytes)) ||
        Encoding.Unicode.GetString(bytes).Contains(marker, StringComparison.OrdinalIgnoreCase) ||
        (bytes.Length > 1 && Encoding.Unicode.GetString(bytes, 1, bytes.Length - 1).Contains(marker, StringComparison.OrdinalIgnoreCase));

    private bool Leaks(string text) =>
        text.Contains(marker, StringComparison.OrdinalIgnoreCase) || Base64Cores().Any(core => text.Contains(core, StringComparison.Ordinal));

    /// <summary>The marker's id base64-encoded at each of the three byte alignments, less the characters its neighbours change.</summary>
    private IEnumerable<string> Base64Cores() =>
        Enumerable.Range(0, 3).Select(offset =>
        {
            var encoded = Convert.ToBase64String(Encoding.ASCII.GetBytes(new string('-', offset) + marker));
            return encoded[4..^4];
        });

    private static byte[] ReadShared(string path)
    {
        // The service still has these files open.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The demo's letters with markers planted in the subject, the body and an outside recipient's address.</summary>
    private sealed class MarkedLetters(string marker) : DemoLetters
    {
        private int written;

        public int Written => Volatile.Read(ref written);

        public override DemoLetter Write(DemoMail mail)
        {
            Interlocked.Increment(ref written);
            var letter = base.Write(mail);
            return letter with
            {
                Subject = $"{letter.Subject} SUBJ-MARKER-{marker}",
                Body = $"{letter.Body} BODY-MARKER-{marker}",
                To = [.. letter.To, $"rcpt-marker-{marker}@elsewhere.example.org"],
            };
        }
    }

    /// <summary>
    /// The demo host as <see cref="DemoProgram"/> composes it with <c>Demo:History</c> from <see cref="StartAt"/>, on
    /// <paramref name="database"/> (a SQLite file in a temp folder, beside which the embedded sandbox keeps its data
    /// file), with <paramref name="logs"/> as its only log sink (every category, every level), <paramref name="letters"/>
    /// writing the history's mails when given, and bearer tokens signed with a test key.
    /// </summary>
    internal sealed class HistoryApplication(
        SchedulingTarget database, Dictionary<string, string?> settings, CollectingLoggerProvider logs, DemoLetters? letters = null)
        : WebApplicationFactory<DemoProgram>
    {
        private const string Issuer = "demo-history-tests";
        private static readonly byte[] SigningKey = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 11))];

        public string ConnectionString => database.ConnectionString;

        public string DataFolder => Path.GetDirectoryName(new SqliteConnectionStringBuilder(database.ConnectionString).DataSource)!;

        /// <summary>Starts the service and waits, in real time, for its history to reach <c>Demo:StartAt</c>.</summary>
        public async Task<DemoHistory> HistoryFinishedAsync(string what, int seconds)
        {
            var history = Services.GetRequiredService<DemoHistory>();
            await Eventually.TrueAsync(() => Task.FromResult(history.Finished.IsCompleted), what, seconds);
            await history.Finished;
            return history;
        }

        /// <summary>An API client with a token for <paramref name="mailbox"/> in <paramref name="role"/>.</summary>
        public HttpClient ClientFor(string mailbox, string role)
        {
            var client = CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = Issuer,
                Audience = Issuer,
                Subject = new ClaimsIdentity([new Claim("unique_name", mailbox), new Claim("role", role)]),
                SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(SigningKey), SecurityAlgorithms.HmacSha256),
            }));
            return client;
        }

        protected override IHost CreateHost(IHostBuilder builder)
        {
            var all = new Dictionary<string, string?>(database.Settings())
            {
                ["Demo:StartAt"] = StartAt.ToString("O"),
                ["Demo:History"] = "true",
                ["Sandbox:Port"] = "0",
                ["Logging:LogLevel:Default"] = "Trace",
                ["Authentication:Schemes:Bearer:ValidIssuer"] = Issuer,
                ["Authentication:Schemes:Bearer:ValidAudiences:0"] = Issuer,
                ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = Issuer,
                ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(SigningKey),
            };
            foreach (var (key, value) in settings)
            {
                all[key] = value;
            }

            // Host configuration: Program.cs reads Demo, Graph, Sandbox and Scheduling while it registers services.
            builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(all));
            return base.CreateHost(builder);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.ConfigureLogging(logging => logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
            if (letters is not null)
            {
                builder.ConfigureTestServices(services => services.AddSingleton(letters));
            }
        }
    }
}

/// <summary>A history is played into a database once: a restart on it goes straight to <c>Demo:StartAt</c>.</summary>
[NonParallelizable]
public sealed class DemoHistoryReplayTests
{
    private static readonly DateTimeOffset StartAt = new(2026, 12, 4, 23, 0, 0, TimeSpan.FromHours(-5));

    [Test]
    public async Task Start_DatabaseWithTheHistoryAlready_NotPlayedAgainAndTheDemoStartsAtStartAt()
    {
        using var database = SchedulingTarget.Create(SchedulingProvider.Sqlite);
        using var logs = new CollectingLoggerProvider();
        var oneWeek = new Dictionary<string, string?> { ["Demo:HistoryWeeks"] = "1" };
        await using (var first = new DemoHistoryTests.HistoryApplication(database, oneWeek, logs))
        {
            Assert.That((await first.HistoryFinishedAsync("a week of history", seconds: 120)).Totals.Written, Is.GreaterThan(0));
        }

        await using var again = new DemoHistoryTests.HistoryApplication(database, oneWeek, logs);
        var replay = await again.HistoryFinishedAsync("the restart", seconds: 60);

        Assert.That(replay.Totals.Written, Is.Zero);
        Assert.That(again.Services.GetRequiredService<TimeProvider>().GetUtcNow(), Is.GreaterThanOrEqualTo(StartAt).And.LessThan(StartAt.AddHours(1)));
        Assert.That(logs.Entries.Count(e => e.Line.Contains("is not played again", StringComparison.Ordinal)), Is.EqualTo(1));
    }
}
