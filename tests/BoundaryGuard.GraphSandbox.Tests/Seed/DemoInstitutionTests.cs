using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Seed;

namespace BoundaryGuard.GraphSandbox.Tests.Seed;

/// <summary>The seeded institution, read back through Graph as the service would read it.</summary>
public sealed class DemoInstitutionTests
{
    [Test]
    public async Task Users_TwoDepartmentsEachWithChairFacultyAndResidents()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var users = (await sandbox.GetAsync("v1.0/users"))["value"]!.AsArray().Select(u => u!.AsObject()).ToList();

        foreach (var department in new[] { DemoInstitution.Medicine, DemoInstitution.Surgery })
        {
            var titles = users.Where(u => u["department"]?.GetValue<string>() == department).Select(u => u["jobTitle"]!.GetValue<string>()).ToList();
            Assert.That(titles.Count(t => t == "Chair"), Is.EqualTo(1), department);
            Assert.That(titles.Count(t => t.Contains("Professor", StringComparison.Ordinal)), Is.InRange(2, 3), department);
            Assert.That(titles.Count(t => t.StartsWith("Resident (PGY-", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(3), department);
        }

        Assert.That(users.Select(u => Guid.TryParse(u["id"]!.GetValue<string>(), out _)), Is.All.True);
        Assert.That(users.Select(u => u["mail"]!.GetValue<string>()), Is.All.EndsWith("@" + DemoInstitution.Domain));
        Assert.That(users.Select(u => u["userPrincipalName"]!.GetValue<string>()), Is.EquivalentTo(DemoInstitution.All.Select(u => u.UserPrincipalName)));
    }

    [Test]
    public async Task MailboxSettings_TwoDepartmentsInTwoZones()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var medicine = await sandbox.GetAsync($"v1.0/users/{DemoInstitution.MedicineChair.Id}/mailboxSettings");
        var surgery = await sandbox.GetAsync($"v1.0/users/{DemoInstitution.SurgeryChair.Id}/mailboxSettings");

        Assert.That(medicine["timeZone"]!.GetValue<string>(), Is.EqualTo("Eastern Standard Time"));
        Assert.That(surgery["timeZone"]!.GetValue<string>(), Is.EqualTo("Central Standard Time"));
        Assert.That(surgery["workingHours"]!["timeZone"]!["name"]!.GetValue<string>(), Is.EqualTo("Central Standard Time"));
    }

    [Test]
    public async Task NightFloatResident_WorksOvernightSundayToThursday()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var hours = await sandbox.GetAsync($"v1.0/users/{DemoInstitution.NightFloatResident.UserPrincipalName}/mailboxSettings/workingHours");

        Assert.That(hours["startTime"]!.GetValue<string>(), Is.EqualTo("19:00:00.0000000"));
        Assert.That(hours["endTime"]!.GetValue<string>(), Is.EqualTo("07:00:00.0000000"));
        Assert.That(hours["daysOfWeek"]!.AsArray().Select(d => d!.GetValue<string>()), Is.EqualTo(new[] { "sunday", "monday", "tuesday", "wednesday", "thursday" }));
    }

    [Test]
    public async Task CustomZoneUser_WorkingHoursUseACustomTimeZone()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var zone = (await sandbox.GetAsync($"v1.0/users/{DemoInstitution.MedicineCustomZoneFaculty.UserPrincipalName}/mailboxSettings/workingHours"))["timeZone"]!;

        Assert.That(zone["@odata.type"]!.GetValue<string>(), Is.EqualTo("#microsoft.graph.customTimeZone"));
        Assert.That(zone["bias"]!.GetValue<int>(), Is.EqualTo(300));
        Assert.That(zone["daylightOffset"]!["daylightBias"]!.GetValue<int>(), Is.EqualTo(-60));
        Assert.That(zone["daylightOffset"]!["month"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(zone["standardOffset"]!["month"]!.GetValue<int>(), Is.EqualTo(11));
    }

    [Test]
    public async Task Closures_SharedCalendarHoldsAllDayClosures()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var closures = DemoInstitution.Closures.UserPrincipalName;
        var calendar = (await sandbox.GetAsync($"v1.0/users/{closures}/calendars"))["value"]!.AsArray()
            .Single(c => c!["name"]!.GetValue<string>() == DemoInstitution.ClosuresCalendarName)!;
        var settings = await sandbox.GetAsync($"v1.0/users/{closures}/mailboxSettings");

        var view = await sandbox.GetAsync($"v1.0/users/{closures}/calendars/{calendar["id"]}/calendarView?startDateTime=2026-11-01T00:00:00-05:00&endDateTime=2027-12-31T00:00:00-05:00");

        var events = view["value"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.That(settings["userPurpose"]!.GetValue<string>(), Is.EqualTo("shared"));
        Assert.That(events.Select(e => e["isAllDay"]!.GetValue<bool>()), Is.All.True);
        var thanksgiving = events.Single(e => e["subject"]!.GetValue<string>() == "Thanksgiving Day");
        Assert.That(thanksgiving["start"]!["dateTime"]!.GetValue<string>(), Is.EqualTo("2026-11-26T00:00:00.0000000"));
        var winter = events.Single(e => e["subject"]!.GetValue<string>() == "Winter closure");
        Assert.That(winter["start"]!["dateTime"]!.GetValue<string>(), Is.EqualTo("2026-12-24T00:00:00.0000000"));
        Assert.That(winter["end"]!["dateTime"]!.GetValue<string>(), Is.EqualTo("2027-01-02T00:00:00.0000000"), "exclusive end, as Graph writes all-day spans");
    }

    [Test]
    public async Task EveryMailbox_HasTheWellKnownFolders()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        foreach (var person in DemoInstitution.All)
        {
            foreach (var name in new[] { "inbox", "drafts", "sentitems", "deleteditems" })
            {
                var folder = await sandbox.GetAsync($"v1.0/users/{person.Id}/mailFolders/{name}");
                Assert.That(folder["id"]!.GetValue<string>(), Is.Not.Empty, $"{person.UserPrincipalName} {name}");
            }
        }
    }

    [Test]
    public async Task AdminUsers_ListsTheDirectoryWithoutAToken()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = sandbox.Server.BaseUrl };

        var users = JsonNode.Parse(await anonymous.GetStringAsync(new Uri("sandbox/users", UriKind.Relative)))!.AsArray();

        Assert.That(users, Has.Count.EqualTo(DemoInstitution.All.Count));
        Assert.That(users.Select(u => u!["mailboxTimeZone"]!.GetValue<string>()).Distinct().Count(), Is.GreaterThanOrEqualTo(2));
    }

    [Test]
    public async Task SeedDemoInstitution_False_StartsEmpty()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.SeedDemoInstitution = false);

        var users = await sandbox.GetAsync("v1.0/users");

        Assert.That(users["value"]!.AsArray(), Is.Empty);
    }
}
