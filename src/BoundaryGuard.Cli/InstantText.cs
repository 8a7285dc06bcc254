using BoundaryGuard.Core;
using NodaTime;
using NodaTime.Text;

namespace BoundaryGuard.Cli;

/// <summary>ISO 8601 instants as the contract writes them: always with an offset or <c>Z</c>.</summary>
internal static class InstantText
{
    private static readonly OffsetDateTimePattern[] Inputs =
    [
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFFFo<G>"),
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mmo<G>"),
    ];

    private static readonly LocalDateTimePattern[] WithoutOffset =
    [
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFFF"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm"),
    ];

    /// <summary>The output form, in the offset of the policy's zone at that instant.</summary>
    private static readonly OffsetDateTimePattern Output =
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFFFo<+HH:mm>");

    public static Instant Parse(string text, string field)
    {
        foreach (var pattern in Inputs)
        {
            var result = pattern.Parse(text);
            if (result.Success)
            {
                return result.Value.ToInstant();
            }
        }

        if (WithoutOffset.Any(p => p.Parse(text).Success))
        {
            throw new PolicyException($"{field}: '{text}' has no offset (add Z or an offset such as -05:00)");
        }

        throw new PolicyException($"{field}: '{text}' is not a valid instant (expected e.g. 2026-12-04T23:40:00-05:00)");
    }

    public static string Format(Instant instant, DateTimeZone zone) =>
        Output.Format(instant.InZone(zone).ToOffsetDateTime());
}
