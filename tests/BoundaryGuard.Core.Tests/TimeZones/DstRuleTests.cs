using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Core.TimeZones;
using NodaTime;
using NodaTime.TimeZones;
using static BoundaryGuard.Core.Tests.Decisions.PolicyBuilder;

namespace BoundaryGuard.Core.Tests.TimeZones;

public class DstRuleTests
{
    // A window that starts inside a spring-forward gap opens at the first instant after the gap; one that starts
    // inside a fall-back overlap opens at the earlier instant. Northern and southern zones, Lord Howe's 30-minute
    // shift and Santiago's gap at midnight.
    [TestCase("America/New_York", "02:30", "10:00", "2026-03-08T01:00:00-05:00", "2026-03-08T03:00:00-04:00")]
    [TestCase("America/New_York", "01:30", "10:00", "2026-11-01T00:00:00-04:00", "2026-11-01T01:30:00-04:00")]
    [TestCase("America/New_York", "07:00", "19:00", "2026-03-07T20:00:00-05:00", "2026-03-08T07:00:00-04:00")]
    [TestCase("America/New_York", "07:00", "19:00", "2026-10-31T20:00:00-04:00", "2026-11-01T07:00:00-05:00")]
    [TestCase("America/New_York", "00:00", "01:30", "2026-11-01T01:45:00-04:00", "2026-11-01T01:00:00-05:00")]
    [TestCase("Australia/Sydney", "02:30", "10:00", "2026-10-04T01:00:00+10:00", "2026-10-04T03:00:00+11:00")]
    [TestCase("Australia/Sydney", "02:30", "10:00", "2026-04-05T01:00:00+11:00", "2026-04-05T02:30:00+11:00")]
    [TestCase("Australia/Sydney", "19:00", "07:00", "2026-04-05T08:00:00+10:00", "2026-04-05T19:00:00+10:00")]
    [TestCase("Australia/Lord_Howe", "02:15", "10:00", "2026-10-04T01:00:00+10:30", "2026-10-04T02:30:00+11:00")]
    [TestCase("Australia/Lord_Howe", "01:45", "10:00", "2026-04-05T01:00:00+11:00", "2026-04-05T01:45:00+11:00")]
    [TestCase("Australia/Lord_Howe", "00:00", "01:40", "2026-04-05T01:50:00+11:00", "2026-04-05T01:30:00+10:30")]
    [TestCase("America/Santiago", "00:00", "06:00", "2026-09-05T23:00:00-04:00", "2026-09-06T01:00:00-03:00")]
    [TestCase("America/Santiago", "23:30", "23:45", "2026-04-04T22:00:00-03:00", "2026-04-04T23:30:00-03:00")]
    public void Evaluate_WindowStartAroundTransition_FollowsTheDstRule(
        string zone, string start, string end, string at, string releaseAt)
    {
        var policy = Policy(Hours(zone, start, end, EveryDay));

        var decision = policy.Evaluate(At(at), []);

        Assert.That(Format(decision.ReleaseAt!.Value, policy.Zone), Is.EqualTo(releaseAt));
        Assert.That(policy.IsOpen(decision.ReleaseAt.Value, []), Is.True);
    }

    [Test]
    public void Evaluate_SantiagoHolidayBeforeMidnightGap_ReopensAtFirstInstantAfterGap()
    {
        var policy = Policy(Hours("America/Santiago", "00:00", "00:00", EveryDay), Closed("2026-09-05"));

        var decision = policy.Evaluate(At("2026-09-05T10:00:00-04:00"), []);

        Assert.That(Format(decision.ReleaseAt!.Value, policy.Zone), Is.EqualTo("2026-09-06T01:00:00-03:00"));
    }

    [TestCase("America/New_York")]
    [TestCase("Australia/Sydney")]
    [TestCase("Australia/Lord_Howe")]
    [TestCase("America/Santiago")]
    [TestCase("Africa/Cairo")]
    [TestCase("Pacific/Chatham")]
    [TestCase("Europe/London")]
    public void Resolve_EveryQuarterHourOfTwoYears_MatchesNodaTimeEarlierAndStartOfIntervalAfter(string id)
    {
        var zone = Zone(id);
        var nodaRule = Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);
        var local = new LocalDateTime(2025, 1, 1, 0, 0);
        var mismatches = new List<string>();
        for (; local.Year < 2027; local = local.PlusMinutes(15))
        {
            var expected = local.InZone(zone, nodaRule).ToInstant();
            var actual = DstRule.Resolve(local, zone);
            if (actual != expected)
            {
                mismatches.Add($"{local}: {actual} != {expected}");
            }
        }

        Assert.That(mismatches, Is.Empty);
    }

    [Test]
    public void Resolve_SkippedMidnightInSantiago_IsTheTransition()
    {
        var zone = Zone("America/Santiago");

        var resolved = DstRule.Resolve(new LocalDateTime(2026, 9, 6, 0, 30), zone);

        Assert.That(Format(resolved, zone), Is.EqualTo("2026-09-06T01:00:00-03:00"));
    }
}
