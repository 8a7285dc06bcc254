using System.Collections.Frozen;
using System.Globalization;
using NodaTime;
using NodaTime.TimeZones;

namespace BoundaryGuard.GraphSandbox.Calendars;

/// <summary>
/// Zone names as Graph accepts them in dateTimeTimeZone and <c>Prefer: outlook.timezone</c>: Windows ids ("Eastern
/// Standard Time"), IANA ids ("America/Chicago") and "UTC". Local times that a zone skips or repeats resolve
/// leniently (skipped: shifted forward by the gap; repeated: the earlier), as Exchange stores them.
/// </summary>
internal static class SandboxTimeZones
{
    private static readonly FrozenDictionary<string, string> WindowsToIana =
        TzdbDateTimeZoneSource.Default.WindowsMapping.PrimaryMapping.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly string[] LocalFormats =
        ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd"];

    public static DateTimeZone? Find(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var trimmed = name.Trim();
        if (trimmed.Equals("UTC", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("tzone://Microsoft/Utc", StringComparison.OrdinalIgnoreCase))
        {
            return DateTimeZone.Utc;
        }

        return WindowsToIana.TryGetValue(trimmed, out var iana)
            ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(iana)
            : DateTimeZoneProviders.Tzdb.GetZoneOrNull(trimmed);
    }

    public static bool TryParseLocal(string text, out DateTime local) =>
        DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out local);

    /// <summary>A local value the sandbox itself stored (validated when written).</summary>
    public static DateTime StoredLocal(string text) =>
        TryParseLocal(text, out var local) ? local : throw new InvalidOperationException("A stored event time is not a local date-time.");

    public static DateTimeOffset ToInstant(DateTime local, DateTimeZone zone) =>
        zone.AtLeniently(LocalDateTime.FromDateTime(local)).ToDateTimeOffset().ToUniversalTime();

    public static DateTime ToLocal(DateTimeOffset instant, DateTimeZone zone) =>
        Instant.FromDateTimeOffset(instant).InZone(zone).LocalDateTime.ToDateTimeUnspecified();
}
