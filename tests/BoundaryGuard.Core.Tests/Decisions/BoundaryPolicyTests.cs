using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Core.Policies;
using static BoundaryGuard.Core.Tests.Decisions.PolicyBuilder;

namespace BoundaryGuard.Core.Tests.Decisions;

public class BoundaryPolicyTests
{
    private static readonly BoundaryPolicy Eastern = Policy(Hours("America/New_York", "07:00", "19:00"),
        Closed("2026-11-26"), Closed("2026-12-24", "12:00"));

    [TestCase("2026-12-02T10:00:00-05:00", null, "")]
    [TestCase("2026-12-02T23:40:00-05:00", "2026-12-03T07:00:00-05:00", "after-hours")]
    [TestCase("2026-12-02T06:59:59-05:00", "2026-12-02T07:00:00-05:00", "after-hours")]
    [TestCase("2026-12-02T19:00:00-05:00", "2026-12-03T07:00:00-05:00", "after-hours")]
    [TestCase("2026-12-04T23:40:00-05:00", "2026-12-07T07:00:00-05:00", "after-hours")]
    [TestCase("2026-12-05T10:00:00-05:00", "2026-12-07T07:00:00-05:00", "weekend")]
    [TestCase("2026-11-26T10:00:00-05:00", "2026-11-27T07:00:00-05:00", "holiday")]
    [TestCase("2026-11-25T22:00:00-05:00", "2026-11-27T07:00:00-05:00", "after-hours")]
    [TestCase("2026-12-24T11:59:00-05:00", null, "")]
    [TestCase("2026-12-24T12:00:00-05:00", "2026-12-25T07:00:00-05:00", "holiday")]
    public void Evaluate_EasternPolicy_HoldsUntilNextOpenInstant(string at, string? releaseAt, string reasons)
    {
        var decision = Eastern.Evaluate(At(at), []);

        Assert.That(decision.Kind, Is.EqualTo(releaseAt is null ? DecisionKind.Send : DecisionKind.Hold));
        Assert.That(decision.ReleaseAt is { } r ? Format(r, Eastern.Zone) : null, Is.EqualTo(releaseAt));
        Assert.That(string.Join(",", decision.Reasons.Names()), Is.EqualTo(reasons));
    }

    [Test]
    public void Evaluate_SaturdayHoliday_GivesWeekendAndHoliday()
    {
        var policy = Policy(Hours("America/New_York", "07:00", "19:00"), Closed("2026-07-04"));

        var decision = policy.Evaluate(At("2026-07-04T10:00:00-04:00"), []);

        Assert.That(decision.Reasons.Names(), Is.EqualTo(new[] { "weekend", "holiday" }));
    }

    [Test]
    public void Evaluate_RecipientInAnotherZone_WaitsForTheirMorning()
    {
        var resident = Hours("Europe/London", "08:00", "17:00");

        var decision = Eastern.Evaluate(At("2026-12-02T16:00:00-05:00"), [resident]);

        // 16:00 in New York is 21:00 in London. London opens at 08:00 (03:00 New York), New York at 07:00 (12:00
        // London): the first instant inside both is New York's 07:00.
        Assert.That(Format(decision.ReleaseAt!.Value, Eastern.Zone), Is.EqualTo("2026-12-03T07:00:00-05:00"));
        Assert.That(decision.Reasons.Names(), Is.EqualTo(new[] { "recipient-off-hours" }));
    }

    [Test]
    public void Evaluate_RecipientWhoseDayEndsEarlier_ReleasesInsideBothWindows()
    {
        var sydney = Hours("Australia/Sydney", "08:00", "17:00");

        // 07:00 New York (Dec, EST -5) is 23:00 Sydney (AEDT +11): the overlap is 16:00-17:00 New York on the evening
        // before the Sydney working day: New York 16:00 Mon = Sydney 08:00 Tue.
        var decision = Eastern.Evaluate(At("2026-12-07T07:00:00-05:00"), [sydney]);

        Assert.That(Format(decision.ReleaseAt!.Value, Eastern.Zone), Is.EqualTo("2026-12-07T16:00:00-05:00"));
    }

    [Test]
    public void Evaluate_NightShiftRecipient_WindowBelongsToTheDayItStarts()
    {
        var nightFloat = Hours("America/New_York", "19:00", "07:00", [.. Weekdays]);
        var everyDay = Policy(Hours("America/New_York", "00:00", "00:00", EveryDay));

        // Saturday 03:00 is inside Friday's night shift; Sunday 03:00 is not (Saturday is not a working day).
        Assert.That(everyDay.Evaluate(At("2026-12-05T03:00:00-05:00"), [nightFloat]).Kind, Is.EqualTo(DecisionKind.Send));
        var sunday = everyDay.Evaluate(At("2026-12-06T03:00:00-05:00"), [nightFloat]);
        Assert.That(Format(sunday.ReleaseAt!.Value, everyDay.Zone), Is.EqualTo("2026-12-07T19:00:00-05:00"));
    }

    [Test]
    public void Evaluate_HoursThatNeverMeet_SaysNoCommonTime()
    {
        var weekendOnly = Hours("America/New_York", "10:00", "12:00", [NodaTime.IsoDayOfWeek.Saturday]);

        var decision = Eastern.Evaluate(At("2026-12-02T10:00:00-05:00"), [weekendOnly]);

        Assert.That(decision.Kind, Is.EqualTo(DecisionKind.NoCommonTime));
        Assert.That(decision.ReleaseAt, Is.Null);
    }

    [Test]
    public void Evaluate_TwoWeekWinterClosureAcrossNewYear_TakesBoundedRounds()
    {
        var closures = Enumerable.Range(0, 14)
            .Select(i => Closed(Date("2026-12-21").PlusDays(i).ToString("uuuu-MM-dd", null)))
            .ToArray();
        var policy = Policy(Hours("America/New_York", "07:00", "19:00"), closures);

        var decision = policy.Evaluate(At("2026-12-18T22:00:00-05:00"), [], out var rounds);

        Assert.That(Format(decision.ReleaseAt!.Value, policy.Zone), Is.EqualTo("2027-01-04T07:00:00-05:00"));
        Assert.That(rounds, Is.LessThanOrEqualTo(2));
    }

    [Test]
    public void Evaluate_WarmPolicyWithRecipients_AllocatesNothing()
    {
        var policy = Policy(Hours("America/New_York", "07:00", "19:00"), Closed("2026-12-24", "12:00"));
        WorkingHours[] recipients =
        [
            Hours("Europe/London", "08:00", "17:00"),
            Hours("Asia/Kolkata", "09:00", "18:00"),
            Hours("America/Los_Angeles", "19:00", "07:00"),
        ];
        var at = At("2026-12-04T23:40:00-05:00");
        policy.Evaluate(at, recipients);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            policy.Evaluate(at + NodaTime.Duration.FromMinutes(i * 7), recipients);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }
}
