using BoundaryGuard.Core.Decisions;
using NodaTime;
using static BoundaryGuard.Core.Tests.Decisions.PolicyBuilder;

namespace BoundaryGuard.Core.Tests.Decisions;

public class PolicySnapshotTests
{
    [Test]
    public void Snapshot_ThanksgivingWeek_OpenIntervalsSkipTheHolidayAndTheHalfDay()
    {
        var policy = Policy(Hours("America/New_York", "07:00", "19:00"), Closed("2026-11-26"), Closed("2026-11-27", "12:00"));

        var snapshot = policy.Snapshot(At("2026-11-24T20:00:00-05:00"), Duration.FromDays(7));

        Assert.That(snapshot.Open.Select(i => $"{Format(i.Start, policy.Zone)} {Format(i.End, policy.Zone)}"), Is.EqualTo(new[]
        {
            "2026-11-25T07:00:00-05:00 2026-11-25T19:00:00-05:00",
            "2026-11-27T07:00:00-05:00 2026-11-27T12:00:00-05:00",
            "2026-11-30T07:00:00-05:00 2026-11-30T19:00:00-05:00",
            "2026-12-01T07:00:00-05:00 2026-12-01T19:00:00-05:00",
        }));
        Assert.That(snapshot.Closures.Select(c => c.Date), Is.EqualTo(new[] { Date("2026-11-26"), Date("2026-11-27") }));
        Assert.That(snapshot.TimeZone, Is.EqualTo("America/New_York"));
        Assert.That(snapshot.ValidUntil, Is.EqualTo(At("2026-12-01T20:00:00-05:00")));
    }

    [Test]
    public void Snapshot_NightShiftAcrossFallBack_OneIntervalOfThirteenHours()
    {
        var policy = new BoundaryPolicy(
            Hours("America/New_York", "00:00", "00:00", EveryDay),
            BoundaryGuard.Core.Calendars.ClosureCalendar.Empty,
            new Dictionary<string, BoundaryGuard.Core.Policies.WorkingHours> { ["nights@med.example.edu"] = Hours("America/New_York", "19:00", "07:00", [IsoDayOfWeek.Saturday]) });

        var snapshot = policy.Snapshot(At("2026-10-31T12:00:00-04:00"), Duration.FromDays(1));

        var night = snapshot.People["nights@med.example.edu"].Single();
        Assert.That(Format(night.Start, policy.Zone), Is.EqualTo("2026-10-31T19:00:00-04:00"));
        Assert.That(Format(night.End, policy.Zone), Is.EqualTo("2026-11-01T07:00:00-05:00"));
        Assert.That(night.End - night.Start, Is.EqualTo(Duration.FromHours(13)));
        Assert.That(snapshot.Open.Single().End, Is.EqualTo(snapshot.ValidUntil), "a 24-hour policy is open throughout");
    }
}
