using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using NodaTime;
using Duration = NodaTime.Duration;
using Period = NodaTime.Period;

namespace BoundaryGuard.Core.Calendars;

/// <summary>
/// One VEVENT reduced to what a closure needs: where its first occurrence starts, how long each occurrence lasts,
/// and (when it recurs) a floating copy of its rules for Ical.Net to expand.
/// </summary>
/// <remarks>
/// Recurrence is expanded on floating local times in the event's own zone, which is what RFC 5545 asks for (a
/// 09:00 weekly meeting stays at 09:00 across DST); conversion to instants and to the policy's days happens here,
/// with NodaTime, so Ical.Net's own time-zone resolution is never involved.
/// </remarks>
internal sealed class IcsEvent
{
    /// <summary>Events longer than this are refused: a span of years is a typo in DTEND, not a closure.</summary>
    public const int MaxDays = 366;

    // Time-zone offsets shift a local time by less than two days either way.
    private const int ZoneShiftDays = 2;

    public required string Name { get; init; }

    public required int Line { get; init; }

    public required LocalDateTime Start { get; init; }

    /// <summary>Null for all-day events: their dates are the policy's local dates as written.</summary>
    public required DateTimeZone? Zone { get; init; }

    /// <summary>Calendar days an all-day occurrence covers, or the nominal (DURATION) days of a timed one.</summary>
    public required int Days { get; init; }

    /// <summary>Exact length of a timed occurrence after its nominal days.</summary>
    public required Duration Exact { get; init; }

    /// <summary>Null when the event occurs once.</summary>
    public CalendarEvent? Recurrence { get; init; }

    public bool IsAllDay => Zone is null;

    /// <summary>How many days before a year starts an occurrence may begin and still reach into it.</summary>
    public int ReachDays => Days + (int)Math.Ceiling(Exact.TotalDays) + ZoneShiftDays;

    /// <summary>The policy-zone dates one occurrence starting at <paramref name="start"/> touches.</summary>
    public IEnumerable<LocalDate> DatesOf(LocalDateTime start, DateTimeZone policyZone)
    {
        if (Zone is null)
        {
            for (var i = 0; i < Days; i++)
            {
                yield return start.Date.PlusDays(i);
            }

            yield break;
        }

        var startInstant = start.InZoneLeniently(Zone).ToInstant();
        var endInstant = start.PlusDays(Days).InZoneLeniently(Zone).ToInstant() + Exact;
        var first = startInstant.InZone(policyZone).Date;
        if (endInstant <= startInstant)
        {
            yield return first;
            yield break;
        }

        // The end is exclusive: an event ending at midnight does not touch the next day.
        var end = endInstant.InZone(policyZone).LocalDateTime;
        var last = end.TimeOfDay == LocalTime.Midnight ? end.Date.PlusDays(-1) : end.Date;
        for (var date = first; date <= last; date = date.PlusDays(1))
        {
            yield return date;
        }
    }

    /// <summary>Occurrence starts that can touch <paramref name="year"/>, as local times in the event's zone.</summary>
    public IEnumerable<LocalDateTime> StartsNear(int year)
    {
        if (Recurrence is null)
        {
            yield return Start;
            yield break;
        }

        var from = Clamp(new LocalDate(year, 1, 1).PlusDays(-ReachDays));
        var until = Clamp(new LocalDate(year, 12, 31).PlusDays(ZoneShiftDays));
        var periodStart = IsAllDay
            ? new CalDateTime(from.ToDateOnly())
            : new CalDateTime(from.ToDateOnly(), new TimeOnly(0, 0), null);

        foreach (var occurrence in Recurrence.GetOccurrences(periodStart, IcsRules.Options))
        {
            var start = occurrence.Period.StartTime;
            var date = LocalDate.FromDateOnly(start.Date);
            if (date > until)
            {
                yield break;
            }

            yield return date + (start.Time is { } time ? LocalTime.FromTimeOnly(time) : LocalTime.Midnight);
        }
    }

    private static LocalDate Clamp(LocalDate date)
    {
        var min = new LocalDate(1, 1, 1);
        var max = new LocalDate(9999, 12, 31);
        return date < min ? min : date > max ? max : date;
    }
}
