namespace BoundaryGuard.Cli;

internal static class Usage
{
    public static int Print(TextWriter output)
    {
        output.WriteLine("""
            boundaryguard: BoundaryGuard's policy engine on the command line.

              boundaryguard evaluate --policy FILE --at INSTANT [--to ADDRESS]...
                  May mail sent at INSTANT go now, and if not, when? Prints one JSON object:
                  {"decision":"send"|"hold","releaseAt":"2026-12-07T07:00:00-05:00"|null,"reasons":[...]}
                  INSTANT carries an offset or Z, e.g. 2026-12-04T23:40:00-05:00.

              boundaryguard evaluate --policy FILE --batch FILE.jsonl
                  One decision per input line {"at":"...","to":["..."]}, printed in order.

              boundaryguard holidays --policy FILE --from DATE --to DATE
                  The closures the policy sees, one per line: date, name, source (tab-separated).

              boundaryguard policies validate DIR [--year YEAR]
                  Loads a department folder (departments.json and the policy files it names) as the service would.
                  One line per department: department, policy file, time zone, closures this year and next
                  (tab-separated; the year is the department's current one unless --year is given).

            Bad input: exit code 2 and one line on stderr naming the field or file.
            """);
        return 0;
    }
}
