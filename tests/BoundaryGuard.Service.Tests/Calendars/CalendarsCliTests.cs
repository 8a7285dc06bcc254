using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using BoundaryGuard.Service.Scheduling;
using BoundaryGuard.Service.Tests.Holds;
using static BoundaryGuard.Tests.CliRunner;

namespace BoundaryGuard.Service.Tests.Calendars;

/// <summary>
/// <c>boundaryguard calendars list|preview|import</c>, the real executable as IT's scripts run it, against the real
/// service listening on a loopback port: its output, and the exit codes and single lines of everything it refuses.
/// </summary>
public sealed class CalendarsCliTests() : AdminApiFixture(SchedulingProvider.Sqlite, listen: true)
{
    private const string UsHolidays = "thunderbird-autogen-USHolidays.ics";
    private const string Unterminated = "icalendar-tests-timezone_same_start_and_offset.ics";

    /// <summary>The preview's lines for the US feed's federal holidays from 5 December 2026: date, tab, name.</summary>
    private static readonly string FederalHolidays = string.Concat(new[]
    {
        ("2026-12-25", "Christmas Day"), ("2027-01-01", "New Year's Day"), ("2027-01-18", "Martin Luther King Jr. Day"),
        ("2027-02-15", "Presidents' Day"), ("2027-05-31", "Memorial Day"), ("2027-06-18", "Juneteenth (substitute)"),
        ("2027-07-04", "Independence Day"), ("2027-09-06", "Labor Day"), ("2027-10-11", "Columbus Day"), ("2027-11-11", "Veterans Day"),
        ("2027-11-25", "Thanksgiving Day"),
    }.Select(h => $"{h.Item1}\t{h.Item2}\n"));

    /// <summary>Every test starts with the calendar "Main campus".</summary>
    [SetUp]
    public async Task CreateCalendarAsync()
    {
        using var created = await Admin.PostAsJsonAsync("/api/v1/admin/calendars", new { name = "Main campus" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task List_CalendarsWithAndWithoutSources_OneTabSeparatedLineEach()
    {
        using var national = await Admin.PutAsJsonAsync("/api/v1/admin/calendars/main-campus/national-holidays", new { codes = new[] { "US", "CA" } });
        using var eve = await Admin.PutAsJsonAsync("/api/v1/admin/calendars/main-campus/closures/2026-12-24", new { name = "Christmas Eve", closedFrom = "12:00" });
        using var snow = await Admin.PutAsJsonAsync("/api/v1/admin/calendars/main-campus/closures/2027-01-04", new { name = "Snow day" });
        using var clinic = await Admin.PostAsJsonAsync("/api/v1/admin/calendars", new { name = "Satellite clinic" });
        Assert.That(new[] { national, eve, snow, clinic }.Select(r => r.IsSuccessStatusCode), Is.All.True);

        var (exit, output, error) = await CliAsync(ItToken, "calendars", "list", "--service", Service);

        Assert.That(error, Is.Empty);
        Assert.That(exit, Is.Zero);
        Assert.That(output, Is.EqualTo("main-campus\tMain campus\tUS,CA\t2\t-\nsatellite-clinic\tSatellite clinic\t-\t0\t-\n"));
    }

    [Test]
    public async Task List_TokenOptionAndVariable_TheOptionIsUsed()
    {
        var (exit, output, error) = await RunAsync(new Dictionary<string, string?> { ["BOUNDARYGUARD_TOKEN"] = FacultyToken },
            "calendars", "list", "--service", Service, "--token", ItToken);

        Assert.That((exit, error), Is.EqualTo((0, "")));
        Assert.That(output, Is.EqualTo("main-campus\tMain campus\t-\t0\t-\n"));
    }

    [Test]
    public async Task Preview_UsHolidaysFederalOnly_PrintsTheYearsFederalHolidaysAndStoresNothing()
    {
        var (exit, output, error) = await CliAsync(ItToken,
            "calendars", "preview", "--service", Service, "--calendar", "main-campus", SharedCorpus.Ics(UsHolidays), "--include-text", "Federal Holiday");

        Assert.That(error, Is.Empty);
        Assert.That(exit, Is.Zero);
        // Twelve months from Saturday 5 December 2026 (the service's day, in UTC): the federal holidays, no state ones
        // (Texas Independence Day, 2 March, stays open).
        Assert.That(output, Is.EqualTo(FederalHolidays));
        Assert.That(await FilesAsync(), Is.Empty, "nothing stored");
    }

    [Test]
    public async Task Import_UsHolidaysFederalOnly_PrintsWhatTheServiceKeepsAndListShowsIt()
    {
        var file = SharedCorpus.Ics(UsHolidays);

        var (exit, output, error) = await CliAsync(ItToken,
            "calendars", "import", "--service", Service, "--calendar", "main-campus", file, "--include-text", "Federal Holiday", "--name", "us-federal.ics");
        var (_, listed, _) = await CliAsync(ItToken, "calendars", "list", "--service", Service);

        Assert.That(error, Is.Empty);
        Assert.That(exit, Is.Zero);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file)));
        Assert.That(output, Is.EqualTo($"us-federal.ics\t11\t{sha256}\n"), "the preview's eleven closures, and what sha256sum says of the file");
        Assert.That(listed, Is.EqualTo("main-campus\tMain campus\t-\t0\tus-federal.ics\n"));
        var year = await Admin.GetFromJsonAsync<JsonObject>("/api/v1/admin/calendars/main-campus/year");
        Assert.That(string.Concat(year!["closures"]!.AsArray().Select(c => $"{c!["date"]}\t{c["name"]}\n")), Is.EqualTo(FederalHolidays),
            "in force, with the filter");
    }

    [TestCase("preview")]
    [TestCase("import")]
    public async Task PreviewOrImport_BrokenCorpusFile_ExitsTwoWithTheServicesLineAndStoresNothing(string command)
    {
        var (exit, output, error) = await CliAsync(ItToken,
            "calendars", command, "--service", Service, "--calendar", "main-campus", SharedCorpus.Ics(Unterminated));

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Is.EqualTo($"{Unterminated} line 23: END:VCALENDARD does not close BEGIN:VCALENDAR from line 1\n"));
        Assert.That(await FilesAsync(), Is.Empty);
    }

    [TestCase(null, "no token: set BOUNDARYGUARD_TOKEN to an it-admin token for the service (or give --token)")]
    [TestCase("not-a-token",
        "the service refused the token from BOUNDARYGUARD_TOKEN (401 Unauthorized): it is malformed, expired or not issued for this service")]
    [TestCase("faculty", "the token from BOUNDARYGUARD_TOKEN lacks the it-admin role (403 Forbidden)")]
    public async Task Import_NoBadOrFacultyToken_ExitsTwoWithOneLineAndStoresNothing(string? token, string expected)
    {
        var (exit, output, error) = await CliAsync(token == "faculty" ? FacultyToken : token,
            "calendars", "import", "--service", Service, "--calendar", "main-campus", SharedCorpus.Ics(UsHolidays));

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Is.EqualTo(expected + "\n"));
        Assert.That(await FilesAsync(), Is.Empty);
    }

    [TestCase("preview")]
    [TestCase("import")]
    public async Task PreviewOrImport_UnknownCalendar_ExitsTwoWithTheServicesNotFound(string command)
    {
        var (exit, output, error) = await CliAsync(ItToken,
            "calendars", command, "--service", Service, "--calendar", "north-campus", SharedCorpus.Ics(UsHolidays));

        Assert.That((exit, output, error), Is.EqualTo((2, "", "--calendar: No calendar 'north-campus'.\n")));
    }

    private static string ItToken => HoldsWorld.Token(It, "it-admin");

    private static string FacultyToken => HoldsWorld.Token("mwebb@med.example.edu", "faculty");

    private string Service => App.Address.ToString();

    /// <summary>Runs the CLI with <paramref name="token"/> in BOUNDARYGUARD_TOKEN (none: the variable unset), as the docs advise.</summary>
    private static Task<(int ExitCode, string Output, string Error)> CliAsync(string? token, params string[] args) =>
        RunAsync(new Dictionary<string, string?> { ["BOUNDARYGUARD_TOKEN"] = token }, args);

    private async Task<JsonArray> FilesAsync() =>
        (await Admin.GetFromJsonAsync<JsonObject>("/api/v1/admin/calendars/main-campus"))!["files"]!.AsArray();
}
