using Microsoft.Extensions.Time.Testing;
using static BoundaryGuard.Tests.CliRunner;

namespace BoundaryGuard.Cli.Tests;

public class PoliciesCommandTests
{
    private const string BrokenIcs = "icalendar-tests-timezone_same_start_and_offset.ics";

    private static string ShippedFolder => Path.Combine(RepositoryRoot, "src", "BoundaryGuard.Demo", "policies");

    private static string Policy(string zone, string extra = "") => $$"""
        { "workingHours": { "daysOfWeek": ["monday","tuesday","wednesday","thursday","friday"],
                            "startTime": "07:00:00.0000000", "endTime": "19:00:00.0000000",
                            "timeZone": { "name": "{{zone}}" } },
          "holidays": [ { "date": "2026-12-31", "name": "New Year's Eve" } ]{{extra}} }
        """;

    /// <summary>A folder as IT keeps it: medicine, surgery and everyone else, each department in its own zone.</summary>
    private static Dictionary<string, string> Files() => new()
    {
        ["departments.json"] = """{ "Department of Surgery": "surgery.json", "*": "medicine.json", "Department of Medicine": "medicine.json" }""",
        ["medicine.json"] = Policy("Eastern Standard Time"),
        ["surgery.json"] = Policy("Asia/Tokyo"),
    };

    [Test]
    public void Validate_ShippedFolder_ListsEveryDepartmentWithFileZoneAndClosures()
    {
        var (exit, output, error) = Run("policies", "validate", ShippedFolder, "--year", "2026");

        Assert.That(error, Is.Empty);
        Assert.That(exit, Is.Zero);
        // 11 US holidays plus observed days: one in 2026 (3 July), four in 2027 (18 June, 5 July, 24 and 31 December,
        // the last for New Year's Day 2028). Medicine adds its own two 2026 days.
        Assert.That(output, Is.EqualTo(
            "Department of Medicine\tmedicine.json\tAmerica/New_York\t2026: 14 closures\t2027: 15 closures\n" +
            "Department of Surgery\tsurgery.json\tAmerica/Chicago\t2026: 12 closures\t2027: 15 closures\n" +
            "*\tmedicine.json\tAmerica/New_York\t2026: 14 closures\t2027: 15 closures\n"));
    }

    [Test]
    public void Validate_NoYear_CountsEachDepartmentsCurrentYearAndTheNext()
    {
        var folder = TempFolder(Files());
        // 16:00 on New Year's Eve in New York is already 2027 in Tokyo.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 31, 21, 0, 0, TimeSpan.Zero));
        using var output = new StringWriter();

        var exit = PoliciesCommand.Run(["validate", folder], output, clock);

        Assert.That(exit, Is.Zero);
        Assert.That(output.ToString(), Is.EqualTo(
            "Department of Medicine\tmedicine.json\tAmerica/New_York\t2026: 1 closure\t2027: 0 closures\n" +
            "Department of Surgery\tsurgery.json\tAsia/Tokyo\t2027: 0 closures\t2028: 0 closures\n" +
            "*\tmedicine.json\tAmerica/New_York\t2026: 1 closure\t2027: 0 closures\n"));
    }

    private static IEnumerable<TestCaseData> BadFolders()
    {
        yield return new TestCaseData("medicine.json", Policy("Eastern Standard Time", """, "holiday": []"""), "medicine.json",
            "holiday: unknown property (expected one of workingHours, holidays, holidayCalendars, nationalHolidays, people, scorecard)")
            .SetName("Validate_MisspeltField_ExitsTwoNamingTheFileAndField");
        yield return new TestCaseData("surgery.json", Policy("Mars Standard Time"), "surgery.json",
            "workingHours.timeZone.name: unknown time zone 'Mars Standard Time'")
            .SetName("Validate_UnknownTimeZone_ExitsTwoNamingTheFileAndField");
        yield return new TestCaseData("departments.json", """{ "Department of Surgery": "surgery.json", "*": "default.json" }""", "default.json",
            "file not found")
            .SetName("Validate_MissingPolicyFile_ExitsTwoNamingIt");
        yield return new TestCaseData("surgery.json", Policy("Asia/Tokyo", $$""", "holidayCalendars": [ "{{BrokenIcs}}" ]"""), "surgery.json",
            $"{BrokenIcs} line 23: END:VCALENDARD does not close BEGIN:VCALENDAR from line 1")
            .SetName("Validate_BrokenIcsFromCorpus_ExitsTwoNamingThePolicyTheCalendarAndTheLine");
        yield return new TestCaseData("departments.json", """{ "Department of Surgery": ["surgery.json"] }""", "departments.json",
            "not a map of department names to policy files ($['Department of Surgery'])")
            .SetName("Validate_DepartmentMapNotAMap_ExitsTwoNamingIt");
    }

    [TestCaseSource(nameof(BadFolders))]
    public void Validate_BadFolder_ExitsTwoWithOneLineNamingTheFile(string file, string content, string named, string problem)
    {
        var files = Files();
        files[file] = content;
        var folder = TempFolder(files);
        File.Copy(SharedCorpus.Ics(BrokenIcs), Path.Combine(folder, BrokenIcs));

        var (exit, output, error) = Run("policies", "validate", folder, "--year", "2026");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        // The map's own parse errors name it alone, as the service logs them; everything else names it by its path.
        var expected = named == "departments.json" ? $"{named}: {problem}" : $"{Path.Combine(folder, named)}: {problem}";
        Assert.That(error, Is.EqualTo(expected + "\n"));
    }

    [Test]
    public void Validate_NoDepartmentMap_ExitsTwoNamingIt()
    {
        var files = Files();
        files.Remove("departments.json");
        var folder = TempFolder(files);

        var (exit, output, error) = Run("policies", "validate", folder);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Is.EqualTo($"{Path.Combine(folder, "departments.json")}: file not found (it maps departments to policy files)\n"));
    }

    [Test]
    public void Validate_MissingFolder_ExitsTwoNamingIt()
    {
        var missing = Path.Combine(TestContext.CurrentContext.WorkDirectory, "cli-tmp", "no-such-policies");

        var (exit, output, error) = Run("policies", "validate", missing);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Is.EqualTo($"{missing}: folder not found\n"));
    }

    [Test]
    public void Validate_FileInsteadOfFolder_ExitsTwoSayingSo()
    {
        var file = Path.Combine(ShippedFolder, "departments.json");

        var (exit, output, error) = Run("policies", "validate", file);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Is.EqualTo($"{file}: not a folder (expected the folder holding departments.json)\n"));
    }
}
