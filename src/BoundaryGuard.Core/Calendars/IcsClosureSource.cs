using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;
using NodaTime;
using Duration = NodaTime.Duration;
using Period = NodaTime.Period;

namespace BoundaryGuard.Core.Calendars;

/// <summary>
/// Closures from an iCalendar (.ics) file: every local day an event touches, after <see cref="ClosureFilter"/>.
/// All-day events close their dates (DTEND exclusive); timed events close every day they touch in the policy's
/// zone; RRULE, RDATE, EXDATE and RECURRENCE-ID overrides are honoured.
/// </summary>
/// <remarks>
/// The file is read and checked whole in <see cref="Load"/>: every error is a <see cref="PolicyException"/> there,
/// naming the file and, where known, the line and field. <see cref="ClosuresIn"/> expands recurring events per year
/// on demand and is safe to call from several threads.
/// </remarks>
public sealed class IcsClosureSource : IClosureSource
{
    private const string Untitled = "Untitled event";

    private readonly string _source;
    private readonly DateTimeZone _policyZone;
    private readonly Dictionary<int, Closure[]> _fixed;
    private readonly IcsEvent[] _recurring;
    private readonly Lock _gate = new();

    private IcsClosureSource(string source, DateTimeZone policyZone, Dictionary<int, Closure[]> fixedClosures, IcsEvent[] recurring)
    {
        _source = source;
        _policyZone = policyZone;
        _fixed = fixedClosures;
        _recurring = recurring;
    }

    /// <summary>The path as the policy wrote it; it is each closure's <see cref="Closure.Source"/>.</summary>
    public string Source => _source;

    /// <summary>Reads and checks a calendar file.</summary>
    /// <param name="fullPath">Where the file is on disk.</param>
    /// <param name="sourceName">The path as the policy wrote it, used in closures and error messages.</param>
    /// <param name="filter">Which events close; <see cref="ClosureFilter.All"/> for every event.</param>
    /// <param name="policyZone">The policy's zone: floating times are read in it and timed events are mapped to its days.</param>
    /// <exception cref="PolicyException">The file is missing, unreadable or not a valid calendar.</exception>
    public static IcsClosureSource Load(string fullPath, string sourceName, ClosureFilter filter, DateTimeZone policyZone)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(policyZone);

        return Parse(ReadText(fullPath, sourceName), sourceName, filter, policyZone);
    }

    /// <summary>Checks a calendar's text (a file uploaded rather than on disk) as <see cref="Load"/> checks a file.</summary>
    /// <param name="text">The calendar, a byte-order mark already dropped.</param>
    /// <param name="sourceName">The file's name, used in closures and error messages.</param>
    /// <param name="filter">Which events close; <see cref="ClosureFilter.All"/> for every event.</param>
    /// <param name="policyZone">The policy's zone: floating times are read in it and timed events are mapped to its days.</param>
    /// <exception cref="PolicyException">The text is not a valid calendar; the message names the line and field.</exception>
    public static IcsClosureSource Parse(string text, string sourceName, ClosureFilter filter, DateTimeZone policyZone)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(policyZone);

        var calendars = IcsContent.ReadCalendars(text, sourceName);
        var zones = new IcsTimeZones(sourceName, calendars.SelectMany(c => c.Children.Where(x => x.Name == "VTIMEZONE")));
        var raws = calendars
            .SelectMany(c => c.Children.Where(x => x.Name == "VEVENT"))
            .Select(c => RawEvent.Read(c, sourceName))
            .ToList();
        var texts = ReadTexts(text, sourceName, raws.Count);

        var overridesByUid = raws
            .Where(r => r.RecurrenceId is not null && r.Uid is not null)
            .ToLookup(r => r.Uid!, StringComparer.Ordinal);
        var masterTextByUid = raws
            .Select((r, i) => (Raw: r, Text: texts[i]))
            .Where(x => x.Raw.RecurrenceId is null && x.Raw.Uid is not null)
            .GroupBy(x => x.Raw.Uid!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Text, StringComparer.Ordinal);

        var fixedClosures = new List<Closure>();
        var recurring = new List<IcsEvent>();
        for (var i = 0; i < raws.Count; i++)
        {
            var raw = raws[i];
            var own = texts[i];
            var master = raw.RecurrenceId is not null && raw.Uid is not null ? masterTextByUid.GetValueOrDefault(raw.Uid) : null;
            var overrides = raw.RecurrenceId is null && raw.Uid is not null ? overridesByUid[raw.Uid] : [];
            var name = own.Summary ?? master?.Summary ?? Untitled;
            var plan = Plan(raw, name, overrides, zones, policyZone, sourceName);

            if (plan is null || raw.IsCancelled || !Closes(filter, own, master))
            {
                continue;
            }

            if (plan.Recurrence is null)
            {
                fixedClosures.AddRange(plan.DatesOf(plan.Start, policyZone).Select(d => new Closure(d, plan.Name, sourceName)));
            }
            else
            {
                recurring.Add(plan);
            }
        }

        var byYear = fixedClosures
            .GroupBy(c => c.Date.Year)
            .ToDictionary(g => g.Key, g => g.ToArray());
        return new IcsClosureSource(sourceName, policyZone, byYear, [.. recurring]);
    }

    /// <inheritdoc />
    public IEnumerable<Closure> ClosuresIn(int year)
    {
        if (year is < 1 or > 9999)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, "Calendars cover the years 1 to 9999.");
        }

        var result = new List<Closure>(_fixed.TryGetValue(year, out var fixedClosures) ? fixedClosures : []);
        lock (_gate)
        {
            foreach (var plan in _recurring)
            {
                result.AddRange(Expand(plan, year));
            }
        }

        return result
            .Distinct()
            .OrderBy(c => c.Date)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToArray();
    }

    private List<Closure> Expand(IcsEvent plan, int year)
    {
        var closures = new List<Closure>();
        try
        {
            foreach (var start in plan.StartsNear(year))
            {
                closures.AddRange(plan.DatesOf(start, _policyZone)
                    .Where(d => d.Year == year)
                    .Select(d => new Closure(d, plan.Name, _source)));
            }
        }
        catch (EvaluationOutOfRangeException)
        {
            // The rule ran past 9999-12-31 (Ical.Net's end of time) while reaching the last supported year.
        }
        catch (EvaluationException e)
        {
            // Load checked each rule against its first occurrences; a rule that starves later on is still the file's fault.
            throw new PolicyException($"{_source} line {plan.Line}: RRULE stops producing dates in {year} ({e.GetType().Name})", e);
        }

        return closures;
    }

    private static string ReadText(string fullPath, string sourceName)
    {
        if (!File.Exists(fullPath))
        {
            throw new PolicyException($"{sourceName}: file not found");
        }

        try
        {
            // Detects a UTF-8 or UTF-16 byte-order mark and drops it; without one the file is read as UTF-8 (RFC 5545 3.1.4).
            return File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PolicyException($"{sourceName}: cannot be read ({e.Message})", e);
        }
    }

    /// <summary>SUMMARY, DESCRIPTION and CATEGORIES as Ical.Net unescapes them, in file order.</summary>
    private static List<EventText> ReadTexts(string text, string sourceName, int expected)
    {
        CalendarCollection collection;
        try
        {
            collection = CalendarCollection.Load(text);
        }
        catch (Exception e) when (e is not PolicyException and not OutOfMemoryException)
        {
            // The structural pass above catches what it can with a line number; anything Ical.Net still refuses is
            // reported with its own words, on one line.
            throw new PolicyException($"{sourceName}: not a valid iCalendar file ({e.Message.Split('\n')[0].Trim()})", e);
        }

        var events = collection.SelectMany(c => c.Events).ToList();
        if (events.Count != expected)
        {
            throw new PolicyException($"{sourceName}: Ical.Net read {events.Count} events where the file has {expected}");
        }

        return events.Select(e => new EventText(
            string.IsNullOrWhiteSpace(e.Summary) ? null : e.Summary.Trim(),
            string.IsNullOrWhiteSpace(e.Description) ? null : e.Description,
            e.Categories.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).ToArray())).ToList();
    }

    private static bool Closes(ClosureFilter filter, EventText own, EventText? master)
    {
        // Real overrides carry only what changed (Thunderbird's Australian feed drops CATEGORIES from its
        // "Anzac Day (NSW, SA, TAS, VIC, WA)" instance), so an instance inherits what it leaves out.
        var summary = own.Summary ?? master?.Summary;
        var description = own.Description ?? master?.Description;
        var categories = own.Categories.Count > 0 || master is null ? own.Categories : master.Categories;
        return filter.Closes(summary, description, categories);
    }

    /// <summary>Builds the plan for one event, or null when overrides leave nothing of it.</summary>
    private static IcsEvent? Plan(
        RawEvent raw,
        string name,
        IEnumerable<RawEvent> overrides,
        IcsTimeZones zones,
        DateTimeZone policyZone,
        string source)
    {
        var start = raw.Start;
        var zone = start.IsDate ? null : ZoneOf(start, raw.StartProperty, zones, policyZone);
        var (days, exact) = Length(raw, zone, zones, source);

        LocalDateTime Local(IcsDateTime value, IcsProperty property) =>
            zone is null || value.IsDate
                ? value.Local
                : value.IsUtc || value.TzId is not null
                    ? value.Local.InZoneLeniently(ZoneOf(value, property, zones, policyZone)).WithZone(zone).LocalDateTime
                    : value.Local;

        CalDateTime Floating(IcsDateTime value, IcsProperty property) =>
            zone is null || value.IsDate
                ? new CalDateTime(value.Date.ToDateOnly())
                : new CalDateTime(Local(value, property).Date.ToDateOnly(), Local(value, property).TimeOfDay.ToTimeOnly(), null);

        var replaced = overrides.Select(o => (Value: o.RecurrenceId!.Value, Property: o.RecurrenceIdProperty!)).ToList();
        if (raw.Rule is null && raw.RDates.Count == 0)
        {
            var startLocal = Local(start, raw.StartProperty);
            if (replaced.Any(r => r.Value.IsDate ? r.Value.Date == startLocal.Date : Local(r.Value, r.Property) == startLocal))
            {
                return null;
            }

            return new IcsEvent { Name = name, Line = raw.Line, Start = startLocal, Zone = zone, Days = days, Exact = exact };
        }

        var recurrence = new CalendarEvent
        {
            DtStart = zone is null ? new CalDateTime(start.Date.ToDateOnly()) : Floating(start, raw.StartProperty),
        };
        if (raw.Rule is { } rule)
        {
            if (rule.Until is { } until)
            {
                rule.Until = UntilOf(until, raw.RuleProperty!, zone, zones);
            }

            recurrence.RecurrenceRule = rule;
        }

        foreach (var (value, property) in raw.RDates)
        {
            recurrence.RecurrenceDates.Add(Floating(value, property));
        }

        foreach (var (value, property) in raw.ExDates.Concat(replaced))
        {
            recurrence.ExceptionDates.Add(Floating(value, property));
        }

        var plan = new IcsEvent
        {
            Name = name,
            Line = raw.Line,
            Start = Local(start, raw.StartProperty),
            Zone = zone,
            Days = days,
            Exact = exact,
            Recurrence = recurrence,
        };

        try
        {
            _ = recurrence.GetOccurrences(null, IcsRules.Options).Take(2).Count();
        }
        catch (EvaluationException)
        {
            var line = raw.RuleProperty?.Line ?? raw.Line;
            throw new PolicyException($"{source} line {line}: RRULE '{IcsContent.Shorten(raw.RuleProperty?.Value.Trim() ?? string.Empty)}' never produces a date");
        }

        return plan;
    }

    private static CalDateTime UntilOf(CalDateTime until, IcsProperty property, DateTimeZone? zone, IcsTimeZones zones)
    {
        var date = until.Date;
        if (zone is null || !until.HasTime)
        {
            // All-day rules compare dates; a date-only UNTIL on a timed rule includes that whole day.
            return zone is null ? new CalDateTime(date) : new CalDateTime(date, new TimeOnly(23, 59, 59), null);
        }

        var local = LocalDateTime.FromDateTime(until.Value);
        if (until.IsUtc || until.TzId is not null)
        {
            var untilZone = until.IsUtc ? DateTimeZone.Utc : zones.Resolve(until.TzId!, property);
            local = local.InZoneLeniently(untilZone).WithZone(zone).LocalDateTime;
        }

        return new CalDateTime(local.Date.ToDateOnly(), local.TimeOfDay.ToTimeOnly(), null);
    }

    private static DateTimeZone ZoneOf(IcsDateTime value, IcsProperty property, IcsTimeZones zones, DateTimeZone policyZone) =>
        value.IsUtc ? DateTimeZone.Utc
        : value.TzId is { } tzid ? zones.Resolve(tzid, property)
        : policyZone;

    private static (int Days, Duration Exact) Length(RawEvent raw, DateTimeZone? zone, IcsTimeZones zones, string source)
    {
        var start = raw.Start;
        if (raw.End is { } end)
        {
            var endProperty = raw.EndProperty!;
            if (zone is null)
            {
                // EssentialPIM writes DTSTART;VALUE=DATE with DTEND:20210101T050001Z: a one-day event, whatever the time.
                var days = end.IsDate ? Period.DaysBetween(start.Date, end.Date) : 1;
                return days < 0
                    ? throw Before(raw, source)
                    : Checked(raw, Math.Max(days, 1), Duration.Zero, source);
            }

            var startInstant = start.Local.InZoneLeniently(zone).ToInstant();
            var endZone = end.IsUtc ? DateTimeZone.Utc : end.TzId is { } tzid ? zones.Resolve(tzid, endProperty) : zone;
            var exact = end.Local.InZoneLeniently(endZone).ToInstant() - startInstant;
            return exact < Duration.Zero ? throw Before(raw, source) : Checked(raw, 0, exact, source);
        }

        if (raw.Duration is { } duration)
        {
            return zone is null
                ? Checked(raw, Math.Max(duration.Days, 1), Duration.Zero, source)
                : Checked(raw, duration.Days, duration.Exact, source);
        }

        return zone is null ? (1, Duration.Zero) : (0, Duration.Zero);
    }

    private static (int Days, Duration Exact) Checked(RawEvent raw, int days, Duration exact, string source) =>
        days + exact.TotalDays > IcsEvent.MaxDays
            ? throw new PolicyException(
                $"{source} line {raw.Line}: the event lasts more than {IcsEvent.MaxDays} days; check its DTEND or DURATION")
            : (days, exact);

    private static PolicyException Before(RawEvent raw, string source) =>
        new($"{source} line {raw.EndProperty!.Line}: DTEND '{raw.EndProperty.Value.Trim()}' is before DTSTART '{raw.StartProperty.Value.Trim()}'");

    private sealed record EventText(string? Summary, string? Description, IReadOnlyCollection<string> Categories);

    /// <summary>The date-bearing properties of one VEVENT, parsed strictly from the raw lines.</summary>
    private sealed class RawEvent
    {
        public required int Line { get; init; }

        public required IcsDateTime Start { get; init; }

        public required IcsProperty StartProperty { get; init; }

        public IcsDateTime? End { get; init; }

        public IcsProperty? EndProperty { get; init; }

        public IcsDuration? Duration { get; init; }

        public RecurrenceRule? Rule { get; init; }

        public IcsProperty? RuleProperty { get; init; }

        public required List<(IcsDateTime Value, IcsProperty Property)> RDates { get; init; }

        public required List<(IcsDateTime Value, IcsProperty Property)> ExDates { get; init; }

        public IcsDateTime? RecurrenceId { get; init; }

        public IcsProperty? RecurrenceIdProperty { get; init; }

        public string? Uid { get; init; }

        public bool IsCancelled { get; init; }

        public static RawEvent Read(IcsComponent c, string source)
        {
            var start = c.First("DTSTART")
                ?? throw new PolicyException($"{source} line {c.Line}: VEVENT has no DTSTART");
            var end = c.First("DTEND");
            var duration = c.First("DURATION");
            var rules = c.All("RRULE").ToList();
            if (rules.Count > 1)
            {
                throw new PolicyException($"{source} line {rules[1].Line}: more than one RRULE in one VEVENT is not supported");
            }

            if (c.First("EXRULE") is { } exrule)
            {
                throw new PolicyException($"{source} line {exrule.Line}: EXRULE is not supported (RFC 5545 deprecated it); use EXDATE");
            }

            var recurrenceId = c.First("RECURRENCE-ID");
            return new RawEvent
            {
                Line = c.Line,
                Start = IcsValues.DateTime(start, source),
                StartProperty = start,
                End = end is null ? null : IcsValues.DateTime(end, source),
                EndProperty = end,
                Duration = duration is null ? null : IcsValues.Duration(duration, source),
                Rule = rules.Count == 0 ? null : IcsRules.Parse(rules[0], source),
                RuleProperty = rules.FirstOrDefault(),
                RDates = c.All("RDATE").SelectMany(p => IcsValues.DateTimeList(p, source).Select(v => (v, p))).ToList(),
                ExDates = c.All("EXDATE").SelectMany(p => IcsValues.DateTimeList(p, source).Select(v => (v, p))).ToList(),
                RecurrenceId = recurrenceId is null ? null : IcsValues.DateTime(recurrenceId, source),
                RecurrenceIdProperty = recurrenceId,
                Uid = c.First("UID")?.Value.Trim() is { Length: > 0 } uid ? uid : null,
                IsCancelled = string.Equals(c.First("STATUS")?.Value.Trim(), "CANCELLED", StringComparison.OrdinalIgnoreCase),
            };
        }
    }
}
