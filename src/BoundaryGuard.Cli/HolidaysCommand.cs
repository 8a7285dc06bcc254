using BoundaryGuard.Core;
using BoundaryGuard.Core.Policies;
using NodaTime.Text;

namespace BoundaryGuard.Cli;

/// <summary><c>holidays</c>: the closures a policy sees, so IT can check an import.</summary>
internal static class HolidaysCommand
{
    public static readonly string[] Options = ["--policy", "--from", "--to"];

    public static int Run(Arguments args, TextWriter output)
    {
        var from = Date(args.Required("--from"), "--from");
        var to = Date(args.Required("--to"), "--to");
        if (to < from)
        {
            throw new PolicyException("--to: the range ends before it starts");
        }

        var policy = PolicyFile.Load(args.Required("--policy"));
        foreach (var closure in policy.Closures.Between(from, to))
        {
            var name = closure.IsWholeDay
                ? closure.Name
                : $"{closure.Name} (closed from {closure.ClosedFrom!.Value.ToString("HH:mm", null)})";
            output.Write($"{LocalDatePattern.Iso.Format(closure.Date)}\t{OneLine(name)}\t{OneLine(closure.Source)}\n");
        }

        output.Flush();
        return 0;
    }

    /// <summary>An ICS SUMMARY may hold escaped tabs and newlines; the output keeps one closure per line.</summary>
    private static string OneLine(string text) =>
        string.Create(text.Length, text, static (span, t) =>
        {
            for (var i = 0; i < t.Length; i++)
            {
                span[i] = char.IsControl(t[i]) ? ' ' : t[i];
            }
        });

    private static NodaTime.LocalDate Date(string text, string field)
    {
        var parsed = LocalDatePattern.Iso.Parse(text);
        return parsed.Success ? parsed.Value : throw new PolicyException($"{field}: '{text}' is not a date (yyyy-MM-dd)");
    }
}
