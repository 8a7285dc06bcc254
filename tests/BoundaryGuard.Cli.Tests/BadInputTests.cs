using static BoundaryGuard.Tests.CliRunner;

namespace BoundaryGuard.Cli.Tests;

/// <summary>Bad input: exit code 2, one plain line on stderr naming the field or file, never a stack trace.</summary>
public class BadInputTests
{
    private const string Hours = """
        "workingHours": { "daysOfWeek": ["monday"], "startTime": "09:00:00.0000000", "endTime": "17:00:00.0000000",
                          "timeZone": { "name": "Eastern Standard Time" } }
        """;

    private static IEnumerable<TestCaseData> BadPolicies()
    {
        yield return new TestCaseData("{ \"workingHours\": ", "not valid JSON").SetName("MalformedJson");
        yield return new TestCaseData("[]", "expected an object").SetName("NotAnObject");
        yield return new TestCaseData("{}", "workingHours is missing").SetName("NoWorkingHours");
        yield return new TestCaseData(Hours.Replace("Eastern Standard Time", "Mars Standard Time", StringComparison.Ordinal).Insert(0, "{") + "}",
            "workingHours.timeZone.name: unknown time zone 'Mars Standard Time'").SetName("UnknownZone");
        yield return new TestCaseData(Hours.Replace("09:00:00.0000000", "25:00:00", StringComparison.Ordinal).Insert(0, "{") + "}",
            "workingHours.startTime: '25:00:00' is not a time of day").SetName("ImpossibleTime");
        yield return new TestCaseData(Hours.Replace("monday", "funday", StringComparison.Ordinal).Insert(0, "{") + "}",
            "workingHours.daysOfWeek[0]: 'funday' is not a day of the week").SetName("UnknownDay");
        yield return new TestCaseData("{" + Hours + ", \"holidays\": [ { \"date\": \"2026-02-30\" } ] }",
            "holidays[0].date: '2026-02-30' is not a date").SetName("ImpossibleDate");
        yield return new TestCaseData("{" + Hours + ", \"holiday\": [] }", "holiday: unknown property").SetName("MisspeltProperty");
        yield return new TestCaseData("{" + Hours + ", \"holidayCalendars\": [ \"missing.ics\" ] }", "missing.ics: file not found").SetName("MissingIcs");
        yield return new TestCaseData("{" + Hours + ", \"nationalHolidays\": [ \"XX\" ] }", "nationalHolidays[0]: unknown country or region 'XX'").SetName("UnknownCountry");
        yield return new TestCaseData("{" + Hours + ", \"people\": { \"a@b\": { \"workingHours\": { } } } }", "people.a@b.workingHours.daysOfWeek is missing").SetName("PersonWithoutDays");
    }

    [TestCaseSource(nameof(BadPolicies))]
    public void Evaluate_BadPolicy_ExitsTwoWithOneLineNamingTheField(string policy, string expected)
    {
        var path = TempFile(policy);

        var (exit, output, error) = Run("evaluate", "--policy", path, "--at", "2026-12-02T10:00:00Z");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.StartWith(path + ": ").And.Contain(expected));
        Assert.That(error.TrimEnd('\n'), Does.Not.Contain('\n'));
    }

    [Test]
    public void Evaluate_BrokenIcsFile_ExitsTwoNamingTheFile()
    {
        var ics = TempFile("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261228\r\nSUMMARY:Closed\r\nEND:VEVENT\r\nEND:VCALENDARD\r\n", ".ics");
        var policy = TempFile("{" + Hours + $", \"holidayCalendars\": [ \"{Path.GetFileName(ics)}\" ] }}");

        var (exit, output, error) = Run("evaluate", "--policy", policy, "--at", "2026-12-02T10:00:00Z");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain(Path.GetFileName(ics)));
        Assert.That(error.TrimEnd('\n'), Does.Not.Contain('\n'));
    }

    [TestCase(new[] { "evaluate", "--at", "2026-12-02T10:00:00Z" }, "--policy is missing")]
    [TestCase(new[] { "evaluate", "--policy", "nowhere.json", "--at", "2026-12-02T10:00:00Z" }, "nowhere.json: file not found")]
    [TestCase(new[] { "evaluate", "--policy", "{policy}", "--at", "2026-12-02T10:00:00" }, "--at: '2026-12-02T10:00:00' has no offset")]
    [TestCase(new[] { "evaluate", "--policy", "{policy}", "--at", "2026-12-02T24:30:00Z" }, "--at: '2026-12-02T24:30:00Z' is not a valid instant")]
    [TestCase(new[] { "evaluate", "--policy", "{policy}", "--at", "soon" }, "--at: 'soon' is not a valid instant")]
    [TestCase(new[] { "evaluate", "--policy", "{policy}" }, "give either --at INSTANT or --batch FILE.jsonl")]
    [TestCase(new[] { "evaluate", "--policy", "{policy}", "--at", "2026-12-02T10:00:00Z", "--batch", "x.jsonl" }, "give either --at INSTANT or --batch FILE.jsonl")]
    [TestCase(new[] { "evaluate", "--policy", "{policy}", "--batch", "x.jsonl", "--to", "a@b" }, "--to: not used with --batch")]
    [TestCase(new[] { "evaluate", "--policy", "{policy}", "--batch", "nowhere.jsonl" }, "nowhere.jsonl: file not found")]
    [TestCase(new[] { "evaluate", "--policy", "{policy}", "--at" }, "--at: a value is missing")]
    [TestCase(new[] { "evaluate", "--policy", "{policy}", "--when", "now" }, "--when: unknown option")]
    [TestCase(new[] { "evaluate", "--policy", "{policy}", "--policy", "{policy}", "--at", "2026-12-02T10:00:00Z" }, "--policy: given more than once")]
    [TestCase(new[] { "holidays", "--policy", "{policy}", "--from", "2026-01-01", "--to", "2025-01-01" }, "--to: the range ends before it starts")]
    [TestCase(new[] { "holidays", "--policy", "{policy}", "--from", "2026-13-01", "--to", "2027-01-01" }, "--from: '2026-13-01' is not a date")]
    [TestCase(new[] { "policies" }, "policies: what to do is missing (expected policies validate DIR [--year YEAR])")]
    [TestCase(new[] { "policies", "check", "." }, "policies: unknown subcommand 'check'")]
    [TestCase(new[] { "policies", "validate" }, "policies validate: DIR is missing")]
    [TestCase(new[] { "policies", "validate", "--year", "2026" }, "policies validate: DIR is missing")]
    [TestCase(new[] { "policies", "validate", ".", "--year", "26th" }, "--year: '26th' is not a year")]
    [TestCase(new[] { "policies", "validate", ".", "--year", "9999" }, "--year: '9999' is not a year (1 to 9998)")]
    [TestCase(new[] { "policies", "validate", ".", "--from", "2026-01-01" }, "--from: unknown option (expected --year)")]
    [TestCase(new[] { "explode" }, "unknown command 'explode'")]
    [TestCase(new[] { "calendars" }, "calendars: what to do is missing (expected calendars list|preview|import")]
    [TestCase(new[] { "calendars", "sync" }, "calendars: unknown subcommand 'sync'")]
    [TestCase(new[] { "calendars", "list", "--token", "t" }, "--service is missing")]
    [TestCase(new[] { "calendars", "list", "--service", "ftp://it.example.edu/", "--token", "t" }, "--service: 'ftp://it.example.edu/' is not an http or https URL")]
    [TestCase(new[] { "calendars", "list", "--service", "http://127.0.0.1:9", "--token", "t", "closures.ics" }, "closures.ics: unknown option")]
    [TestCase(new[] { "calendars", "preview", "--service", "http://127.0.0.1:9", "--token", "t", "--calendar", "main" }, "calendars preview: FILE.ics is missing")]
    [TestCase(new[] { "calendars", "import", "--service", "http://127.0.0.1:9", "--token", "t", "closures.ics" }, "--calendar is missing")]
    [TestCase(new[] { "calendars", "import", "--service", "http://127.0.0.1:9", "--token", "t", "--calendar", "main", "nowhere.ics" }, "nowhere.ics: file not found")]
    [TestCase(new[] { "calendars", "import", "--service", "http://127.0.0.1:9", "--token", "t", "--calendar", "main", "a.ics", "--include-text" }, "--include-text: a value is missing")]
    [TestCase(new[] { "calendars", "import", "--service", "http://127.0.0.1:9", "--token", "t", "--calendar", "main", "{policy}", "--name", "a/b.ics" }, "--name: 'a/b.ics' has a slash")]
    [TestCase(new[] { "calendars", "list", "--service", "http://127.0.0.1:9", "--token", "Bearer t" }, "--token: not a bearer token")]
    public void Run_BadArguments_ExitsTwoWithOneLine(string[] args, string expected)
    {
        var (exit, output, error) = Run([.. args.Select(a => a == "{policy}" ? ExamplePolicy : a)]);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain(expected));
        Assert.That(error.TrimEnd('\n'), Does.Not.Contain('\n'));
    }
}
