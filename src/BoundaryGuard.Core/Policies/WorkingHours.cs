using BoundaryGuard.Core.TimeZones;
using NodaTime;

namespace BoundaryGuard.Core.Policies;

/// <summary>
/// Working hours in the shape of Graph's <c>mailboxSettings.workingHours</c>: one window a working day,
/// <c>[Start, End)</c> in local time of <see cref="Zone"/>. When <see cref="End"/> is earlier than <see cref="Start"/>
/// the window runs past midnight and belongs to the day it starts (a night shift); when they are equal it lasts
/// 24 hours.
/// </summary>
public sealed class WorkingHours : ILocalSchedule
{
    private readonly int dayMask;

    public WorkingHours(IEnumerable<IsoDayOfWeek> days, LocalTime start, LocalTime end, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(zone);
        foreach (var day in days)
        {
            dayMask |= 1 << (int)day;
        }

        if (dayMask == 0)
        {
            throw new ArgumentException("At least one working day is needed.", nameof(days));
        }

        Start = start;
        End = end;
        Zone = zone;
    }

    public LocalTime Start { get; }

    public LocalTime End { get; }

    public DateTimeZone Zone { get; }

    /// <summary>True when the window runs past midnight into the next day (including the 24-hour case).</summary>
    public bool IsOvernight => End <= Start;

    public IEnumerable<IsoDayOfWeek> Days =>
        Enumerable.Range(1, 7).Where(d => (dayMask & (1 << d)) != 0).Select(d => (IsoDayOfWeek)d);

    public bool IsWorkingDay(IsoDayOfWeek day) => (dayMask & (1 << (int)day)) != 0;

    /// <summary>Whether the local date-time is inside a window (the one starting that day or the day before).</summary>
    public bool Contains(LocalDateTime local) => NextOpen(local) == local;

    /// <summary>The earliest local date-time at or after <paramref name="local"/> inside a window.</summary>
    public LocalDateTime? NextOpen(LocalDateTime local)
    {
        var date = local.Date;
        var time = local.TimeOfDay;

        // The tail of a window that started the day before.
        if (IsOvernight && time < End && IsWorkingDay(date.PlusDays(-1).DayOfWeek))
        {
            return local;
        }

        if (IsWorkingDay(date.DayOfWeek))
        {
            if (time < Start)
            {
                return date + Start;
            }

            if (IsOvernight || time < End)
            {
                return local;
            }
        }

        // At most seven steps: the mask has at least one working day.
        var next = date.PlusDays(1);
        while (!IsWorkingDay(next.DayOfWeek))
        {
            next = next.PlusDays(1);
        }

        return next + Start;
    }

    /// <summary>The earliest local date-time at or after <paramref name="local"/> outside every window.</summary>
    public LocalDateTime? NextClosed(LocalDateTime local)
    {
        // Windows on consecutive working days can touch (24-hour shifts); at most eight steps cover a week of them.
        var candidate = local;
        for (var step = 0; step < 8; step++)
        {
            var date = candidate.Date;
            var time = candidate.TimeOfDay;
            LocalDateTime end;
            if (IsOvernight && time < End && IsWorkingDay(date.PlusDays(-1).DayOfWeek))
            {
                end = date + End;
            }
            else if (IsWorkingDay(date.DayOfWeek) && time >= Start && (IsOvernight || time < End))
            {
                end = IsOvernight ? date.PlusDays(1) + End : date + End;
            }
            else
            {
                return candidate;
            }

            if (end <= candidate)
            {
                return candidate;
            }

            candidate = end;
        }

        return null;
    }
}
