using NodaTime;

namespace BoundaryGuard.Core.TimeZones;

/// <summary>
/// The one rule for local times that a zone skips or repeats, used for every release instant and closure boundary:
/// <list type="bullet">
/// <item>a local time that does not exist (inside a spring-forward gap) resolves to the first instant after the
/// gap, i.e. the transition itself;</item>
/// <item>a local time that occurs twice (inside a fall-back overlap) resolves to the earlier of the two instants.</item>
/// </list>
/// Both follow from one definition: the result is the earliest instant whose wall-clock time has reached the local
/// time asked for. <see cref="NextOpen{T}"/> applies the same definition to schedules, walking the zone's intervals
/// (stretches of constant offset) so a window that reopens during a repeated hour is not skipped.
/// </summary>
public static class DstRule
{
    /// <summary>How far ahead any search looks before it gives up: a little over a leap year.</summary>
    public static readonly Duration Horizon = Duration.FromDays(370);

    /// <summary>The instant for <paramref name="local"/> in <paramref name="zone"/> under this rule.</summary>
    public static Instant Resolve(LocalDateTime local, DateTimeZone zone)
    {
        // The offsets a zone uses are within ±18 h, so every candidate instant lies in this range.
        var guess = local.InUtc().ToInstant();
        var interval = zone.GetZoneInterval(guess - Duration.FromHours(18));
        while (true)
        {
            var candidate = local.WithOffset(interval.WallOffset).ToInstant();
            if (candidate < interval.Start)
            {
                // The local time falls before this interval begins (wall-clock-wise) and after the previous one
                // ended: a gap. The first instant after the gap is this interval's start.
                return interval.Start;
            }

            if (!interval.HasEnd || candidate < interval.End)
            {
                return candidate;
            }

            interval = zone.GetZoneInterval(interval.End);
        }
    }

    /// <summary>
    /// The earliest instant at or after <paramref name="from"/> whose local time in <paramref name="zone"/> is open
    /// in <paramref name="schedule"/>; null when there is none within <see cref="Horizon"/>.
    /// </summary>
    public static Instant? NextOpen<T>(T schedule, DateTimeZone zone, Instant from)
        where T : ILocalSchedule
    {
        var limit = from + Horizon;
        var interval = zone.GetZoneInterval(from);
        var start = from;
        while (start < limit)
        {
            var offset = interval.WallOffset;
            var open = schedule.NextOpen(start.WithOffset(offset).LocalDateTime);
            if (open is null)
            {
                return null;
            }

            // Within one interval the offset is constant, so wall-clock order is instant order.
            var candidate = open.Value.WithOffset(offset).ToInstant();
            if (!interval.HasEnd || candidate < interval.End)
            {
                return candidate < limit ? candidate : null;
            }

            start = interval.End;
            interval = zone.GetZoneInterval(start);
        }

        return null;
    }

    /// <summary>
    /// The stretches of <c>[from, until)</c> that are open in <paramref name="schedule"/>, as instants: each starts at
    /// <see cref="NextOpen{T}"/> and ends where the schedule next closes, by the same rule.
    /// </summary>
    public static IReadOnlyList<OpenInterval> OpenIntervals<T>(T schedule, DateTimeZone zone, Instant from, Instant until)
        where T : ILocalSchedule
    {
        var intervals = new List<OpenInterval>();
        var at = from;
        while (at < until && NextOpen(schedule, zone, at) is { } open && open < until)
        {
            var close = NextOpen(new Complement<T>(schedule), zone, open);
            var end = close is null || close.Value > until ? until : close.Value;
            intervals.Add(new OpenInterval(open, end));
            at = end;
        }

        return intervals;
    }
}

/// <summary>An open stretch <c>[Start, End)</c>.</summary>
public sealed record OpenInterval(Instant Start, Instant End);
