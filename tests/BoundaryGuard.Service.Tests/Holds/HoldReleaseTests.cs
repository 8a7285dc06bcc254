using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Scheduling;

namespace BoundaryGuard.Service.Tests.Holds;

/// <summary>
/// Holds from the API to the sandbox's Sent Items on a fake clock: exact release instants, exact send counts.
/// The demo institution: Marcus Webb (Medicine, New York, policy 07:00–19:00) writes to Jordan Lee (resident, 07:00–19:00).
/// </summary>
[TestFixture(SchedulingProvider.Sqlite)]
[TestFixture(SchedulingProvider.PostgreSQL)]
public sealed class HoldReleaseTests(SchedulingProvider provider)
{
    private const string Sender = "mwebb@med.example.edu";
    private const string Resident = "jlee@med.example.edu";

    private static readonly DateTimeOffset FridayNight = new(2026, 12, 4, 23, 30, 0, TimeSpan.FromHours(-5));
    private static readonly DateTimeOffset MondayOpen = new(2026, 12, 7, 7, 0, 0, TimeSpan.FromHours(-5));
    private static readonly DateTimeOffset TuesdayOpen = MondayOpen.AddDays(1);

    private HoldsWorld world = null!;

    [SetUp]
    public async Task SetUp() => world = await HoldsWorld.StartAsync(FridayNight, provider);

    [TearDown]
    // Null when SetUp ignored the PostgreSQL leg.
    public async Task TearDown() => await (world?.DisposeAsync() ?? ValueTask.CompletedTask);

    [Test]
    public async Task Hold_FridayNightDraft_ReleasedMonday0700ExactlyOnce()
    {
        await using var app = new HoldsApp(world);
        var draft = await world.CreateDraftAsync(Sender, Resident);

        var hold = await app.HoldAsync(Sender, draft);

        Assert.That(hold["state"]!.GetValue<string>(), Is.EqualTo("held"));
        Assert.That(hold["releaseAt"]!.GetValue<string>(), Is.EqualTo("2026-12-07T07:00:00-05:00"));
        Assert.That(hold["reasons"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EqualTo(new[] { "after-hours", "recipient-off-hours" }));
        var id = Guid.Parse(hold["id"]!.GetValue<string>());
        Assert.That(await app.Scheduler.NextFireAsync(id, default), Is.EqualTo(MondayOpen));

        world.Clock.SetUtcNow(MondayOpen.AddSeconds(-1));
        Assert.That(await world.SendsAsync(), Is.Zero);
        world.Clock.SetUtcNow(MondayOpen);
        await StateAsync(app, id, HoldState.Sent);

        Assert.That(await world.SentAtAsync(Sender, draft), Is.EqualTo(MondayOpen));
        world.Clock.Advance(TimeSpan.FromDays(1));
        Assert.That(await world.SendsAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Reconsider_ClosureAddedOnSundayForMonday_MovesReleaseToTuesday0700()
    {
        await using var app = new HoldsApp(world);
        var draft = await world.CreateDraftAsync(Sender, Resident);
        var id = Guid.Parse((await app.HoldAsync(Sender, draft))["id"]!.GetValue<string>());

        world.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.FromHours(-5)));
        AddClosure("2026-12-07", "Snow day");
        Assert.That(app.Policies.Reload(), Is.True, app.Policies.LastError);

        await Eventually.TrueAsync(async () => await app.Scheduler.NextFireAsync(id, default) == TuesdayOpen, "the hold's trigger to move");
        Assert.That((await app.Store.GetAsync(id, default))!.ReleaseAt, Is.EqualTo(TuesdayOpen));
        world.Clock.SetUtcNow(MondayOpen.AddHours(1));
        Assert.That((await app.Store.GetAsync(id, default))!.State, Is.EqualTo(HoldState.Held));

        world.Clock.SetUtcNow(TuesdayOpen);
        await StateAsync(app, id, HoldState.Sent);
        Assert.That(await world.SentAtAsync(Sender, draft), Is.EqualTo(TuesdayOpen));
        Assert.That(await world.SendsAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Sweep_TriggerLaterThanTheHold_MovedBackToTheHoldsTime()
    {
        await using var app = new HoldsApp(world);
        var draft = await world.CreateDraftAsync(Sender, Resident);
        var id = Guid.Parse((await app.HoldAsync(Sender, draft))["id"]!.GetValue<string>());
        // What a crash leaves when it cuts off a move to an earlier time: the hold stored for 07:00, its trigger still at noon.
        await app.Scheduler.ScheduleAsync(id, MondayOpen.AddHours(5), default);

        Assert.That(await app.Holds.SweepAsync(all: true, default), Is.EqualTo(1));
        Assert.That(await app.Scheduler.NextFireAsync(id, default), Is.EqualTo(MondayOpen));
        Assert.That(await app.Holds.SweepAsync(all: true, default), Is.Zero);
    }

    [Test]
    public async Task Release_DraftDeletedMeanwhile_CancelledAndNothingSent()
    {
        await using var app = new HoldsApp(world);
        var draft = await world.CreateDraftAsync(Sender, Resident);
        var id = Guid.Parse((await app.HoldAsync(Sender, draft))["id"]!.GetValue<string>());

        await world.Graph.Users[Sender].Messages[draft].DeleteAsync();
        world.Clock.SetUtcNow(MondayOpen);

        var hold = await StateAsync(app, id, HoldState.Cancelled);
        Assert.That(hold.FailureReason, Is.EqualTo("draft-deleted"));
        Assert.That(await world.SendsAsync(), Is.Zero);
    }

    [Test]
    public async Task Release_UserSentTheDraftMeanwhile_SentByUserAndNotSentAgain()
    {
        await using var app = new HoldsApp(world);
        var draft = await world.CreateDraftAsync(Sender, Resident);
        var id = Guid.Parse((await app.HoldAsync(Sender, draft))["id"]!.GetValue<string>());

        await world.Graph.Users[Sender].Messages[draft].Send.PostAsync();
        world.Clock.SetUtcNow(MondayOpen);

        await StateAsync(app, id, HoldState.SentByUser);
        Assert.That(await world.SendsAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Restart_ServiceDownUntilMonday0300_NothingSentBefore0700ThenSentOnce()
    {
        var draft = await world.CreateDraftAsync(Sender, Resident);
        Guid id;
        await using (var before = new HoldsApp(world))
        {
            id = Guid.Parse((await before.HoldAsync(Sender, draft))["id"]!.GetValue<string>());
        }

        world.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.FromHours(-5)));
        await using var after = new HoldsApp(world);
        Assert.That(await after.Scheduler.NextFireAsync(id, default), Is.EqualTo(MondayOpen));
        world.Clock.SetUtcNow(MondayOpen.AddSeconds(-1));
        Assert.That((await after.Store.GetAsync(id, default))!.State, Is.EqualTo(HoldState.Held));
        Assert.That(await world.SendsAsync(), Is.Zero);

        world.Clock.SetUtcNow(MondayOpen);
        await StateAsync(after, id, HoldState.Sent);
        Assert.That(await world.SentAtAsync(Sender, draft), Is.EqualTo(MondayOpen));
        Assert.That(await world.SendsAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Restart_ServiceDownUntilMonday2000_OverdueReleaseMovesToTuesdayMorning()
    {
        var draft = await world.CreateDraftAsync(Sender, Resident);
        Guid id;
        await using (var before = new HoldsApp(world))
        {
            id = Guid.Parse((await before.HoldAsync(Sender, draft))["id"]!.GetValue<string>());
        }

        // Back after the window closed: the missed release fires, finds it is night, and waits for the morning.
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 20, 0, 0, TimeSpan.FromHours(-5)));
        await using var after = new HoldsApp(world);

        await Eventually.TrueAsync(async () => await after.Scheduler.NextFireAsync(id, default) == TuesdayOpen, "the missed release to move");
        Assert.That((await after.Store.GetAsync(id, default))!.ReleaseAt, Is.EqualTo(TuesdayOpen));
        Assert.That(await world.SendsAsync(), Is.Zero);
    }

    [Test]
    public async Task Restart_ClosureRemovedWhileServiceDown_ReleaseMovesBackToMonday0700()
    {
        AddClosure("2026-12-07", "Snow day");
        var draft = await world.CreateDraftAsync(Sender, Resident);
        Guid id;
        await using (var before = new HoldsApp(world))
        {
            var hold = await before.HoldAsync(Sender, draft);
            Assert.That(hold["releaseAt"]!.GetValue<string>(), Is.EqualTo("2026-12-08T07:00:00-05:00"));
            id = Guid.Parse(hold["id"]!.GetValue<string>());
        }

        // The snow day is called off on Sunday while the service is down: at start it re-decides, no change event needed.
        RemoveClosure("2026-12-07");
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.FromHours(-5)));
        await using var after = new HoldsApp(world);

        await Eventually.TrueAsync(async () => await after.Scheduler.NextFireAsync(id, default) == MondayOpen, "the release to move back to Monday");
        world.Clock.SetUtcNow(MondayOpen);
        await StateAsync(after, id, HoldState.Sent);
        Assert.That(await world.SentAtAsync(Sender, draft), Is.EqualTo(MondayOpen));
        Assert.That(await world.SendsAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Restart_ServiceDownUntilMonday0900_SendsAllOverdueAtOncePacedPerMailbox()
    {
        // 32 drafts from one mailbox (Exchange takes 30 a minute from it) and 3 from another.
        const string other = "sokafor@med.example.edu";
        var drafts = new List<(string Mailbox, string Id)>();
        for (var i = 0; i < 32; i++)
        {
            drafts.Add((Sender, await world.CreateDraftAsync(Sender, Resident)));
        }

        for (var i = 0; i < 3; i++)
        {
            drafts.Add((other, await world.CreateDraftAsync(other, Resident)));
        }

        await using (var before = new HoldsApp(world))
        {
            foreach (var (mailbox, id) in drafts)
            {
                await before.HoldAsync(mailbox, id);
            }
        }

        var nine = MondayOpen.AddHours(2);
        world.Clock.SetUtcNow(nine);
        await using var after = new HoldsApp(world);

        await Eventually.ValueAsync(world.SendsAsync, sends => sends == 33, "30 + 3 sends at 09:00");
        await Task.Delay(500);
        Assert.That(await world.SendsAsync(), Is.EqualTo(33), "the 31st send from one mailbox waits for the next minute");
        // Time flows on from 09:00: a second of it per poll, until the next minute lets the last two go.
        await Eventually.ValueAsync(
            async () =>
            {
                world.Clock.Advance(TimeSpan.FromSeconds(1));
                return await world.SendsAsync();
            },
            sends => sends == 35,
            "the last two sends");
        Assert.That(world.Clock.GetUtcNow(), Is.GreaterThanOrEqualTo(nine.AddMinutes(1)), "not before the next minute");

        foreach (var (mailbox, id) in drafts)
        {
            Assert.That(await world.SentAtAsync(mailbox, id), Is.Not.Null.And.GreaterThanOrEqualTo(nine));
        }

        var report = await world.ReportAsync();
        Assert.That(report["violations"]!["total"]!.GetValue<long>(), Is.Zero, report.ToJsonString());
    }

    private static async Task<Hold> StateAsync(HoldsApp app, Guid id, HoldState state) =>
        (await Eventually.ValueAsync(() => app.Store.GetAsync(id, default), h => h?.State == state, $"hold {id} to become {state}"))!;

    private void AddClosure(string date, string name) =>
        EditPolicy(holidays => holidays.Add(new System.Text.Json.Nodes.JsonObject { ["date"] = date, ["name"] = name }));

    private void RemoveClosure(string date) =>
        EditPolicy(holidays => holidays.Remove(holidays.Single(h => h!["date"]!.GetValue<string>() == date)));

    private void EditPolicy(Action<System.Text.Json.Nodes.JsonArray> editHolidays)
    {
        var path = Path.Combine(world.PolicyFolder, "medicine.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
        editHolidays(json["holidays"]!.AsArray());
        File.WriteAllText(path, json.ToJsonString());
    }
}
