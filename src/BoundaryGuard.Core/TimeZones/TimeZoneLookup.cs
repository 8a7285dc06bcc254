using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using NodaTime;
using NodaTime.TimeZones;

namespace BoundaryGuard.Core.TimeZones;

/// <summary>
/// Resolves a zone name as Graph, Exchange and Outlook write it: a Windows id ("Eastern Standard Time") or an IANA id
/// ("America/New_York", "UTC"). Only NodaTime's bundled TZDB and CLDR data are used, never the machine's zone or
/// ICU, so the answer is the same on every host, including the CLI running with InvariantGlobalization.
/// </summary>
public static class TimeZoneLookup
{
    private static readonly IDateTimeZoneProvider Tzdb = DateTimeZoneProviders.Tzdb;

    // CLDR's territory-001 row is the one zone CLDR itself picks for a Windows id. Case-insensitive because
    // hand-written policy files vary the case of Windows ids and Windows (registry key names) ignores it; IANA ids
    // keep TZDB's ordinal comparison, as NodaTime does.
    private static readonly FrozenDictionary<string, string> WindowsToIana =
        TzdbDateTimeZoneSource.Default.WindowsMapping.PrimaryMapping
            .ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Resolves <paramref name="id"/> or throws <see cref="PolicyException"/> naming <paramref name="fieldPath"/>.</summary>
    /// <param name="id">A Windows or IANA zone id; surrounding whitespace is ignored.</param>
    /// <param name="fieldPath">Where the id came from, e.g. <c>workingHours.timeZone.name</c>.</param>
    public static DateTimeZone Find(string id, string fieldPath)
    {
        ArgumentNullException.ThrowIfNull(fieldPath);
        if (TryFind(id, out var zone))
        {
            return zone;
        }

        throw new PolicyException($"{fieldPath}: unknown time zone '{OneLine(id.Trim())}'");
    }

    /// <summary>Resolves a Windows or IANA zone id; false when neither TZDB nor CLDR knows it.</summary>
    public static bool TryFind(string id, [NotNullWhen(true)] out DateTimeZone? zone)
    {
        ArgumentNullException.ThrowIfNull(id);
        var trimmed = id.Trim();
        zone = null;
        if (trimmed.Length == 0)
        {
            return false;
        }

        // Windows ids first: NodaTime's provider also reads "UTC-11" or "UTC+12" as fixed-offset ids, which would
        // give the right offset but not the zone CLDR names for those Windows ids.
        zone = WindowsToIana.TryGetValue(trimmed, out var ianaId)
            ? Tzdb.GetZoneOrNull(ianaId)
            : Tzdb.GetZoneOrNull(trimmed);
        return zone is not null;
    }

    // The message must stay one line even when the input smuggles a line break into the name.
    private static string OneLine(string text) =>
        text.Any(char.IsControl) ? new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray()) : text;
}
