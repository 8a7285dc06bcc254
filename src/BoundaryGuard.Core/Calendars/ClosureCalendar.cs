using System.Collections.Concurrent;
using System.Numerics;
using BoundaryGuard.Core.TimeZones;
using NodaTime;

namespace BoundaryGuard.Core.Calendars;

/// <summary>
/// All closures a policy sees, merged from its sources, as local days in the policy's zone. Years are expanded on
/// first use and kept as bitmaps, so "is this day closed" is a bit test and "next open day" is a bit scan: a
/// two-week winter closure costs the same as a single holiday.
/// </summary>
public sealed class ClosureCalendar : ILocalSchedule
{
    private readonly IReadOnlyList<IClosureSource> sources;
    private readonly ConcurrentDictionary<int, ClosureYear> years = new();

    public ClosureCalendar(IReadOnlyList<IClosureSource> sources)
    {
        this.sources = sources ?? throw new ArgumentNullException(nameof(sources));
    }

    public static ClosureCalendar Empty { get; } = new([]);

    /// <summary>This calendar's sources and then <paramref name="more"/>.</summary>
    public ClosureCalendar With(IEnumerable<IClosureSource> more) => new([.. sources, .. more]);

    /// <summary>Every closure from every source dated within <c>[from, to]</c>, by date, then source order.</summary>
    public IReadOnlyList<Closure> Between(LocalDate from, LocalDate to)
    {
        var found = new List<(Closure Closure, int Source)>();
        for (var year = from.Year; year <= to.Year; year++)
        {
            for (var i = 0; i < sources.Count; i++)
            {
                found.AddRange(sources[i].ClosuresIn(year)
                    .Where(c => c.Date >= from && c.Date <= to)
                    .Select(c => (c, i)));
            }
        }

        return found.OrderBy(f => f.Closure.Date).ThenBy(f => f.Source).Select(f => f.Closure).ToList();
    }

    public bool IsClosed(LocalDateTime local) => NextOpen(local) != local;

    public LocalDateTime? NextOpen(LocalDateTime local)
    {
        var year = Year(local.Year);
        var day = local.DayOfYear;
        if (!year.IsClosed(day, local.TimeOfDay))
        {
            return local;
        }

        // Scan forward for a day that is not closed from midnight; partial days are open at midnight.
        var limit = local.Date.PlusDays(DstRule.Horizon.Days);
        var date = local.Date;
        while (true)
        {
            var open = year.NextOpenDay(date.DayOfYear + 1);
            if (open is int doy)
            {
                var result = new LocalDate(date.Year, 1, 1).PlusDays(doy - 1);
                return result <= limit ? result.AtMidnight() : null;
            }

            date = new LocalDate(date.Year + 1, 1, 1);
            if (date > limit)
            {
                return null;
            }

            year = Year(date.Year);
            if (!year.IsClosed(1, LocalTime.Midnight))
            {
                return date.AtMidnight();
            }
        }
    }

    public LocalDateTime? NextClosed(LocalDateTime local)
    {
        var limit = local.Date.PlusDays(DstRule.Horizon.Days);
        for (var date = local.Date; date <= limit; date = date.PlusDays(1))
        {
            var from = date == local.Date ? local.TimeOfDay : LocalTime.Midnight;
            if (Year(date.Year).ClosedFrom(date.DayOfYear) is { } closedFrom)
            {
                return date + (closedFrom > from ? closedFrom : from);
            }
        }

        return null;
    }

    private ClosureYear Year(int year) => years.GetOrAdd(year, static (y, self) => self.Build(y), this);

    private ClosureYear Build(int year)
    {
        var built = new ClosureYear(CalendarSystem.Iso.GetDaysInYear(year));
        foreach (var source in sources)
        {
            foreach (var closure in source.ClosuresIn(year))
            {
                if (closure.Date.Year == year)
                {
                    built.Add(closure);
                }
            }
        }

        return built;
    }

    /// <summary>One year's closed days: a bitmap of whole days and the start times of partly closed days.</summary>
    private sealed class ClosureYear
    {
        // Bit (dayOfYear - 1) is set when the whole day is closed. Bits past the year's length are set too, so a
        // scan that runs off the end of the year never reports a day that does not exist.
        private readonly ulong[] whole = new ulong[6];
        private readonly Dictionary<int, LocalTime> partial = [];
        private readonly int length;

        public ClosureYear(int length)
        {
            this.length = length;
            for (var bit = length; bit < whole.Length * 64; bit++)
            {
                whole[bit >> 6] |= 1UL << (bit & 63);
            }
        }

        public void Add(Closure closure)
        {
            var day = closure.Date.DayOfYear;
            if (closure.IsWholeDay)
            {
                whole[(day - 1) >> 6] |= 1UL << ((day - 1) & 63);
                partial.Remove(day);
            }
            else if (!IsWhole(day))
            {
                var from = closure.ClosedFrom!.Value;
                partial[day] = partial.TryGetValue(day, out var existing) && existing < from ? existing : from;
            }
        }

        public bool IsClosed(int day, LocalTime time) =>
            IsWhole(day) || (partial.Count > 0 && partial.TryGetValue(day, out var from) && time >= from);

        /// <summary>When the day closes: midnight for a whole day, its closing time for a partial one, else null.</summary>
        public LocalTime? ClosedFrom(int day) =>
            IsWhole(day) ? LocalTime.Midnight : partial.TryGetValue(day, out var from) ? from : null;

        /// <summary>The first day of year at or after <paramref name="day"/> not closed from midnight.</summary>
        public int? NextOpenDay(int day)
        {
            for (var bit = day - 1; bit < length; bit = (bit | 63) + 1)
            {
                var open = ~whole[bit >> 6] & (ulong.MaxValue << (bit & 63));
                if (open != 0)
                {
                    var found = ((bit >> 6) << 6) + BitOperations.TrailingZeroCount(open);
                    return found < length ? found + 1 : null;
                }
            }

            return null;
        }

        private bool IsWhole(int day) => (whole[(day - 1) >> 6] & (1UL << ((day - 1) & 63))) != 0;
    }
}
