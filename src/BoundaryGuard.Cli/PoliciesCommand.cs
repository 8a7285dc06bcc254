using System.Globalization;
using System.Text;
using BoundaryGuard.Core;
using BoundaryGuard.Core.Policies;
using NodaTime;

namespace BoundaryGuard.Cli;

/// <summary>
/// <c>policies validate DIR</c>: loads a department folder through <see cref="PolicyFolder"/>, as the service does, so
/// IT can check an edit before the service refuses it.
/// </summary>
internal static class PoliciesCommand
{
    public static readonly string[] Options = ["--year"];

    private const string Synopsis = "policies validate DIR [--year YEAR]";

    public static int Run(ReadOnlySpan<string> args, TextWriter output, TimeProvider clock)
    {
        if (args.Length == 0 || args[0] != "validate")
        {
            throw new PolicyException(args.Length == 0
                ? $"policies: what to do is missing (expected {Synopsis})"
                : $"policies: unknown subcommand '{args[0]}' (expected {Synopsis})");
        }

        if (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new PolicyException($"policies validate: DIR is missing, the folder holding {PolicyFolder.MapFile} (expected {Synopsis})");
        }

        var year = Year(Arguments.Parse(args[2..], Options).Optional("--year"));
        var folder = PolicyFolder.Load(args[1]);
        var now = Instant.FromDateTimeOffset(clock.GetUtcNow());

        // Written to memory first so that a failure while counting prints no partial listing.
        var lines = new StringBuilder();
        foreach (var (department, (file, policy)) in folder.Departments
            .OrderBy(d => d.Key == PolicyFolder.Everyone)
            .ThenBy(d => d.Key, StringComparer.Ordinal))
        {
            // Without --year, "this year" is the department's own: on New Year's Eve in New York, Tokyo is in the next.
            var first = year ?? now.InZone(policy.Zone).Year;
            lines.Append(CultureInfo.InvariantCulture,
                $"{TabText.Field(department)}\t{TabText.Field(file)}\t{policy.Zone.Id}\t{Closures(first)}\t{Closures(first + 1)}\n");

            string Closures(int y)
            {
                var count = policy.Closures.Between(new LocalDate(y, 1, 1), new LocalDate(y, 12, 31)).Count;
                return $"{y}: {count} closure{(count == 1 ? string.Empty : "s")}";
            }
        }

        output.Write(lines);
        output.Flush();
        return 0;
    }

    private static int? Year(string? text) =>
        text is null ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1 and <= 9998 ? year
        : throw new PolicyException($"--year: '{text}' is not a year (1 to 9998)");
}
