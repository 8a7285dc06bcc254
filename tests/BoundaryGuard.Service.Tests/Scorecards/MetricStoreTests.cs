using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Scheduling;
using BoundaryGuard.Service.Scorecards;
using BoundaryGuard.Service.Tests.Holds;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace BoundaryGuard.Service.Tests.Scorecards;

/// <summary>The metric store on both databases: events stored once by key, and rollups that are exactly their sum.</summary>
[TestFixture(SchedulingProvider.Sqlite)]
[TestFixture(SchedulingProvider.PostgreSQL)]
public sealed class MetricStoreTests(SchedulingProvider provider)
{
    private const string Medicine = "Department of Medicine";

    private HoldsWorld world = null!;
    private HoldsApp app = null!;

    private IMetricStore Store => app.Services.GetRequiredService<IMetricStore>();

    [SetUp]
    public async Task SetUp()
    {
        world = await HoldsWorld.StartAsync(new DateTimeOffset(2026, 12, 4, 23, 30, 0, TimeSpan.FromHours(-5)), provider);
        app = new HoldsApp(world);
    }

    [TearDown]
    public async Task TearDown()
    {
        // Both null when SetUp ignored the PostgreSQL leg.
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        if (world is not null)
        {
            await world.DisposeAsync();
        }
    }

    internal static MetricEvent Event(
        string key, MetricKind kind, string sender, LocalDate day, MetricPeriod period = MetricPeriod.None, int trainees = 0,
        OverrideReason? overrideReason = null, int? holdMinutes = null, string department = Medicine) =>
        new(key, kind, new DateTimeOffset(day.Year, day.Month, day.Day, 12, 0, 0, TimeSpan.FromHours(-5)), sender, department, day, 12, period,
            HoldReasons.None, new RecipientCounts(trainees, 1, 0, 0), overrideReason, null, holdMinutes);

    [Test]
    public async Task AppendAsync_SameKeysAgain_StoredOnceAndRollupsUnchanged()
    {
        var day = new LocalDate(2026, 11, 23);
        MetricEvent[] events =
        [
            Event("a", MetricKind.HoldCreated, "mwebb@med.example.edu", day, MetricPeriod.Night, trainees: 1),
            Event("b", MetricKind.DeliveredAfterHours, "mwebb@med.example.edu", day, MetricPeriod.Weekend, trainees: 2),
            Event("c", MetricKind.SentInHours, "mwebb@med.example.edu", day),
            Event("d", MetricKind.Released, "mwebb@med.example.edu", day, holdMinutes: 450),
            Event("e", MetricKind.Overridden, "mwebb@med.example.edu", day, MetricPeriod.Night, trainees: 1, overrideReason: OverrideReason.PatientCare),
        ];

        var first = await Store.AppendAsync(events, default);
        var again = await Store.AppendAsync([.. events, events[0]], default);
        var weeks = await Store.WeeksAsync(Medicine, null, 202648, 202648, default);
        var minutes = await Store.HoldMinutesAsync(Medicine, null, 202648, 202648, default);

        Assert.That(first, Is.EqualTo(5));
        Assert.That(again, Is.Zero);
        Assert.That(weeks, Has.Count.EqualTo(1));
        var week = weeks[0];
        Assert.Multiple(() =>
        {
            Assert.That(week.Sender, Is.EqualTo("mwebb@med.example.edu"));
            Assert.That(week.Attempts, Is.EqualTo(2), "held at night and delivered on a weekend");
            Assert.That(week.Held, Is.EqualTo(1));
            Assert.That(week.DeliveredAfterHours, Is.EqualTo(2), "the audit's and the night override's");
            Assert.That(week.DeliveredAfterHoursToTrainees, Is.EqualTo(2));
            Assert.That(week.OverridePatientCare, Is.EqualTo(1));
            Assert.That(week.SentInHours, Is.EqualTo(1));
            Assert.That(week.Released, Is.EqualTo(1));
            Assert.That(week.Weekend, Is.EqualTo(1));
            Assert.That(minutes.Single().Bucket, Is.EqualTo(30), "450 minutes is the 31st quarter hour");
        });
    }

    [Test]
    public async Task FindAsync_StoredEvent_ComesBackWhole()
    {
        var stored = Event("hold:x:overridden", MetricKind.Overridden, "mwebb@med.example.edu", new LocalDate(2026, 12, 5), MetricPeriod.Weekend,
            trainees: 3, overrideReason: OverrideReason.TimeCritical);
        await Store.AppendAsync([stored], default);

        var found = await Store.FindAsync(stored.Key, default);

        Assert.That(found, Is.EqualTo(stored with { At = stored.At.ToUniversalTime() }).Using<MetricEvent>((a, b) =>
            a.Key == b.Key && a.Kind == b.Kind && a.At == b.At && a.Sender == b.Sender && a.Department == b.Department &&
            a.LocalDay == b.LocalDay && a.LocalHour == b.LocalHour && a.Period == b.Period && a.Recipients == b.Recipients &&
            a.Override == b.Override && a.HoldMinutes == b.HoldMinutes));
        Assert.That(await Store.FindAsync("no-such-key", default), Is.Null);
    }

    [Test]
    public async Task WeeksAsync_RangeAndDepartment_OnlyThoseRows()
    {
        await Store.AppendAsync(
        [
            Event("w47", MetricKind.SentInHours, "mwebb@med.example.edu", new LocalDate(2026, 11, 16)),
            Event("w48", MetricKind.SentInHours, "mwebb@med.example.edu", new LocalDate(2026, 11, 23)),
            Event("w49", MetricKind.SentInHours, "mwebb@med.example.edu", new LocalDate(2026, 11, 30)),
            Event("surgery", MetricKind.SentInHours, "gchen@med.example.edu", new LocalDate(2026, 11, 23), department: "Department of Surgery"),
        ], default);

        var medicine = await Store.WeeksAsync(Medicine, null, 202648, 202649, default);
        var everyone = await Store.WeeksAsync(null, null, 202648, 202648, default);

        Assert.That(medicine.Select(w => w.Week), Is.EquivalentTo(new[] { 202648, 202649 }));
        Assert.That(everyone.Select(w => w.Sender), Is.EquivalentTo(new[] { "mwebb@med.example.edu", "gchen@med.example.edu" }));
    }

    [Test]
    public async Task AppendAsync_TwoSendersInTwoBatches_DepartmentRowsAreTheirSum()
    {
        var day = new LocalDate(2026, 11, 23);
        await Store.AppendAsync(
        [
            Event("a1", MetricKind.HoldCreated, "mwebb@med.example.edu", day, MetricPeriod.Night, trainees: 1),
            Event("a2", MetricKind.Released, "mwebb@med.example.edu", day, holdMinutes: 450),
            Event("b1", MetricKind.DeliveredAfterHours, "ehayes@med.example.edu", day, MetricPeriod.Weekend, trainees: 2),
        ], default);
        await Store.AppendAsync(
        [
            Event("b2", MetricKind.Released, "ehayes@med.example.edu", day, holdMinutes: 455),
            Event("b3", MetricKind.Released, "ehayes@med.example.edu", day, holdMinutes: 20),
            Event("s1", MetricKind.SentInHours, "gchen@med.example.edu", day, department: "Department of Surgery"),
        ], default);

        var senders = await Store.WeeksAsync(Medicine, null, 202648, 202648, default);
        var department = (await Store.WeeksAsync(Medicine, MetricWeek.Everyone, 202648, 202648, default)).Single();
        var minutes = await Store.HoldMinutesAsync(Medicine, MetricWeek.Everyone, 202648, 202648, default);
        var one = await Store.WeeksAsync(Medicine, "ehayes@med.example.edu", 202648, 202648, default);

        Assert.Multiple(async () =>
        {
            Assert.That(department, Is.EqualTo(senders.Aggregate((a, b) => a.Plus(b)) with { Sender = MetricWeek.Everyone }));
            Assert.That(senders.Select(w => w.Sender), Is.EquivalentTo(new[] { "mwebb@med.example.edu", "ehayes@med.example.edu" }), "no department row among the senders'");
            Assert.That(minutes.Select(m => (m.Bucket, m.Count)), Is.EquivalentTo(new[] { (30, 2L), (1, 1L) }));
            Assert.That(one.Single().Released, Is.EqualTo(2));
            Assert.That(await Store.SendersAsync(Medicine, 202648, 202648, default),
                Is.EquivalentTo(new[] { (Medicine, "mwebb@med.example.edu"), (Medicine, "ehayes@med.example.edu") }));
            Assert.That(await Store.SendersAsync(null, 202648, 202648, default), Has.Count.EqualTo(3));
            Assert.That(await Store.SendersAsync(Medicine, 202649, 202650, default), Is.Empty);
        });
    }
}
