namespace BoundaryGuard.Service.Scorecards;

/// <summary>
/// The scorecard's measures over some weeks of counters; each formula is written out for chairs in docs/chairs.md.
/// Held mail is good practice: it raises the held share and the index and is never counted against anyone.
/// </summary>
/// <param name="Attempts">After-hours send attempts: held by BoundaryGuard, deferred by the add-in's fallback, or delivered after hours without BoundaryGuard.</param>
/// <param name="HeldShare">Held ÷ attempts; null without attempts.</param>
/// <param name="DeliveredAfterHours">Mail that reached recipients after hours: found by the Sent Items audit, or sent early with a reason after hours.</param>
/// <param name="Overrides">Sent early, by reason.</param>
/// <param name="WeekendAttempts">Attempts on a weekend.</param>
/// <param name="HolidayAttempts">Attempts on a holiday or closure.</param>
/// <param name="MedianHoldHours">The median time held mail waited, to the quarter hour; null when none was released.</param>
/// <param name="Index">
/// The boundary modelling index, 0–100: 100 × (1 − (after-hours deliveries + after-hours deliveries to trainees)
/// ÷ (2 × attempts)); 100 when there were no after-hours attempts.
/// </param>
public sealed record ScorecardMeasures(
    long Attempts,
    long Held,
    double? HeldShare,
    long DeliveredAfterHours,
    long DeliveredAfterHoursToTrainees,
    IReadOnlyDictionary<string, long> Overrides,
    long WeekendAttempts,
    long HolidayAttempts,
    long SentInHours,
    long Released,
    double? MedianHoldHours,
    int Index)
{
    /// <summary>The measures of the counters' sum; <paramref name="perWeek"/> divides the counts (an average week).</summary>
    public static ScorecardMeasures From(MetricWeek sum, IEnumerable<HoldMinutesBucket> minutes, int perWeek = 1)
    {
        ArgumentNullException.ThrowIfNull(sum);
        long Avg(long count) => perWeek == 1 ? count : (long)Math.Round((double)count / perWeek, MidpointRounding.AwayFromZero);
        var late = sum.DeliveredAfterHours + sum.DeliveredAfterHoursToTrainees;
        var index = sum.Attempts == 0 ? 100 : (int)Math.Round(100 * (1 - (late / (2.0 * sum.Attempts))), MidpointRounding.AwayFromZero);
        return new ScorecardMeasures(
            Avg(sum.Attempts),
            Avg(sum.Held),
            sum.Attempts == 0 ? null : Math.Round((double)sum.Held / sum.Attempts, 4),
            Avg(sum.DeliveredAfterHours),
            Avg(sum.DeliveredAfterHoursToTrainees),
            new Dictionary<string, long>
            {
                ["patient-care"] = Avg(sum.OverridePatientCare),
                ["time-critical"] = Avg(sum.OverrideTimeCritical),
                ["recipient-asked"] = Avg(sum.OverrideRecipientAsked),
                ["other"] = Avg(sum.OverrideOther),
            },
            Avg(sum.Weekend),
            Avg(sum.Holiday),
            Avg(sum.SentInHours),
            Avg(sum.Released),
            Median(minutes),
            Math.Clamp(index, 0, 100));
    }

    private static double? Median(IEnumerable<HoldMinutesBucket> minutes)
    {
        var counts = new SortedDictionary<int, long>();
        foreach (var bucket in minutes)
        {
            counts[bucket.Bucket] = counts.GetValueOrDefault(bucket.Bucket) + bucket.Count;
        }

        var total = counts.Values.Sum();
        if (total == 0)
        {
            return null;
        }

        // The bucket holding the middle release; its midpoint stands for it.
        var seen = 0L;
        foreach (var (bucket, count) in counts)
        {
            seen += count;
            if (seen * 2 >= total)
            {
                return Math.Round(((bucket * HoldMinutesBucket.Minutes) + (HoldMinutesBucket.Minutes / 2.0)) / 60, 2, MidpointRounding.AwayFromZero);
            }
        }

        return null;
    }
}
