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
            var name = TabText.ClosureName(closure.Name, closure.IsWholeDay ? null : closure.ClosedFrom!.Value.ToString("HH:mm", null));
            output.Write($"{LocalDatePattern.Iso.Format(closure.Date)}\t{TabText.Field(name)}\t{TabText.Field(closure.Source)}\n");
        }

        output.Flush();
        return 0;
    }

    private static NodaTime.LocalDate Date(string text, string field)
    {
        var parsed = LocalDatePattern.Iso.Parse(text);
        return parsed.Success ? parsed.Value : throw new PolicyException($"{field}: '{text}' is not a date (yyyy-MM-dd)");
    }
}
