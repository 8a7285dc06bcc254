using BoundaryGuard.Core.Calendars;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Core.Policies;
using BoundaryGuard.Core.TimeZones;
using CsCheck;
using NodaTime;

namespace BoundaryGuard.Core.Tests.Decisions;

/// <summary>
/// The decision's invariants over random policies, closures, recipients and instants around DST transitions.
/// Windows and closure times are on quarter hours and every zone here has quarter-hour offsets, so openness is
/// constant between quarter-hour marks in UTC: checking every mark between <c>at</c> and <c>releaseAt</c> checks
/// every instant.
/// </summary>
public class DecisionPropertyTests
{
    private static readonly string[] ZoneIds =
    [
        "America/New_York", "Australia/Sydney", "Australia/Lord_Howe", "America/Santiago", "Africa/Cairo",
        "Pacific/Chatham", "Asia/Kolkata", "Asia/Kathmandu", "Europe/London", "UTC",
    ];

    private static readonly Gen<LocalTime> QuarterHour = Gen.Int[0, 95].Select(q => LocalTime.Midnight.PlusMinutes(q * 15));

    private static readonly Gen<WorkingHours> Hours =
        Gen.Select(Gen.Int[0, ZoneIds.Length - 1].Select(i => ZoneIds[i]), QuarterHour, QuarterHour, Gen.Int[1, 127], (zone, start, end, mask) =>
            new WorkingHours(
                Enumerable.Range(1, 7).Where(d => (mask & (1 << (d - 1))) != 0).Select(d => (IsoDayOfWeek)d),
                start,
                end,
                DateTimeZoneProviders.Tzdb[zone]));

    // Instants within 2025-2027, where the zones above have transitions.
    private static readonly Gen<Instant> Instants =
        Gen.Long[0, 3L * 365 * 24 * 3600].Select(s => Instant.FromUtc(2025, 1, 1, 0, 0) + Duration.FromSeconds(s));

    private static readonly Gen<Closure> Closures =
        Gen.Select(Gen.Int[0, 3 * 365 + 30], Gen.Bool, QuarterHour, (day, whole, from) =>
            new Closure(new LocalDate(2025, 1, 1).PlusDays(day), "Closed", "holidays", whole ? null : from));

    private static readonly Gen<(BoundaryPolicy Policy, WorkingHours[] Recipients, Instant At)> Cases =
        Gen.Select(Hours, Closures.Array[0, 40], Hours.Array[0, 3], Instants, (hours, closures, recipients, at) =>
            (new BoundaryPolicy(hours, new ClosureCalendar([new ExplicitClosureSource(closures)])), recipients, at));

    [Test]
    public void Evaluate_AnyPolicy_OpenAtGivesSendAndHeldReleaseIsTheEarliestOpenInstant()
    {
        // Sample throws with the shrunk counterexample when the predicate is false for any case.
        Assert.That(() => Cases.Sample(c =>
        {
            var (policy, recipients, at) = c;
            var decision = policy.Evaluate(at, recipients);
            var openAt = policy.IsOpen(at, recipients);
            if (openAt)
            {
                return decision == Decision.Send;
            }

            if (decision.Kind == DecisionKind.NoCommonTime)
            {
                // Only acceptable when nothing in the horizon is open: spot-check every quarter hour for 30 days.
                return !Marks(at, at + Duration.FromDays(30)).Any(t => policy.IsOpen(t, recipients));
            }

            var release = decision.ReleaseAt!.Value;
            return decision.Kind == DecisionKind.Hold
                && release >= at
                && policy.IsOpen(release, recipients)
                && !policy.IsOpen(release - Duration.Epsilon, recipients)
                && !Marks(at, Min(release, at + Duration.FromDays(60))).Any(t => policy.IsOpen(t, recipients));
        }, iter: 3000), Throws.Nothing);
    }

    [Test]
    public void Snapshot_AnyPolicy_DecidesAsTheEngineDoesEverywhereInItsPeriod()
    {
        Assert.That(() => Gen.Select(Cases, Gen.Long[0, 21L * 24 * 3600], (c, offset) => (c, offset)).Sample(sample =>
        {
            var ((policy, recipients, now), offset) = sample;
            var people = recipients.Select((r, i) => ($"person{i}@med.example.edu", r)).ToDictionary(p => p.Item1, p => p.r);
            policy = new BoundaryPolicy(policy.WorkingHours, policy.Closures, people);
            var snapshot = policy.Snapshot(now, Duration.FromDays(21));
            var at = now + Duration.FromSeconds(offset);
            var lists = new List<IReadOnlyList<OpenInterval>> { snapshot.Open };
            lists.AddRange(people.Keys.Select(k => snapshot.People[k]));

            var decision = policy.Evaluate(at, [.. people.Values]);
            var fromSnapshot = EarliestInAll(lists, at);
            return decision.Kind switch
            {
                DecisionKind.Send => fromSnapshot == at,
                DecisionKind.Hold when decision.ReleaseAt < snapshot.ValidUntil => fromSnapshot == decision.ReleaseAt,
                _ => fromSnapshot is null || fromSnapshot >= snapshot.ValidUntil,
            };
        }, iter: 1000), Throws.Nothing);
    }

    /// <summary>The earliest instant at or after <paramref name="at"/> inside an interval of every list.</summary>
    private static Instant? EarliestInAll(List<IReadOnlyList<OpenInterval>> lists, Instant at)
    {
        var candidate = at;
        for (var moved = true; moved;)
        {
            moved = false;
            foreach (var list in lists)
            {
                var next = list.FirstOrDefault(i => i.End > candidate);
                if (next is null)
                {
                    return null;
                }

                if (next.Start > candidate)
                {
                    candidate = next.Start;
                    moved = true;
                }
            }
        }

        return candidate;
    }

    private static Instant Min(Instant a, Instant b) => a < b ? a : b;

    /// <summary>Every quarter-hour mark in UTC within <c>(from, to)</c>.</summary>
    private static IEnumerable<Instant> Marks(Instant from, Instant to)
    {
        var quarter = Duration.FromMinutes(15);
        var mark = Instant.FromUnixTimeTicks((from.ToUnixTimeTicks() / quarter.BclCompatibleTicks + 1) * quarter.BclCompatibleTicks);
        for (; mark < to; mark += quarter)
        {
            yield return mark;
        }
    }
}
