using NodaTime;
using NodaTime.TimeZones;

namespace BoundaryGuard.Core.Calendars;

/// <summary>
/// Turns a TZID into a zone: an IANA id, then a Windows id (Exchange writes <c>Eastern Standard Time</c>) through
/// CLDR's windowsZones as NodaTime ships it, then the file's own VTIMEZONE block for custom ids such as
/// <c>GMT +0100 (Standard) / GMT +0200 (Daylight)</c>. Known ids win over the file's block because the block
/// usually carries only today's rule, while the tz database also knows the zone's history.
/// </summary>
/// <remarks>
/// Ical.Net's own resolver is deliberately not used: it falls back to the machine's zone for an empty id and
/// matches unknown ids by substring, so <c>GMT +0100 (Standard) / GMT +0200 (Daylight)</c> silently becomes GMT.
/// </remarks>
internal sealed class IcsTimeZones
{
    private static readonly Lazy<Dictionary<string, string>> WindowsToIana = new(() =>
        TzdbDateTimeZoneSource.Default.WindowsMapping.PrimaryMapping
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase));

    private readonly string _source;
    private readonly Dictionary<string, IcsComponent> _blocks;
    private readonly Dictionary<string, DateTimeZone> _resolved = new(StringComparer.Ordinal);

    public IcsTimeZones(string source, IEnumerable<IcsComponent> vtimezones)
    {
        _source = source;
        _blocks = new Dictionary<string, IcsComponent>(StringComparer.Ordinal);
        foreach (var block in vtimezones)
        {
            var tzid = block.First("TZID")?.Value.Trim();
            if (string.IsNullOrEmpty(tzid))
            {
                throw new PolicyException($"{source} line {block.Line}: VTIMEZONE has no TZID");
            }

            _blocks.TryAdd(tzid, block);
        }
    }

    /// <summary>The zone for a TZID written on <paramref name="property"/>.</summary>
    public DateTimeZone Resolve(string tzid, IcsProperty property)
    {
        if (_resolved.TryGetValue(tzid, out var zone))
        {
            return zone;
        }

        zone = Known(tzid)
            ?? (_blocks.TryGetValue(tzid, out var block) ? VTimeZoneZone.Build(tzid, block, _source) : null)
            ?? throw new PolicyException(
                $"{_source} line {property.Line}: {property.Name} time zone '{tzid}' is neither an IANA nor a Windows id and the file has no VTIMEZONE for it");
        _resolved[tzid] = zone;
        return zone;
    }

    private static DateTimeZone? Known(string tzid)
    {
        // Some producers (old Evolution, Lotus) write "/Europe/Berlin" or a "/mozilla.org/.../Europe/Berlin" path.
        var trimmed = tzid.TrimStart('/');
        return DateTimeZoneProviders.Tzdb.GetZoneOrNull(trimmed)
            ?? (WindowsToIana.Value.TryGetValue(trimmed, out var iana) ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(iana) : null);
    }
}
