using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BoundaryGuard.Service.Scheduling;
using BoundaryGuard.Service.Tests.Holds;

namespace BoundaryGuard.Service.Tests.Calendars;

/// <summary>
/// IT's admin API against the real service: calendars from national holidays, closures entered by hand and real ICS
/// files; the year view; a bad file refused whole; departments assigned a calendar, with pending holds moved at
/// once; and every change in the audit log.
/// </summary>
[TestFixture(SchedulingProvider.Sqlite)]
[TestFixture(SchedulingProvider.PostgreSQL)]
public sealed class CalendarsApiTests(SchedulingProvider provider) : AdminApiFixture(provider)
{
    private const string Sender = "mwebb@med.example.edu";
    private const string Resident = "jlee@med.example.edu";
    private const string Medicine = "Department of Medicine";
    private const string Unterminated = "icalendar-tests-timezone_same_start_and_offset.ics";

    /// <summary>Each corpus calendar's first year with closures from ClosuresIn (see the Core corpus tests); null: refused.</summary>
    private static readonly Dictionary<string, int?> CorpusYears = new()
    {
        ["icalendar-tests-alarm_google_future.ics"] = 2024,
        ["icalendar-tests-alarm_thunderbird_future.ics"] = 2024,
        ["icalendar-tests-issue_165_missing_event.ics"] = 2015,
        ["icalendar-tests-issue_237_fail_to_parse_timezone_with_non_ascii_tzid.ics"] = 2017,
        ["icalendar-tests-issue_836_do_not_quote_tzid.ics"] = 2024,
        ["icalendar-tests-timezone_same_start.ics"] = 2017,
        [Unterminated] = null,
        ["princeton-registrar-academic-calendar.ics"] = 2022,
        ["thunderbird-autogen-AustraliaHolidays.ics"] = 2026,
        ["thunderbird-autogen-CanadaHolidays.ics"] = 2026,
        ["thunderbird-autogen-GermanHolidays.ics"] = 2026,
        ["thunderbird-autogen-IndiaHolidays.ics"] = 2026,
        ["thunderbird-autogen-UKHolidays.ics"] = 2026,
        ["thunderbird-autogen-USHolidays.ics"] = 2026,
        ["thunderbird-legacy-AustraliaHolidays.ics"] = 2021,
        ["thunderbird-legacy-CanadaHolidays.ics"] = 2026,
        ["thunderbird-legacy-GermanHolidays.ics"] = 2024,
        ["thunderbird-legacy-IndiaHolidays.ics"] = 2016,
        ["thunderbird-legacy-UKHolidays.ics"] = 2026,
        ["thunderbird-legacy-USHolidays.ics"] = 2026,
    };

    private static IEnumerable<string> CorpusCalendars() =>
        Directory.GetFiles(SharedCorpus.IcsFolder, "*.ics").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    [Test]
    public async Task Calendar_NationalManualAndIcs_YearViewHasEachSourcesClosures()
    {
        await CreateAsync("Main campus");

        await SendAsync(HttpMethod.Put, "/api/v1/admin/calendars/main-campus/national-holidays", new { codes = new[] { "us" } });
        await SendAsync(HttpMethod.Put, "/api/v1/admin/calendars/main-campus/closures/2026-12-24", new { name = "Christmas Eve", closedFrom = "12:00" });
        await SendAsync(HttpMethod.Put, "/api/v1/admin/calendars/main-campus/closures/2027-01-04", new { name = "Snow day" });
        using var upload = await PutFileAsync("main-campus", "thunderbird-autogen-USHolidays.ics", "?includeText=Federal%20Holiday");
        var year = await Admin.GetFromJsonAsync<JsonObject>("/api/v1/admin/calendars/main-campus/year?from=2026-12-01");

        Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.OK), await upload.Content.ReadAsStringAsync());
        var closures = year!["closures"]!.AsArray().Select(c => (Date: c!["date"]!.GetValue<string>(), Source: c["source"]!.GetValue<string>(),
            From: c["closedFrom"]?.GetValue<string>())).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(year["to"]!.GetValue<string>(), Is.EqualTo("2027-11-30"));
            Assert.That(closures, Does.Contain(("2026-12-25", "national:US", (string?)null)));
            Assert.That(closures, Does.Contain(("2026-12-24", "holidays", "12:00")));
            Assert.That(closures, Does.Contain(("2027-01-04", "holidays", (string?)null)));
            Assert.That(closures, Does.Contain(("2027-07-04", "thunderbird-autogen-USHolidays.ics", (string?)null)), "Independence Day, a federal holiday");
            Assert.That(closures.Where(c => c.Source.EndsWith(".ics", StringComparison.Ordinal)).Select(c => c.Date), Does.Not.Contain("2027-03-02"),
                "Texas Independence Day is a state holiday: the filter leaves it open");
        }
    }

    [Test]
    public async Task NationalHolidays_OneLeftOutByName_TheYearViewClosesTheOthers()
    {
        await CreateAsync("Main campus");
        await SendAsync(HttpMethod.Put, "/api/v1/admin/calendars/main-campus/national-holidays", new { codes = new[] { "US" } });
        var all = await YearAsync();

        await SendAsync(HttpMethod.Put, "/api/v1/admin/calendars/main-campus/national-holidays", new { codes = new[] { "US" }, excludeSummaries = new[] { "Columbus Day" } });
        var some = await YearAsync();

        Assert.That(all, Does.Contain(("2027-10-11", "Columbus Day")).And.Contain(("2027-11-11", "Veteran's Day")));
        Assert.That(some, Is.EqualTo(all.Where(c => c.Name != "Columbus Day")));
    }

    private async Task<List<(string Date, string Name)>> YearAsync() =>
        [.. (await Admin.GetFromJsonAsync<JsonObject>("/api/v1/admin/calendars/main-campus/year?from=2027-01-01"))!["closures"]!.AsArray()
            .Select(c => (c!["date"]!.GetValue<string>(), c["name"]!.GetValue<string>()))];

    [TestCaseSource(nameof(CorpusCalendars))]
    public async Task PutFile_EveryCorpusCalendar_ImportsOrIsRefusedChangingNothing(string file)
    {
        Assert.That(CorpusYears, Does.ContainKey(file), "a new corpus file needs an expectation here");
        await CreateAsync("Main campus");
        var auditBefore = (await AuditAsync()).Count;

        using var response = await PutFileAsync("main-campus", file);
        var calendar = await Admin.GetFromJsonAsync<JsonObject>("/api/v1/admin/calendars/main-campus");

        if (CorpusYears[file] is not { } year)
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(problem!["detail"]!.GetValue<string>(), Is.EqualTo($"{file} line 23: END:VCALENDARD does not close BEGIN:VCALENDAR from line 1"));
            Assert.That(calendar!["files"]!.AsArray(), Is.Empty, "nothing stored");
            Assert.That(await AuditAsync(), Has.Count.EqualTo(auditBefore), "nothing audited");
            return;
        }

        var closures = (await Admin.GetFromJsonAsync<JsonObject>($"/api/v1/admin/calendars/main-campus/year?from={year}-01-01"))!["closures"]!.AsArray();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(calendar!["files"]!.AsArray().Single()!["name"]!.GetValue<string>(), Is.EqualTo(file));
        Assert.That(closures.Select(c => c!["source"]!.GetValue<string>()), Is.Not.Empty.And.All.EqualTo(file));
    }

    [Test]
    public async Task Preview_BrokenThenGoodFile_ErrorNamesTheLineAndNothingIsStored()
    {
        await CreateAsync("Main campus");

        using var broken = await FileAsync(HttpMethod.Post, "/api/v1/admin/calendars/main-campus/files/preview?name=tokyo.ics", Unterminated);
        using var good = await FileAsync(HttpMethod.Post, "/api/v1/admin/calendars/main-campus/files/preview?name=us.ics&includeText=Federal%20Holiday",
            "thunderbird-autogen-USHolidays.ics");
        var preview = await good.Content.ReadFromJsonAsync<JsonObject>();
        var calendar = await Admin.GetFromJsonAsync<JsonObject>("/api/v1/admin/calendars/main-campus");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(broken.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await broken.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), Does.StartWith("tokyo.ics line 23: "));
            Assert.That(good.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(preview!["from"]!.GetValue<string>(), Is.EqualTo("2026-12-05"));
            Assert.That(preview["closures"]!.AsArray().Select(c => c!["date"]!.GetValue<string>()), Does.Contain("2026-12-25").And.Contain("2027-01-01"));
            Assert.That(calendar!["files"]!.AsArray(), Is.Empty);
            Assert.That((await AuditAsync()).Select(a => a["action"]!.GetValue<string>()), Is.EqualTo(new[] { "calendar-created" }));
        }
    }

    [TestCase("/national-holidays", """{ "codes": ["XX"] }""", "codes[0]")]
    [TestCase("/closures/2026-02-30", """{ "name": "No such day" }""", "date: '2026-02-30'")]
    [TestCase("/closures/2026-12-24", """{ "name": "Eve", "closedFrom": "noon" }""", "closedFrom: 'noon'")]
    [TestCase("/closures/2026-12-24", """{ "name": " " }""", "name:")]
    public async Task Put_BadField_400NamingItAndNothingChanged(string path, string body, string named)
    {
        await CreateAsync("Main campus");
        var before = await Admin.GetStringAsync("/api/v1/admin/calendars/main-campus");

        using var response = await Admin.PutAsync($"/api/v1/admin/calendars/main-campus{path}", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), Does.Contain(named));
        Assert.That(await Admin.GetStringAsync("/api/v1/admin/calendars/main-campus"), Is.EqualTo(before));
    }

    [Test]
    public async Task Department_ClosureAddedForTheReleaseDay_PendingHoldMovesToTheNextWorkingDay()
    {
        var draft = await World.CreateDraftAsync(Sender, Resident);
        var hold = await App.HoldAsync(Sender, draft);
        Assert.That(hold["releaseAt"]!.GetValue<string>(), Is.EqualTo("2026-12-07T07:00:00-05:00"));
        await CreateAsync("Main campus");
        await SendAsync(HttpMethod.Put, $"/api/v1/admin/departments/{Uri.EscapeDataString(Medicine)}", new
        {
            calendar = "main-campus",
            workingHours = JsonNode.Parse("""
                { "daysOfWeek": ["monday","tuesday","wednesday","thursday","friday"], "startTime": "07:00:00.0000000",
                  "endTime": "19:00:00.0000000", "timeZone": { "name": "Eastern Standard Time" } }
                """),
        });

        await SendAsync(HttpMethod.Put, "/api/v1/admin/calendars/main-campus/closures/2026-12-07", new { name = "Snow day" });

        using var client = App.ClientFor(Sender);
        var moved = await Eventually.ValueAsync(
            async () => (await client.GetFromJsonAsync<JsonObject>($"/api/v1/holds/{hold["id"]}"))!["releaseAt"]!.GetValue<string>(),
            r => r != "2026-12-07T07:00:00-05:00", "the hold to move");
        Assert.That(moved, Is.EqualTo("2026-12-08T07:00:00-05:00"));
        var audit = await AuditAsync();
        Assert.That(audit.Select(a => (a["action"]!.GetValue<string>(), a["actor"]!.GetValue<string>())), Is.EqualTo(new[]
        {
            ("closure-set", It), ("department-set", It), ("calendar-created", It),
        }));
        Assert.That(audit[0]["before"]!["closures"]!.AsArray(), Is.Empty);
        Assert.That(audit[0]["after"]!["closures"]![0]!["name"]!.GetValue<string>(), Is.EqualTo("Snow day"));
    }

    [Test]
    public async Task Department_BadWorkingHoursOrUnknownCalendar_400AndTheFolderPolicyStays()
    {
        await CreateAsync("Main campus");

        using var zone = await Admin.PutAsJsonAsync($"/api/v1/admin/departments/{Uri.EscapeDataString(Medicine)}", new
        {
            calendar = "main-campus",
            workingHours = JsonNode.Parse("""{ "daysOfWeek": ["monday"], "startTime": "07:00", "endTime": "19:00", "timeZone": { "name": "Mars/Olympus" } }"""),
        });
        using var calendar = await Admin.PutAsJsonAsync($"/api/v1/admin/departments/{Uri.EscapeDataString(Medicine)}", new
        {
            calendar = "nowhere",
            workingHours = JsonNode.Parse("""{ "daysOfWeek": ["monday"], "startTime": "07:00", "endTime": "19:00", "timeZone": { "name": "UTC" } }"""),
        });
        var departments = await Admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/departments");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(zone.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await zone.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), Does.Contain("workingHours.timeZone"));
            Assert.That(calendar.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await calendar.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), Does.StartWith("calendar: no calendar 'nowhere'"));
            Assert.That(departments!.Single(d => d!["name"]!.GetValue<string>() == Medicine)!["source"]!.GetValue<string>(), Is.EqualTo("folder"));
        }
    }

    [Test]
    public async Task ListDepartments_FolderThenKeptWithWhatWasListed_HoursAndScorecardPeopleCarriedOver()
    {
        await CreateAsync("Main campus");
        var folder = await DepartmentAsync(Medicine);

        await SendAsync(HttpMethod.Put, $"/api/v1/admin/departments/{Uri.EscapeDataString(Medicine)}", new
        {
            calendar = "main-campus",
            workingHours = folder["workingHours"],
            scorecard = folder["scorecard"],
        });
        var kept = await DepartmentAsync(Medicine);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(folder["source"]!.GetValue<string>(), Is.EqualTo("folder"));
            Assert.That(folder["workingHours"]!.ToJsonString(), Is.EqualTo(
                """{"daysOfWeek":["monday","tuesday","wednesday","thursday","friday"],"startTime":"07:00:00.0000000","endTime":"19:00:00.0000000","timeZone":{"name":"America/New_York"}}"""));
            Assert.That(folder["scorecard"]!.ToJsonString(), Is.EqualTo(
                """{"chairs":["ehayes@med.example.edu"],"leaders":["ehayes@med.example.edu","mwebb@med.example.edu"]}"""));
            Assert.That(kept["source"]!.GetValue<string>(), Is.EqualTo("service"));
            Assert.That(kept["calendar"]!.GetValue<string>(), Is.EqualTo("main-campus"));
            Assert.That(kept["workingHours"]!.ToJsonString(), Is.EqualTo(folder["workingHours"]!.ToJsonString()));
            Assert.That(kept["scorecard"]!.ToJsonString(), Is.EqualTo(folder["scorecard"]!.ToJsonString()), "the chair still sees the department");
            Assert.That(App.Policies.Managed[Medicine].Scorecard.Chairs, Is.EquivalentTo(new[] { "ehayes@med.example.edu" }));
        }
    }

    [Test]
    public async Task DeleteCalendar_AssignedToADepartment_409UntilTheDepartmentGoes()
    {
        await CreateAsync("Main campus");
        await SendAsync(HttpMethod.Put, $"/api/v1/admin/departments/{Uri.EscapeDataString(Medicine)}", new
        {
            calendar = "main-campus",
            workingHours = JsonNode.Parse("""{ "daysOfWeek": ["monday"], "startTime": "07:00", "endTime": "19:00", "timeZone": { "name": "UTC" } }"""),
        });

        using var refused = await Admin.DeleteAsync("/api/v1/admin/calendars/main-campus");
        using var department = await Admin.DeleteAsync($"/api/v1/admin/departments/{Uri.EscapeDataString(Medicine)}");
        using var deleted = await Admin.DeleteAsync("/api/v1/admin/calendars/main-campus");

        Assert.That((refused.StatusCode, department.StatusCode, deleted.StatusCode),
            Is.EqualTo((HttpStatusCode.Conflict, HttpStatusCode.NoContent, HttpStatusCode.NoContent)));
        Assert.That(App.Policies.Managed, Is.Empty);
    }

    private async Task CreateAsync(string name)
    {
        using var response = await Admin.PostAsJsonAsync("/api/v1/admin/calendars", new { name });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    private async Task SendAsync(HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        using var response = await Admin.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> PutFileAsync(string calendar, string file, string query = "") =>
        FileAsync(HttpMethod.Put, $"/api/v1/admin/calendars/{calendar}/files/{Uri.EscapeDataString(file)}{query}", file);

    private async Task<HttpResponseMessage> FileAsync(HttpMethod method, string path, string file)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = new ByteArrayContent(await File.ReadAllBytesAsync(SharedCorpus.Ics(file))) { Headers = { ContentType = new("text/calendar") } },
        };
        return await Admin.SendAsync(request);
    }

    private async Task<JsonObject> DepartmentAsync(string name) =>
        (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/departments"))!.Single(d => d!["name"]!.GetValue<string>() == name)!.AsObject();

    private async Task<List<JsonObject>> AuditAsync() =>
        [.. (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/audit"))!.Select(a => a!.AsObject())];
}
