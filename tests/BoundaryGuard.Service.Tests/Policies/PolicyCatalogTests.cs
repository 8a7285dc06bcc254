using BoundaryGuard.Core;
using BoundaryGuard.Service.Policies;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Tests.Policies;

public sealed class PolicyCatalogTests
{
    private string folder = null!;

    private static string Policy(string zone, string start = "07:00") => $$"""
        { "workingHours": { "daysOfWeek": ["monday","tuesday","wednesday","thursday","friday"],
                            "startTime": "{{start}}:00.0000000", "endTime": "19:00:00.0000000",
                            "timeZone": { "name": "{{zone}}" } } }
        """;

    [SetUp]
    public void CreateFolder()
    {
        folder = Directory.CreateTempSubdirectory("policies-").FullName;
        File.WriteAllText(Path.Combine(folder, "departments.json"),
            """{ "Department of Medicine": "medicine.json", "*": "default.json" }""");
        File.WriteAllText(Path.Combine(folder, "medicine.json"), Policy("Eastern Standard Time"));
        File.WriteAllText(Path.Combine(folder, "default.json"), Policy("Central Standard Time"));
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(folder, recursive: true);

    private PolicyCatalog Open(TimeSpan? delay = null) => new(
        Options.Create(new PolicyCatalogOptions { Folder = folder, ReloadDelay = delay ?? TimeSpan.FromMilliseconds(50) }),
        TimeProvider.System,
        NullLogger<PolicyCatalog>.Instance);

    [Test]
    public void Constructor_NoDepartmentMap_FailsNamingTheFile()
    {
        File.Delete(Path.Combine(folder, "departments.json"));

        Assert.That(() => Open(), Throws.TypeOf<PolicyException>().With.Message.Contains("departments.json: file not found"));
    }

    [Test]
    public void Reload_BadEdit_KeepsThePreviousPoliciesAndSaysWhy()
    {
        using var catalog = Open(TimeSpan.FromHours(1));
        var changed = 0;
        catalog.Changed += (_, _) => changed++;
        File.WriteAllText(Path.Combine(folder, "medicine.json"), Policy("Mars Standard Time"));

        var reloaded = catalog.Reload();

        Assert.That(reloaded, Is.False);
        Assert.That(catalog.LastError, Does.Contain("medicine.json").And.Contain("unknown time zone 'Mars Standard Time'"));
        Assert.That(catalog.For("Department of Medicine")!.Zone.Id, Is.EqualTo("America/New_York"));
        Assert.That(changed, Is.Zero);
    }

    [Test]
    public async Task Changed_FileEditedOnDisk_ReloadsAndTellsSubscribers()
    {
        using var catalog = Open();
        var changed = new TaskCompletionSource();
        catalog.Changed += (_, _) => changed.TrySetResult();

        await File.WriteAllTextAsync(Path.Combine(folder, "medicine.json"), Policy("Pacific Standard Time"));
        var finished = await Task.WhenAny(changed.Task, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.That(finished, Is.SameAs(changed.Task), "no reload within 10 s of the edit");
        Assert.That(catalog.For("Department of Medicine")!.Zone.Id, Is.EqualTo("America/Los_Angeles"));
        Assert.That(catalog.LastError, Is.Null);
    }

    [Test]
    public void For_ShippedDemoPolicies_CoverTheSandboxDepartments()
    {
        using var catalog = new PolicyCatalog(
            Options.Create(new PolicyCatalogOptions()), TimeProvider.System, NullLogger<PolicyCatalog>.Instance);

        Assert.That(catalog.For("Department of Medicine")!.Zone.Id, Is.EqualTo("America/New_York"));
        Assert.That(catalog.For("Department of Surgery")!.Zone.Id, Is.EqualTo("America/Chicago"));
        Assert.That(catalog.LastError, Is.Null);
    }
}
