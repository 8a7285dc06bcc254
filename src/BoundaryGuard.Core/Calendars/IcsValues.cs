using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;

namespace BoundaryGuard.Core.Calendars;

/// <summary>A DATE or DATE-TIME value as written: floating, UTC (<c>Z</c>) or in a named zone (<c>TZID</c>).</summary>
internal readonly record struct IcsDateTime(LocalDate Date, LocalTime? Time, bool IsUtc, string? TzId)
{
    public bool IsDate => Time is null;

    public LocalDateTime Local => Date + (Time ?? LocalTime.Midnight);
}

/// <summary>A DURATION: weeks and days are nominal (calendar days), hours, minutes and seconds are exact.</summary>
internal readonly record struct IcsDuration(int Days, Duration Exact);

/// <summary>
/// Parses the value types a closure needs, strictly, so that a bad value is reported with its line instead of being
/// dropped the way Ical.Net drops it.
/// </summary>
internal static partial class IcsValues
{
    private static readonly string[] DurationParts = ["w", "d", "h", "m", "s"];

    public static IcsDateTime DateTime(IcsProperty property, string source) =>
        DateTime(property, property.Value.Trim(), source);

    public static IEnumerable<IcsDateTime> DateTimeList(IcsProperty property, string source)
    {
        foreach (var item in property.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            // RDATE;VALUE=PERIOD gives start/end or start/duration; the start is what makes it an occurrence.
            var slash = item.IndexOf('/', StringComparison.Ordinal);
            yield return DateTime(property, slash < 0 ? item : item[..slash], source);
        }
    }

    private static IcsDateTime DateTime(IcsProperty property, string value, string source)
    {
        var declared = property.Parameter("VALUE");
        var wantsDate = string.Equals(declared, "DATE", StringComparison.OrdinalIgnoreCase);
        var match = DateTimePattern().Match(value);
        if (match.Success && !(wantsDate && match.Groups["time"].Success))
        {
            var date = Date(match.Groups["date"].Value);
            LocalTime? time = match.Groups["time"].Success ? Time(match.Groups["time"].Value) : null;
            if (date is not null && (time is not null || !match.Groups["time"].Success))
            {
                var isUtc = match.Groups["utc"].Success;
                var tzid = isUtc || time is null ? null : property.Parameter("TZID");
                return new IcsDateTime(date.Value, time, isUtc, string.IsNullOrWhiteSpace(tzid) ? null : tzid);
            }
        }

        var kind = wantsDate || !value.Contains('T', StringComparison.OrdinalIgnoreCase) ? "a date" : "a date-time";
        throw new PolicyException($"{source} line {property.Line}: {property.Name} '{value}' is not {kind}");
    }

    public static IcsDuration Duration(IcsProperty property, string source)
    {
        var value = property.Value.Trim();
        var match = DurationPattern().Match(value);
        if (!match.Success || value.EndsWith('T') || !DurationParts.Any(g => match.Groups[g].Success))
        {
            throw new PolicyException($"{source} line {property.Line}: DURATION '{value}' is not a duration such as P1D or PT1H30M");
        }

        if (match.Groups["sign"].Value == "-")
        {
            throw new PolicyException($"{source} line {property.Line}: DURATION '{value}' is negative");
        }

        int Part(string name) => match.Groups[name].Success ? int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        var exact = NodaTime.Duration.FromHours(Part("h")) + NodaTime.Duration.FromMinutes(Part("m")) + NodaTime.Duration.FromSeconds(Part("s"));
        return new IcsDuration((Part("w") * 7) + Part("d"), exact);
    }

    public static Offset UtcOffset(IcsProperty property, string source)
    {
        var value = property.Value.Trim();
        var match = OffsetPattern().Match(value);
        if (!match.Success)
        {
            throw new PolicyException($"{source} line {property.Line}: {property.Name} '{value}' is not a UTC offset such as -0500");
        }

        var seconds = (int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture) * 3600)
            + (int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) * 60)
            + (match.Groups["s"].Success ? int.Parse(match.Groups["s"].Value, CultureInfo.InvariantCulture) : 0);
        return Offset.FromSeconds(match.Groups["sign"].Value == "-" ? -seconds : seconds);
    }

    private static LocalDate? Date(string digits)
    {
        var year = int.Parse(digits[..4], CultureInfo.InvariantCulture);
        var month = int.Parse(digits[4..6], CultureInfo.InvariantCulture);
        var day = int.Parse(digits[6..8], CultureInfo.InvariantCulture);
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= CalendarSystem.Iso.GetDaysInMonth(year, month)
            ? new LocalDate(year, month, day)
            : null;
    }

    private static LocalTime? Time(string digits)
    {
        var hour = int.Parse(digits[..2], CultureInfo.InvariantCulture);
        var minute = int.Parse(digits[2..4], CultureInfo.InvariantCulture);
        var second = int.Parse(digits[4..6], CultureInfo.InvariantCulture);

        // RFC 5545 allows second 60 for a leap second; NodaTime has no leap seconds, and a day boundary is all we need.
        return hour <= 23 && minute <= 59 && second <= 60 ? new LocalTime(hour, minute, Math.Min(second, 59)) : null;
    }

    [GeneratedRegex(@"^(?<date>\d{8})(T(?<time>\d{6})(?<utc>Z)?)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();

    [GeneratedRegex(@"^(?<sign>[+-])?P((?<w>\d+)W)?((?<d>\d+)D)?(T((?<h>\d+)H)?((?<m>\d+)M)?((?<s>\d+)S)?)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^(?<sign>[+-])(?<h>\d{2})(?<m>\d{2})(?<s>\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetPattern();
}
