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

              IT's calendars in the service (its admin API; the token needs the role it-admin). The token comes from
              the environment variable BOUNDARYGUARD_TOKEN, or --token TOKEN (which leaves it in the shell's history).

              boundaryguard calendars list --service URL
                  One line per calendar: id, name, national holiday codes, closures entered by hand, ICS files
                  (tab-separated; lists comma-separated, - for none).

              boundaryguard calendars preview --service URL --calendar ID FILE.ics [filter options] [--name NAME]
                  The closures the file would add in the next twelve months: date, name (tab-separated). Nothing is stored.

              boundaryguard calendars import --service URL --calendar ID FILE.ics [filter options] [--name NAME]
                  Adds the file to the calendar (or replaces the one of the same name; NAME defaults to the file's),
                  in force at once. Prints what the service keeps: name, closures in the next twelve months, SHA-256.

                  Filter options, each may repeat (an event closes when it matches any include, or there is none,
                  and no exclude; case-insensitive): --include-category C, --include-text T (in SUMMARY or
                  DESCRIPTION), --include-summary S (SUMMARY equals it), --exclude-category C, --exclude-text T,
                  --exclude-summary S.

              boundaryguard doctor --settings FILE.json [--settings FILE.json]... [--environment NAME]
                                   [--in-scope MAILBOX --out-of-scope MAILBOX] [--service URL]
                  Checks a deployment before go-live with the service's settings (the files in the order the service
                  loads them, then environment variables such as Graph__TenantId; --environment defaults to
                  Production). One line per check: verdict (ok, warning, FAIL, skipped), check, finding and fix
                  (tab-separated): configuration, graph-token, permissions, mailbox-scope (a mailbox the application
                  must reach and one it must not), mailboxes ("Send later" and the digest sender), addin-files (the
                  well-known file and manifests at --service), database (schema current; read-only), clock (within a
                  minute of Graph's). Exit code 1 when a check fails, 0 with warnings only. Never prints a secret, a
                  token or an address from the settings.

            Bad input: exit code 2 and one line on stderr naming the field or file (for calendars also a file the
            service refuses, a token it refuses, an unknown calendar). Anything else, such as a service that
            cannot be reached: exit code 1, one line.
            """);
        return 0;
    }
}
