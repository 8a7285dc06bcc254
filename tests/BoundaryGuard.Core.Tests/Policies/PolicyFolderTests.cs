using BoundaryGuard.Core.Policies;

namespace BoundaryGuard.Core.Tests.Policies;

public sealed class PolicyFolderTests
{
    private const string BrokenIcs = "icalendar-tests-timezone_same_start_and_offset.ics";

    private string folder = null!;

    private static string Policy(string zone, string extra = "") => $$"""
        { "workingHours": { "daysOfWeek": ["monday","tuesday","wednesday","thursday","friday"],
                            "startTime": "07:00:00.0000000", "endTime": "19:00:00.0000000",
                            "timeZone": { "name": "{{zone}}" } }{{extra}} }
        """;

    [SetUp]
    public void CreateFolder()
    {
        folder = Directory.CreateTempSubdirectory("policies-").FullName;
        Write("departments.json", """{ "Department of Medicine": "medicine.json", "*": "default.json" }""");
        Write("medicine.json", Policy("Eastern Standard Time"));
        Write("default.json", Policy("Central Standard Time"));
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(folder, recursive: true);

    private void Write(string name, string content) => File.WriteAllText(Path.Combine(folder, name), content);

    [Test]
    public void For_Department_MapsByNameOrFallsBackToEveryone()
    {
        var policies = PolicyFolder.Load(folder);

        Assert.That(policies.For("department of medicine")!.Zone.Id, Is.EqualTo("America/New_York"));
        Assert.That(policies.For("Department of Surgery")!.Zone.Id, Is.EqualTo("America/Chicago"));
        Assert.That(policies.For(null)!.Zone.Id, Is.EqualTo("America/Chicago"));
    }

    [Test]
    public void For_NoEveryoneEntry_UnlistedDepartmentHasNoPolicy()
    {
        Write("departments.json", """{ "Department of Medicine": "medicine.json" }""");

        Assert.That(PolicyFolder.Load(folder).For("Department of Surgery"), Is.Null);
    }

    [Test]
    public void Load_DepartmentsSharingAFile_ShareOnePolicyAndKeepTheFileName()
    {
        Write("departments.json", """
            // Comments and trailing commas, as in the policy files.
            { " Department of Medicine ": "medicine.json", "Department of Surgery": "medicine.json", }
            """);

        var departments = PolicyFolder.Load(folder).Departments;

        Assert.That(departments.Keys, Is.EquivalentTo(new[] { "Department of Medicine", "Department of Surgery" }));
        Assert.That(departments["Department of Surgery"].File, Is.EqualTo("medicine.json"));
        Assert.That(departments["Department of Surgery"].Policy, Is.SameAs(departments["department of medicine"].Policy));
    }

    [Test]
    public void Load_NoDepartmentMap_FailsNamingTheFile()
    {
        File.Delete(Path.Combine(folder, "departments.json"));

        Assert.That(() => PolicyFolder.Load(folder), Throws.TypeOf<PolicyException>().With.Message.EqualTo(
            $"{Path.Combine(folder, "departments.json")}: file not found (it maps departments to policy files)"));
    }

    [Test]
    public void Load_MissingFolder_FailsNamingTheFolder()
    {
        var missing = Path.Combine(folder, "nowhere");

        Assert.That(() => PolicyFolder.Load(missing), Throws.TypeOf<PolicyException>().With.Message.EqualTo($"{missing}: folder not found"));
    }

    [Test]
    public void Load_FileInsteadOfFolder_SaysItIsNotAFolder()
    {
        var file = Path.Combine(folder, "medicine.json");

        Assert.That(() => PolicyFolder.Load(file), Throws.TypeOf<PolicyException>().With.Message.EqualTo(
            $"{file}: not a folder (expected the folder holding departments.json)"));
    }

    [TestCase("""{ "Department of Medicine": 3 }""", "departments.json: not a map of department names to policy files ($['Department of Medicine'])")]
    [TestCase("""[ "medicine.json" ]""", "departments.json: not a map of department names to policy files ($)")]
    [TestCase("""{ "Department of Medicine": " " }""", "departments.json: Department of Medicine: no policy file named")]
    public void Load_BadDepartmentMap_FailsNamingTheMap(string map, string expected)
    {
        Write("departments.json", map);

        Assert.That(() => PolicyFolder.Load(folder), Throws.TypeOf<PolicyException>().With.Message.EqualTo(expected));
    }

    [Test]
    public void Load_MissingPolicyFile_FailsNamingIt()
    {
        Write("departments.json", """{ "Department of Medicine": "medicin.json" }""");

        Assert.That(() => PolicyFolder.Load(folder), Throws.TypeOf<PolicyException>().With.Message.EqualTo(
            $"{Path.Combine(folder, "medicin.json")}: file not found"));
    }

    [Test]
    public void Load_BadPolicyFile_FailsNamingTheFileAndField()
    {
        Write("default.json", Policy("Central Standard Time", """, "holiday": []"""));

        Assert.That(() => PolicyFolder.Load(folder), Throws.TypeOf<PolicyException>().With.Message.StartsWith(
            $"{Path.Combine(folder, "default.json")}: holiday: unknown property"));
    }

    [Test]
    public void Load_BrokenCalendarFromCorpus_FailsNamingThePolicyTheCalendarAndTheLine()
    {
        File.Copy(SharedCorpus.Ics(BrokenIcs), Path.Combine(folder, "tokyo.ics"));
        Write("medicine.json", Policy("Eastern Standard Time", """, "holidayCalendars": [ "tokyo.ics" ]"""));

        Assert.That(() => PolicyFolder.Load(folder), Throws.TypeOf<PolicyException>().With.Message.EqualTo(
            $"{Path.Combine(folder, "medicine.json")}: tokyo.ics line 23: END:VCALENDARD does not close BEGIN:VCALENDAR from line 1"));
    }
}
