using System.Globalization;
using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace BoundaryGuard.Core.TimeZones;

/// <summary>
/// Graph's <c>#microsoft.graph.customTimeZone</c> as a NodaTime zone, read the way Windows reads the
/// <c>TIME_ZONE_INFORMATION</c> it comes from: UTC = local + bias; daylight time starts at the daylight rule
/// (given in local standard time) and ends at the standard rule (given in local daylight time), and meanwhile
/// UTC = local + bias + daylightBias.
/// </summary>
/// <remarks>
/// The Graph docs describe <c>bias</c> with the opposite sign ("zones ahead of UTC have a positive offset"), but the
/// service returns +480 for US Pacific (microsoftgraph/microsoft-graph-docs#15217), which is the Windows sign used
/// here. Neither the v1.0 nor the beta <c>standardTimeZoneOffset</c> resource has a bias of its own, so standard time
/// is always UTC - bias (Windows' StandardBias is taken as 0).
/// </remarks>
public sealed class GraphCustomTimeZone : DateTimeZone
{
    private const int MaxOffsetMinutes = 18 * 60;

    // Rule years whose transitions stay inside NodaTime's instant range even at ±18 hours; the zone is modelled
    // as standard (or as the last computed period) beyond them.
    private const int MinRuleYear = -9997;
    private const int MaxRuleYear = 9998;

    // Direct-mapped, power-of-two sized: 128 consecutive years share no slot, so a service working with the
    // present (and a scorecard looking back a few years) never recomputes a year once seen.
    private const int CacheSlots = 128;

    private static readonly OffsetPattern OffsetFormat = OffsetPattern.CreateWithInvariantCulture("+HH:mm");

    private readonly Offset _standardOffset;
    private readonly Offset _daylightOffset;
    private readonly TransitionRule _daylightStart;
    private readonly TransitionRule _daylightEnd;
    private readonly bool _daylightSpansNewYear;
    private readonly YearIntervals?[] _cache = new YearIntervals?[CacheSlots];

    private GraphCustomTimeZone(string id, Offset standardOffset, Offset daylightOffset, TransitionRule daylightStart,
        TransitionRule daylightEnd)
        : base(id, false, Offset.Min(standardOffset, daylightOffset), Offset.Max(standardOffset, daylightOffset))
    {
        _standardOffset = standardOffset;
        _daylightOffset = daylightOffset;
        _daylightStart = daylightStart;
        _daylightEnd = daylightEnd;
        _daylightSpansNewYear = daylightStart.Month > daylightEnd.Month;
    }

    /// <summary>
    /// Builds the zone a Graph custom time zone describes, or throws <see cref="PolicyException"/> naming the bad
    /// field under <paramref name="fieldPath"/>.
    /// </summary>
    /// <param name="biasMinutes">Graph <c>bias</c>: UTC = local standard time + bias, so -200 is UTC+03:20.</param>
    /// <param name="standard">Graph <c>standardOffset</c>: when daylight time ends, in local daylight time.</param>
    /// <param name="daylight">Graph <c>daylightOffset</c>: when daylight time starts, in local standard time; null or
    /// month 0 means no daylight saving time.</param>
    /// <param name="daylightBiasMinutes">Graph <c>daylightOffset.daylightBias</c>, added to the bias in daylight time.</param>
    /// <param name="fieldPath">The path of the <c>timeZone</c> object, e.g. <c>people.x@y.workingHours.timeZone</c>.</param>
    /// <returns>A fixed-offset zone when there is no daylight saving time, otherwise a <see cref="GraphCustomTimeZone"/>.</returns>
    public static DateTimeZone Create(int biasMinutes, TransitionRule? standard, TransitionRule? daylight,
        int daylightBiasMinutes, string fieldPath)
    {
        ArgumentNullException.ThrowIfNull(fieldPath);
        if (biasMinutes is < -MaxOffsetMinutes or > MaxOffsetMinutes)
        {
            throw Invalid($"{fieldPath}.bias",
                $"must be between -{MaxOffsetMinutes} and {MaxOffsetMinutes} minutes, got {biasMinutes}");
        }

        var standardOffset = Offset.FromSeconds(-biasMinutes * 60);

        // Windows' own reading of TIME_ZONE_INFORMATION: a daylight rule in month 0 means "no daylight time".
        if (daylight is null || daylight.Month == 0)
        {
            return ForOffset(standardOffset);
        }

        Validate(daylight, $"{fieldPath}.daylightOffset");
        if (standard is null)
        {
            throw Invalid($"{fieldPath}.standardOffset", "is required when daylightOffset has a month");
        }

        if (standard.Month == 0)
        {
            throw Invalid($"{fieldPath}.standardOffset.month", "must be 1 to 12 when daylightOffset has a month, got 0");
        }

        Validate(standard, $"{fieldPath}.standardOffset");

        // Two switches in one month can swap order from year to year (2nd Sunday vs 2nd Monday); no real zone
        // does that, and guessing which one Exchange meant could misplace a whole season.
        if (standard.Month == daylight.Month)
        {
            throw Invalid($"{fieldPath}.daylightOffset.month",
                $"must differ from standardOffset.month, both are {daylight.Month}");
        }

        long daylightOffsetMinutes = -((long)biasMinutes + daylightBiasMinutes);
        if (daylightOffsetMinutes is < -MaxOffsetMinutes or > MaxOffsetMinutes)
        {
            throw Invalid($"{fieldPath}.daylightOffset.daylightBias",
                $"bias + daylightBias must be between -{MaxOffsetMinutes} and {MaxOffsetMinutes} minutes, " +
                $"got {-daylightOffsetMinutes}");
        }

        if (daylightBiasMinutes == 0)
        {
            return ForOffset(standardOffset);
        }

        var daylightOffset = Offset.FromSeconds((int)daylightOffsetMinutes * 60);
        return new GraphCustomTimeZone(Describe(standardOffset, daylightOffset, daylight, standard),
            standardOffset, daylightOffset, daylight, standard);
    }

    /// <inheritdoc />
    public override ZoneInterval GetZoneInterval(Instant instant)
    {
        int year = UtcYear(instant);
        ref var slot = ref _cache[year & (CacheSlots - 1)];
        var entry = Volatile.Read(ref slot);
        if (entry is null || entry.Year != year)
        {
            // Racing threads compute equal immutable entries; whichever write lands is correct.
            entry = new YearIntervals(year, ComputeYear(year));
            Volatile.Write(ref slot, entry);
        }

        var intervals = entry.Intervals;
        for (int i = 0; i < intervals.Length; i++)
        {
            if (intervals[i].Contains(instant))
            {
                return intervals[i];
            }
        }

        throw new InvalidOperationException($"{Id}: the intervals computed for {year} do not cover {instant}");
    }

    /// <summary>Zones built from the same values are equal, as TZDB zones with the same id are.</summary>
    public override bool Equals(object? obj) => obj is GraphCustomTimeZone other && other.Id == Id;

    /// <inheritdoc />
    public override int GetHashCode() => Id.GetHashCode(StringComparison.Ordinal);

    private static int UtcYear(Instant instant) =>
        instant < Instant.MinValue ? CalendarSystem.Iso.MinYear
        : instant > Instant.MaxValue ? CalendarSystem.Iso.MaxYear
        : instant.InUtc().Year;

    /// <summary>
    /// The maximal zone intervals that overlap the UTC year. Daylight time is the union of one period per rule year,
    /// [start(y), end(y)) or, when daylight time spans New Year (southern hemisphere), [start(y), end(y + 1));
    /// everything else is standard time. Periods are computed for a window of rule years around the year; the first
    /// two and last two intervals of a window may be cut short by periods outside it, so the window widens until
    /// the year is covered by intervals from its inside (it never has to for real-world rules).
    /// </summary>
    private ZoneInterval[] ComputeYear(int year)
    {
        Instant? yearStart = year <= CalendarSystem.Iso.MinYear ? null : Instant.FromUtc(year, 1, 1, 0, 0);
        Instant? yearEnd = year >= CalendarSystem.Iso.MaxYear ? null : Instant.FromUtc(year + 1, 1, 1, 0, 0);
        for (int margin = 3; ; margin *= 2)
        {
            int firstRuleYear = Math.Max(year - margin, MinRuleYear);
            int lastRuleYear = Math.Min(year + margin, MaxRuleYear);
            var intervals = IntervalsFor(firstRuleYear, lastRuleYear);
            int first = intervals.FindIndex(z => Overlaps(z, yearStart, yearEnd));
            int last = intervals.FindLastIndex(z => Overlaps(z, yearStart, yearEnd));
            bool frontIsExact = firstRuleYear == MinRuleYear || first >= 2;
            bool backIsExact = lastRuleYear == MaxRuleYear || last <= intervals.Count - 3;
            if (frontIsExact && backIsExact)
            {
                return intervals.GetRange(first, last - first + 1).ToArray();
            }
        }
    }

    private List<ZoneInterval> IntervalsFor(int firstRuleYear, int lastRuleYear)
    {
        var daylightPeriods = new List<(Instant Start, Instant End)>();
        for (int y = firstRuleYear; y <= lastRuleYear; y++)
        {
            int endYear = _daylightSpansNewYear ? y + 1 : y;
            if (endYear > MaxRuleYear)
            {
                break;
            }

            var start = Transition(_daylightStart, y, _standardOffset);
            var end = Transition(_daylightEnd, endYear, _daylightOffset);
            if (start >= end)
            {
                // Possible only when the two switches fall within a few hours of each other in some year and the
                // daylight offset is behind standard: that year has no daylight time at all.
                continue;
            }

            // Starts grow with the year, so only the previous period can overlap this one.
            if (daylightPeriods.Count > 0 && start <= daylightPeriods[^1].End)
            {
                var previous = daylightPeriods[^1];
                daylightPeriods[^1] = (previous.Start, end > previous.End ? end : previous.End);
            }
            else
            {
                daylightPeriods.Add((start, end));
            }
        }

        var savings = _daylightOffset - _standardOffset;
        var intervals = new List<ZoneInterval>(daylightPeriods.Count * 2 + 1);
        Instant? standardStart = null;
        foreach (var (start, end) in daylightPeriods)
        {
            intervals.Add(new ZoneInterval("Standard time", standardStart, start, _standardOffset, Offset.Zero));
            intervals.Add(new ZoneInterval("Daylight time", start, end, _daylightOffset, savings));
            standardStart = end;
        }

        intervals.Add(new ZoneInterval("Standard time", standardStart, null, _standardOffset, Offset.Zero));
        return intervals;
    }

    private static Instant Transition(TransitionRule rule, int year, Offset offsetInForce) =>
        (LocalDate.FromYearMonthWeekAndDay(year, rule.Month, rule.DayOccurrence, rule.DayOfWeek) + rule.Time)
        .WithOffset(offsetInForce)
        .ToInstant();

    private static bool Overlaps(ZoneInterval interval, Instant? start, Instant? end) =>
        (!interval.HasStart || end is null || interval.Start < end.Value)
        && (!interval.HasEnd || start is null || interval.End > start.Value);

    private static void Validate(TransitionRule rule, string path)
    {
        if (rule.Month is < 1 or > 12)
        {
            throw Invalid($"{path}.month", $"must be 1 to 12, got {rule.Month}");
        }

        if (rule.DayOccurrence is < 1 or > 5)
        {
            throw Invalid($"{path}.dayOccurrence", $"must be 1 to 5 (5 = last), got {rule.DayOccurrence}");
        }

        if (rule.DayOfWeek is < IsoDayOfWeek.Monday or > IsoDayOfWeek.Sunday)
        {
            throw Invalid($"{path}.dayOfWeek", "must be a day of the week");
        }

        if (rule.Year != 0)
        {
            throw Invalid($"{path}.year", $"only 0 (every year) is supported, got {rule.Year}");
        }
    }

    private static PolicyException Invalid(string field, string problem) => new($"{field}: {problem}");

    // The id is a complete, readable statement of the rules, so equal ids mean equal zones and logs show what
    // the mailbox actually said.
    private static string Describe(Offset standardOffset, Offset daylightOffset, TransitionRule daylightStart,
        TransitionRule daylightEnd) =>
        string.Create(CultureInfo.InvariantCulture,
            $"Customized Time Zone (UTC{OffsetFormat.Format(standardOffset)}; UTC{OffsetFormat.Format(daylightOffset)} " +
            $"from the {Describe(daylightStart)} to the {Describe(daylightEnd)})");

    private static string Describe(TransitionRule rule)
    {
        string occurrence = rule.DayOccurrence switch
        {
            1 => "1st",
            2 => "2nd",
            3 => "3rd",
            4 => "4th",
            _ => "last",
        };
        string month = CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(rule.Month);
        return $"{occurrence} {rule.DayOfWeek} of {month} {LocalTimePattern.ExtendedIso.Format(rule.Time)}";
    }

    private sealed record YearIntervals(int Year, ZoneInterval[] Intervals);
}
