using BoundaryGuard.Cli;
using BoundaryGuard.Cli.Doctor;
using BoundaryGuard.Core;

// Exit codes: 0 done, 2 bad input (one plain line on stderr naming the field or file), 1 anything else.
try
{
    return args.Length == 0 || args[0] is "-h" or "--help" or "help"
        ? Usage.Print(Console.Out)
        : args[0] switch
        {
            "evaluate" => EvaluateCommand.Run(Arguments.Parse(args.AsSpan(1), EvaluateCommand.Options), Console.OpenStandardOutput()),
            "holidays" => HolidaysCommand.Run(Arguments.Parse(args.AsSpan(1), HolidaysCommand.Options), Console.Out),
            "policies" => PoliciesCommand.Run(args.AsSpan(1), Console.Out, TimeProvider.System),
            "calendars" => await CalendarsCommand.RunAsync(args[1..], Console.Out, Environment.GetEnvironmentVariable(AdminClient.TokenVariable)),
            "doctor" => await DoctorCommand.RunAsync(Arguments.Parse(args.AsSpan(1), DoctorCommand.Options), Console.Out, TimeProvider.System),
            _ => throw new PolicyException($"unknown command '{args[0]}' (expected evaluate, holidays, policies, calendars or doctor; see --help)"),
        };
}
catch (PolicyException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}
#pragma warning disable CA1031 // The last line of defence: a CLI prints one line, never a stack trace.
catch (Exception e)
#pragma warning restore CA1031
{
    await Console.Error.WriteLineAsync($"boundaryguard failed: {e.Message}");
    return 1;
}

/// <summary>
/// Internal on purpose: the ASP.NET Core framework the doctor brings in would make top-level statements' Program
/// public, and the service's test project, which runs this CLI, has its own WebApplicationFactory&lt;Program&gt;.
/// </summary>
internal sealed partial class Program;
