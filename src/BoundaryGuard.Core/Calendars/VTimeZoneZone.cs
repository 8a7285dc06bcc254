using System.Collections.Concurrent;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;
using NodaTime;
using NodaTime.TimeZones;

namespace BoundaryGuard.Core.Calendars;

/// <summary>
/// A zone defined only by a file's VTIMEZONE block (custom TZIDs that name no known zone). Each STANDARD or
/// DAYLIGHT observance contributes onsets (its DTSTART, RRULE and RDATE, written in the local time before the
/// onset, i.e. at TZOFFSETFROM); the wall offset at an instant is the TZOFFSETTO of the latest onset before it.
/// </summary>
/// <remarks>
/// Onsets are expanded with Ical.Net, lazily per year and cached; expansion is serialised because Ical.Net does not
/// promise that evaluating one component from several threads is safe.
/// </remarks>
internal sealed class VTimeZoneZone : DateTimeZone
{
    private const int LookAheadYears = 10;

    private readonly Observance[] _observances;
    private readonly int _firstYear;
    private readonly ConcurrentDictionary<int, Transition[]> _byYear = new();
    private readonly Lock _gate = new();

    private VTimeZoneZone(string id, Observance[] observances, Offset min, Offset max)
        : base(id, false, min, max)
    {
        _observances = observances;
        _firstYear = observances.Min(o => o.Start.Year);
    }

    public static VTimeZoneZone Build(string tzid, IcsComponent block, string source)
    {
        var observances = new List<Observance>();
        foreach (var part in block.Children.Where(c => c.Name is "STANDARD" or "DAYLIGHT"))
        {
            IcsProperty Required(string name) => part.First(name)
                ?? throw new PolicyException($"{source} line {part.Line}: VTIMEZONE '{tzid}' {part.Name} has no {name}");

            var from = IcsValues.UtcOffset(Required("TZOFFSETFROM"), source);
            var to = IcsValues.UtcOffset(Required("TZOFFSETTO"), source);
            var start = IcsValues.DateTime(Required("DTSTART"), source);
            var onsets = new CalendarEvent { DtStart = Floating(start.Local) };
            foreach (var rrule in part.All("RRULE"))
            {
                var rule = IcsRules.Parse(rrule, source);

                // UNTIL is UTC here (RFC 5545 3.8.2.4) while the onsets are local: compare like with like.
                if (rule.Until is { IsUtc: true } until)
                {
                    rule.Until = Floating(LocalDateTime.FromDateTime(until.Value).PlusSeconds(from.Seconds));
                }

                onsets.RecurrenceRule = rule;
            }

            foreach (var rdate in part.All("RDATE"))
            {
                foreach (var value in IcsValues.DateTimeList(rdate, source))
                {
                    onsets.RecurrenceDates.Add(Floating(value.IsUtc ? value.Local.PlusSeconds(from.Seconds) : value.Local));
                }
            }

            var name = part.First("TZNAME")?.Value.Trim() is { Length: > 0 } tzname ? tzname : part.Name;
            observances.Add(new Observance(start.Local, from, to, part.Name == "DAYLIGHT", name, onsets, part.Line));
        }

        if (observances.Count == 0)
        {
            throw new PolicyException($"{source} line {block.Line}: VTIMEZONE '{tzid}' has no STANDARD or DAYLIGHT block");
        }

        var offsets = observances.SelectMany(o => new[] { o.From, o.To }).ToArray();
        var zone = new VTimeZoneZone(tzid, [.. observances], offsets.Min(), offsets.Max());
        zone.Validate(source);
        return zone;
    }

    public override ZoneInterval GetZoneInterval(Instant instant)
    {
        var year = instant.InUtc().Year;
        Transition? previous = null;
        Transition? next = null;
        for (var y = year - 1; y <= year + 1; y++)
        {
            Consider(y, instant, ref previous, ref next);
        }

        for (var y = year - 2; previous is null && y >= _firstYear; y--)
        {
            Consider(y, instant, ref previous, ref next);
        }

        for (var y = year + 2; next is null && y <= year + LookAheadYears; y++)
        {
            Consider(y, instant, ref previous, ref next);
        }

        if (previous is { } p)
        {
            return new ZoneInterval(p.Name, p.At, next?.At, p.To, p.IsDaylight ? Savings(p) : Offset.Zero);
        }

        // Before the first onset the zone keeps the offset the earliest observance changes from.
        var earliest = _observances.MinBy(o => o.Start)!;
        return new ZoneInterval(earliest.Name, null, next?.At, earliest.From, Offset.Zero);
    }

    private static Offset Savings(Transition t) => t.To > t.From ? t.To - t.From : Offset.Zero;

    private void Consider(int year, Instant instant, ref Transition? previous, ref Transition? next)
    {
        foreach (var t in TransitionsIn(year))
        {
            if (t.At <= instant && (previous is null || t.At >= previous.Value.At))
            {
                previous = t;
            }
            else if (t.At > instant && (next is null || t.At < next.Value.At))
            {
                next = t;
            }
        }
    }

    private Transition[] TransitionsIn(int year)
    {
        if (year < 1 || year >= 9999)
        {
            return [];
        }

        return _byYear.GetOrAdd(year, y =>
        {
            lock (_gate)
            {
                var from = new CalDateTime(new DateOnly(y, 1, 1), new TimeOnly(0, 0), null);
                var list = new List<Transition>();
                foreach (var o in _observances)
                {
                    foreach (var occurrence in o.Onsets.GetOccurrences(from, IcsRules.Options))
                    {
                        var start = occurrence.Period.StartTime;
                        if (start.Year > y)
                        {
                            break;
                        }

                        var local = LocalDateTime.FromDateTime(start.Value);
                        list.Add(new Transition(local.WithOffset(o.From).ToInstant(), o.From, o.To, o.IsDaylight, o.Name));
                    }
                }

                return [.. list.OrderBy(t => t.At)];
            }
        });
    }

    private void Validate(string source)
    {
        foreach (var o in _observances)
        {
            try
            {
                _ = o.Onsets.GetOccurrences(null, IcsRules.Options).Take(2).Count();
            }
            catch (EvaluationException)
            {
                throw new PolicyException($"{source} line {o.Line}: VTIMEZONE '{Id}' {(o.IsDaylight ? "DAYLIGHT" : "STANDARD")} RRULE never produces an onset");
            }
        }
    }

    private static CalDateTime Floating(LocalDateTime local) =>
        new(local.Date.ToDateOnly(), local.TimeOfDay.ToTimeOnly(), null);

    private sealed record Observance(
        LocalDateTime Start, Offset From, Offset To, bool IsDaylight, string Name, CalendarEvent Onsets, int Line);

    private readonly record struct Transition(Instant At, Offset From, Offset To, bool IsDaylight, string Name);
}
