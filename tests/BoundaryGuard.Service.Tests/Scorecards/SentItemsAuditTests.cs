using BoundaryGuard.Graph;
using BoundaryGuard.Graph.Mailboxes;
using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.GraphSandbox.Seed;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Scheduling;
using BoundaryGuard.Service.Scorecards;
using BoundaryGuard.Service.Tests.Holds;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Graph.Models;
using NodaTime;

namespace BoundaryGuard.Service.Tests.Scorecards;

/// <summary>
/// The Sent Items audit against the sandbox's Sent Items on a fake clock: Marcus Webb (Medicine, New York, policy
/// 07:00–19:00 on weekdays) sends from his own mail client, and BoundaryGuard releases held mail; the audit counts
/// the first kind, by when it went and to whom by role, and never the second.
/// </summary>
[TestFixture(SchedulingProvider.Sqlite)]
[TestFixture(SchedulingProvider.PostgreSQL)]
public sealed class SentItemsAuditTests(SchedulingProvider provider)
{
    private const string Sender = "mwebb@med.example.edu";
    private const string Resident = "jlee@med.example.edu";
    private const string Chair = "ehayes@med.example.edu";
    private const string Outsider = "referrals@clinic.example.org";
    private const string Subject = "AUDIT-MARKER-7f3a";

    private static readonly TimeSpan Eastern = TimeSpan.FromHours(-5);
    private static readonly DateTimeOffset FridayNight = new(2026, 12, 4, 23, 30, 0, Eastern);
    private static readonly DateTimeOffset MondayOpen = new(2026, 12, 7, 7, 0, 0, Eastern);
    private static readonly DateTimeOffset TuesdayNight = new(2026, 12, 8, 22, 15, 0, Eastern);
    private static readonly DateTimeOffset WednesdayMorning = new(2026, 12, 9, 10, 0, 0, Eastern);

    /// <summary>2026-W50: Monday 7 to Sunday 13 December.</summary>
    private static readonly int Week50 = IsoWeeks.Of(new LocalDate(2026, 12, 8));

    private HoldsWorld world = null!;
    private HoldsApp? app;

    private SentItemsAudit Audit => app!.Services.GetRequiredService<SentItemsAudit>();

    private IMetricStore Metrics => app!.Services.GetRequiredService<IMetricStore>();

    [SetUp]
    public async Task SetUp() => world = await HoldsWorld.StartAsync(FridayNight, provider);

    [TearDown]
    public async Task TearDown()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        // Null when SetUp ignored the PostgreSQL leg.
        await (world?.DisposeAsync() ?? ValueTask.CompletedTask);
    }

    [Test]
    public async Task Audit_OwnSendsAtNightAndInHours_CountedByWhenTheyWent()
    {
        await StartAsync(TuesdayNight, Sender);
        for (var i = 0; i < 3; i++)
        {
            await SendOwnAsync(TuesdayNight, Chair, Outsider);
        }

        await SendOwnAsync(WednesdayMorning, Chair);
        await SendOwnAsync(WednesdayMorning, Outsider);

        var round = await Audit.AuditAsync(default);

        Assert.That(round, Is.EqualTo(new SentItemsAuditRound(Mailboxes: 1, Failed: 0, Recorded: 5, Undecided: 0)));
        var week = (await WeeksAsync()).Single();
        Assert.That(week.Week, Is.EqualTo(Week50));
        Assert.That(week.Department, Is.EqualTo(DemoInstitution.Medicine));
        Assert.That((week.DeliveredAfterHours, week.SentInHours, week.Attempts), Is.EqualTo((3L, 2L, 3L)));
        Assert.That((week.Held, week.Released, week.DeliveredAfterHoursToTrainees), Is.EqualTo((0L, 0L, 0L)));
    }

    [Test]
    public async Task Audit_HeldDraftTheUserSentAtNight_OneAttemptDeliveredAfterHours()
    {
        await StartAsync(FridayNight, Sender);
        var draft = await world.CreateDraftAsync(Sender, Resident);
        await app!.HoldAsync(Sender, draft);
        // The user sends the held draft from another client an hour later, still at night.
        world.Clock.SetUtcNow(FridayNight.AddHours(1));
        await world.Graph.Users[Sender].Messages[draft].Send.PostAsync();

        await Audit.AuditAsync(default);

        var sent = await Metrics.FindAsync(SentKey(draft), default);
        var total = Sum(await WeeksAsync());
        Assert.That(sent!.Kind, Is.EqualTo(MetricKind.DeliveredAfterHours));
        Assert.That(sent.Source, Is.EqualTo(HoldSource.AddIn), "marked as a held draft");
        Assert.That((total.Attempts, total.Held, total.DeliveredAfterHours), Is.EqualTo((1L, 1L, 1L)), "one attempt, held, then delivered after hours");
    }

    [Test]
    public async Task Audit_SecondRound_RecordsNothingNew()
    {
        await StartAsync(TuesdayNight, Sender);
        for (var i = 0; i < 3; i++)
        {
            await SendOwnAsync(TuesdayNight, Chair);
        }

        await SendOwnAsync(WednesdayMorning, Chair);
        await SendOwnAsync(WednesdayMorning, Chair);
        await Audit.AuditAsync(default);
        var before = (await WeeksAsync()).Single();

        var second = await Audit.AuditAsync(default);

        Assert.That(second.Recorded, Is.Zero);
        Assert.That((await WeeksAsync()).Single(), Is.EqualTo(before));
        Assert.That((before.DeliveredAfterHours, before.SentInHours, before.Attempts), Is.EqualTo((3L, 2L, 3L)));
    }

    [Test]
    public async Task Audit_MailBoundaryGuardReleased_NotCountedAgain()
    {
        // The jump to Monday fires the audit's own rounds too, while the release is under way: only what is stored
        // afterwards is asserted, whichever round read the released message first.
        await StartAsync(FridayNight, Sender);
        var draft = await world.CreateDraftAsync(Sender, Resident);
        var hold = Guid.Parse((await app!.HoldAsync(Sender, draft))["id"]!.GetValue<string>());
        world.Clock.SetUtcNow(MondayOpen);
        await Eventually.TrueAsync(async () => (await app.Store.GetAsync(hold, default))!.State == HoldState.Sent, "the release");
        // One the user sends himself, so the audit is seen to count what is his.
        var own = await SendOwnAsync(MondayOpen.AddHours(2), Chair);

        await Audit.AuditAsync(default);
        await Audit.AuditAsync(default);

        Assert.That(await world.SentAtAsync(Sender, draft), Is.EqualTo(MondayOpen));
        Assert.That((await app.Store.LatestHoldOfMessageAsync(Sender, draft, default))!.State, Is.EqualTo(HoldState.Sent));
        Assert.That(await app.Store.LatestHoldOfMessageAsync(Sender, own, default), Is.Null);
        Assert.That(await Metrics.FindAsync(SentKey(draft), default), Is.Null);
        Assert.That((await Metrics.FindAsync(SentKey(own), default))?.Kind, Is.EqualTo(MetricKind.SentInHours));
        Assert.That(await Metrics.FindAsync($"hold:{hold:D}:released", default), Is.Not.Null);
        var total = Sum(await WeeksAsync());
        Assert.That((total.Held, total.Released, total.SentInHours, total.DeliveredAfterHours), Is.EqualTo((1L, 1L, 1L, 0L)));
        Assert.That(total.Attempts, Is.EqualTo(1), "the hold made on Friday night, once");
    }

    [Test]
    public async Task Audit_NightSendToResident_CountedAsReachingTrainees()
    {
        await StartAsync(TuesdayNight, Sender);
        var toResident = await SendOwnAsync(TuesdayNight, Resident, Outsider);
        await SendOwnAsync(TuesdayNight, Chair);

        await Audit.AuditAsync(default);

        var week = (await WeeksAsync()).Single();
        Assert.That((week.DeliveredAfterHours, week.DeliveredAfterHoursToTrainees), Is.EqualTo((2L, 1L)));
        var recorded = await Metrics.FindAsync(SentKey(toResident), default);
        Assert.That(recorded!.Recipients, Is.EqualTo(new RecipientCounts(Trainees: 1, Faculty: 0, Staff: 0, External: 1)));
        Assert.That((recorded.Kind, recorded.Period, recorded.LocalHour), Is.EqualTo((MetricKind.DeliveredAfterHours, MetricPeriod.Night, 22)));
    }

    [Test]
    public async Task Audit_AfterRounds_DatabaseHoldsNoRecipientOrSubject()
    {
        if (provider != SchedulingProvider.Sqlite)
        {
            Assert.Ignore("Reads the SQLite file itself.");
        }

        await StartAsync(TuesdayNight, Sender);
        await SendOwnAsync(TuesdayNight, Resident, Outsider);
        await SendOwnAsync(WednesdayMorning, Chair, Outsider);
        await Audit.AuditAsync(default);
        await Audit.AuditAsync(default);
        Assert.That((await WeeksAsync()).Single().DeliveredAfterHoursToTrainees, Is.EqualTo(1), "the audit ran and counted");

        var database = DatabaseText();

        // The sender is on the scorecard by design: finding him shows the search reads the file as stored.
        Assert.That(database, Does.Contain(Sender).IgnoreCase);
        Assert.That(database, Does.Not.Contain(Resident).IgnoreCase);
        Assert.That(database, Does.Not.Contain(Chair).IgnoreCase);
        Assert.That(database, Does.Not.Contain(Outsider).IgnoreCase);
        Assert.That(database, Does.Not.Contain(Subject).IgnoreCase);
    }

    [Test]
    public async Task Audit_MailboxNotInDirectory_SkippedAndOthersAudited()
    {
        await StartAsync(TuesdayNight, "nobody@med.example.edu", Sender);
        await SendOwnAsync(TuesdayNight, Chair);

        var round = await Audit.AuditAsync(default);

        Assert.That((round.Mailboxes, round.Failed), Is.EqualTo((2, 1)));
        Assert.That((await WeeksAsync()).Single().DeliveredAfterHours, Is.EqualTo(1));
    }

    [Test]
    public async Task Audit_DeltaTokenExpired_StartsOverAndCountsEachMessageOnce()
    {
        await StartAsync(TuesdayNight, Sender);
        await SendOwnAsync(TuesdayNight, Chair);
        await Audit.AuditAsync(default);
        // A token Exchange no longer knows: here one from another data set, which the sandbox answers with 410 SyncStateNotFound.
        var expired = await ForeignDeltaLinkAsync();
        await app!.Store.SetCursorAsync(Sender, SentItemsAudit.Feed, expired, default);
        await SendOwnAsync(WednesdayMorning, Chair);

        var round = await Audit.AuditAsync(default);

        Assert.That((round.Failed, round.Recorded), Is.EqualTo((0, 1)));
        var week = (await WeeksAsync()).Single();
        Assert.That((week.DeliveredAfterHours, week.SentInHours), Is.EqualTo((1L, 1L)));
        var cursor = await app.Store.GetCursorAsync(Sender, SentItemsAudit.Feed, default);
        Assert.That(cursor, Is.Not.EqualTo(expired));
        Assert.That(await Audit.AuditAsync(default), Is.EqualTo(new SentItemsAuditRound(1, 0, 0, 0)));
    }

    [Test]
    public async Task Audit_ReleaseStillBeingConfirmed_DecidedNextRound()
    {
        await StartAsync(FridayNight, Sender);
        var draft = await world.CreateDraftAsync(Sender, Resident);
        var id = Guid.Parse((await app!.HoldAsync(Sender, draft))["id"]!.GetValue<string>());
        var held = (await app.Store.GetAsync(id, default))!;
        var now = world.Clock.GetUtcNow();
        // BoundaryGuard's send has begun and is not confirmed, and the message is in Sent Items: whose send it was is not
        // known yet. Here it turns out the user sent it himself, from his phone, before BoundaryGuard's send went.
        var sending = await app.Store.TryUpdateAsync(held with { State = HoldState.Sending, SendStartedAt = now, UpdatedAt = now }, default);
        await world.Graph.Users[Sender].Messages[draft].Send.PostAsync();

        var first = await Audit.AuditAsync(default);

        Assert.That(first.Undecided, Is.EqualTo(1));
        Assert.That(await Metrics.FindAsync(SentKey(draft), default), Is.Null);

        await app.Store.TryUpdateAsync(sending! with { State = HoldState.SentByUser, CompletedAt = now, UpdatedAt = now }, default);
        var second = await Audit.AuditAsync(default);

        Assert.That((second.Undecided, second.Recorded), Is.EqualTo((0, 1)));
        Assert.That((await Metrics.FindAsync(SentKey(draft), default))?.Kind, Is.EqualTo(MetricKind.DeliveredAfterHours));
        Assert.That((await Audit.AuditAsync(default)).Recorded, Is.Zero);
    }

    [Test]
    public void Start_IntervalZero_RefusedAtStart()
    {
        Assert.That(
            () => new HoldsApp(world, new() { ["SentItemsAudit:Interval"] = "00:00:00" }).Dispose(),
            Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("Interval"));
    }

    /// <summary>
    /// Starts the service at <paramref name="at"/> covering <paramref name="mailboxes"/> (the sender last), and waits
    /// for the audit's own round at start to finish. Its next round is a day away: a test that moves the clock less
    /// than that runs every other round itself, and can count what each one recorded.
    /// </summary>
    private async Task StartAsync(DateTimeOffset at, params string[] mailboxes)
    {
        world.Clock.SetUtcNow(at);
        var settings = new Dictionary<string, string?> { ["SentItemsAudit:Interval"] = "1.00:00:00" };
        for (var i = 0; i < mailboxes.Length; i++)
        {
            settings[$"SendLater:Mailboxes:{i}"] = mailboxes[i];
        }

        app = new HoldsApp(world, settings);
        await Eventually.TrueAsync(
            async () => await app.Store.GetCursorAsync(Sender, SentItemsAudit.Feed, default) is not null, "the audit's round at start");
    }

    /// <summary>A message the sender writes and sends himself at <paramref name="at"/>, as his own Outlook would through Graph.</summary>
    private async Task<string> SendOwnAsync(DateTimeOffset at, params string[] to)
    {
        if (world.Clock.GetUtcNow() < at)
        {
            world.Clock.SetUtcNow(at);
        }

        var draft = await world.Graph.Users[Sender].Messages.PostAsync(new Message
        {
            Subject = Subject,
            Body = new ItemBody { ContentType = BodyType.Text, Content = "Sent from my phone." },
            ToRecipients = [.. to.Select(address => new Recipient { EmailAddress = new EmailAddress { Address = address } })],
        });
        await world.Graph.Users[Sender].Messages[draft!.Id].Send.PostAsync();
        return draft.Id!;
    }

    private static string SentKey(string messageId) => $"sent:{Sender}:{messageId}";

    private async Task<List<MetricWeek>> WeeksAsync() =>
        [.. (await Metrics.WeeksAsync(null, null, 202601, 202653, default)).Where(w => w.Sender == Sender)];

    private static MetricWeek Sum(List<MetricWeek> weeks) =>
        weeks.Aggregate(new MetricWeek { Department = DemoInstitution.Medicine, Week = 0, Sender = Sender }, (a, b) => a.Plus(b));

    /// <summary>The SQLite database and its journal, as text (the files as stored; text columns are UTF-8).</summary>
    private string DatabaseText()
    {
        var path = new SqliteConnectionStringBuilder(world.Settings()["Scheduling:ConnectionString"]).DataSource;
        var text = new System.Text.StringBuilder();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            text.Append(System.Text.Encoding.Latin1.GetString(copy.ToArray()));
        }

        return text.ToString();
    }

    /// <summary>
    /// The Sent Items delta link of the same mailbox in another sandbox (another data set), pointed at this world's
    /// sandbox: what a service holds after the mailbox's sync state is gone.
    /// </summary>
    private async Task<string> ForeignDeltaLinkAsync()
    {
        await using var other = await SandboxServer.StartAsync(new SandboxOptions(), world.Clock);
        var settings = world.Settings().Where(s => s.Key.StartsWith("Graph:", StringComparison.Ordinal)).ToDictionary();
        settings["Graph:BaseUrl"] = other.GraphBaseUrl.ToString();
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddSingleton(world.Time)
            .AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Testing" })
            .AddGraphMailbox()
            .BuildServiceProvider();
        var page = await services.GetRequiredService<IMailboxGateway>().GetSentItemsChangesAsync(Sender, null);
        return new Uri(world.Sandbox.BaseUrl, new Uri(page.DeltaLink).PathAndQuery.TrimStart('/')).ToString();
    }
}
