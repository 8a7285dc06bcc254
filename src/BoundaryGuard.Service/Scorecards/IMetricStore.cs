namespace BoundaryGuard.Service.Scorecards;

/// <summary>
/// The boundary metrics (tables of migration 0004): append-only events and their weekly rollups, kept together in
/// one transaction so the scorecard, which reads only the rollups, never counts an event twice or misses one.
/// </summary>
public interface IMetricStore
{
    /// <summary>
    /// Stores the events whose <see cref="MetricEvent.Key"/> is new and adds them to the rollups; an event recorded
    /// before (a retry, a repeated audit round) changes nothing. Returns how many were new.
    /// </summary>
    Task<int> AppendAsync(IReadOnlyList<MetricEvent> events, CancellationToken cancellationToken);

    Task<MetricEvent?> FindAsync(string key, CancellationToken cancellationToken);

    /// <summary>A department's events of these kinds in <c>[from, until)</c> (their keys read back as hashes, hex).</summary>
    Task<IReadOnlyList<MetricEvent>> EventsAsync(
        string department, IReadOnlyCollection<MetricKind> kinds, NodaTime.Instant from, NodaTime.Instant until, CancellationToken cancellationToken);

    /// <summary>
    /// Weekly counters in ISO weeks [from, to] of <paramref name="department"/> (null: every department): of one
    /// <paramref name="sender"/>, of the department as a whole (<see cref="MetricWeek.Everyone"/>), or of each sender
    /// (null).
    /// </summary>
    Task<IReadOnlyList<MetricWeek>> WeeksAsync(string? department, string? sender, int fromWeek, int toWeek, CancellationToken cancellationToken);

    /// <summary>Released mail's hold durations in quarter hours, per week, as <see cref="WeeksAsync"/> selects.</summary>
    Task<IReadOnlyList<HoldMinutesBucket>> HoldMinutesAsync(string? department, string? sender, int fromWeek, int toWeek, CancellationToken cancellationToken);

    /// <summary>Everyone with a metric in ISO weeks [from, to], with their department (null: every department).</summary>
    Task<IReadOnlyList<(string Department, string Sender)>> SendersAsync(string? department, int fromWeek, int toWeek, CancellationToken cancellationToken);
}

/// <summary>How many released holds of a sender in a week were held [Bucket × 15, Bucket × 15 + 15) minutes.</summary>
public sealed record HoldMinutesBucket(string Department, int Week, string Sender, int Bucket, long Count)
{
    public const int Minutes = 15;

    /// <summary>Two weeks: longer holds (a long closure) share the last bucket.</summary>
    public const int Last = 14 * 24 * 60 / Minutes;

    public static int For(int holdMinutes) => Math.Clamp(holdMinutes / Minutes, 0, Last);
}
