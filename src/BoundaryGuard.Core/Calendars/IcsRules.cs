using Ical.Net.DataTypes;
using Ical.Net.Evaluation;

namespace BoundaryGuard.Core.Calendars;

/// <summary>RRULE parsing and the evaluation limits shared by events and VTIMEZONE onsets.</summary>
internal static class IcsRules
{
    /// <summary>
    /// Without a limit Ical.Net walks a rule that can never match (BYMONTH=2;BYMONTHDAY=30) to the year 9999 before
    /// giving up, which takes seconds. A daily rule waiting for 29 February across a skipped leap year (2100) needs
    /// under 3,000 increments, so 10,000 rejects only rules that are really broken.
    /// </summary>
    public static EvaluationOptions Options { get; } = new() { MaxUnmatchedIncrementsLimit = 10_000 };

    public static RecurrenceRule Parse(IcsProperty property, string source)
    {
        try
        {
            return new RecurrenceRule(property.Value.Trim());
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            throw new PolicyException(
                $"{source} line {property.Line}: {property.Name} '{IcsContent.Shorten(property.Value.Trim())}' is not a valid recurrence rule ({Reason(e)})");
        }
    }

    private static string Reason(Exception e)
    {
        // ArgumentException appends " (Parameter 'x')", which means nothing to the person fixing the file.
        var message = e is ArgumentException { ParamName: { } name }
            ? e.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal)
            : e.Message;
        return message.Split('\n')[0].Trim().TrimEnd('.');
    }
}
