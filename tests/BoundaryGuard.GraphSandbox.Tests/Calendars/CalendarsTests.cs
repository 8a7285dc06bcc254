using System.Net;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Seed;

namespace BoundaryGuard.GraphSandbox.Tests.Calendars;

public sealed class CalendarsTests
{
    private static readonly string Closures = DemoInstitution.Closures.UserPrincipalName;

    [Test]
    public async Task Closure_AddMoveRemove_CalendarViewFollows()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var calendarId = await ClosuresCalendarIdAsync(sandbox);
        var events = $"v1.0/users/{Closures}/calendars/{calendarId}/events";
        var view = $"v1.0/users/{Closures}/calendars/{calendarId}/calendarView?startDateTime=2026-12-07T00:00:00-05:00&endDateTime=2026-12-12T00:00:00-05:00";

        var snowDay = await sandbox.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, events, AllDay("Snow day", "2026-12-08", "2026-12-09"));
        var added = await sandbox.GetAsync(view);
        sandbox.Clock!.Advance(TimeSpan.FromMinutes(5));
        var moved = await sandbox.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"v1.0/users/{Closures}/events/{snowDay!["id"]}", new JsonObject
        {
            ["start"] = new JsonObject { ["dateTime"] = "2026-12-10T00:00:00", ["timeZone"] = "Eastern Standard Time" },
            ["end"] = new JsonObject { ["dateTime"] = "2026-12-11T00:00:00", ["timeZone"] = "Eastern Standard Time" },
        });
        var afterMove = await sandbox.GetAsync(view);
        await sandbox.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"v1.0/users/{Closures}/calendars/{calendarId}/events/{snowDay["id"]}");
        var afterDelete = await sandbox.GetAsync(view);

        Assert.That(added["value"]!.AsArray().Single()!["start"]!["dateTime"]!.GetValue<string>(), Is.EqualTo("2026-12-08T00:00:00.0000000"));
        Assert.That(moved!["id"]!.GetValue<string>(), Is.EqualTo(snowDay["id"]!.GetValue<string>()));
        Assert.That(moved["lastModifiedDateTime"]!.GetValue<string>(), Is.EqualTo("2026-11-26T04:45:00.0000000Z"));
        Assert.That(afterMove["value"]!.AsArray().Single()!["start"]!["dateTime"]!.GetValue<string>(), Is.EqualTo("2026-12-10T00:00:00.0000000"));
        Assert.That(afterDelete["value"]!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task CalendarView_TimedEvent_InUtcUnlessPreferTimeZone()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var chair = DemoInstitution.MedicineChair.UserPrincipalName;
        const string view = "calendar/calendarView?startDateTime=2026-12-01T00:00:00Z&endDateTime=2026-12-02T00:00:00Z";

        var utc = await sandbox.GetAsync($"v1.0/users/{chair}/{view}");
        var central = await sandbox.GetAsync($"v1.0/users/{chair}/{view}", r => r.Headers.Add("Prefer", "outlook.timezone=\"America/Chicago\""));

        var meeting = utc["value"]!.AsArray().Single()!;
        Assert.That(meeting["start"]!["dateTime"]!.GetValue<string>(), Is.EqualTo("2026-12-01T17:00:00.0000000"));
        Assert.That(meeting["start"]!["timeZone"]!.GetValue<string>(), Is.EqualTo("UTC"));
        Assert.That(meeting["originalStartTimeZone"]!.GetValue<string>(), Is.EqualTo("Eastern Standard Time"));
        var local = central["value"]!.AsArray().Single()!;
        Assert.That(local["start"]!["dateTime"]!.GetValue<string>(), Is.EqualTo("2026-12-01T11:00:00.0000000"));
        Assert.That(local["start"]!["timeZone"]!.GetValue<string>(), Is.EqualTo("America/Chicago"));
    }

    [Test]
    public async Task CalendarView_ManyClosures_PagesWithNextLink()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var calendarId = await ClosuresCalendarIdAsync(sandbox);
        for (var day = 1; day <= 12; day++)
        {
            var date = new DateOnly(2027, 3, day);
            await sandbox.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"v1.0/users/{Closures}/calendars/{calendarId}/events",
                AllDay($"Closure {day}", date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), date.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        }

        var subjects = new List<string>();
        string? link = $"v1.0/users/{Closures}/calendars/{calendarId}/calendarView?startDateTime=2027-03-01T00:00:00-05:00&endDateTime=2027-03-31T00:00:00-04:00";
        var pages = 0;
        while (link is not null)
        {
            var page = await sandbox.GetAsync(link, r => r.Headers.Add("Prefer", "odata.maxpagesize=5"));
            subjects.AddRange(page["value"]!.AsArray().Select(e => e!["subject"]!.GetValue<string>()));
            link = page["@odata.nextLink"]?.GetValue<string>();
            pages++;
        }

        Assert.That(pages, Is.EqualTo(3));
        Assert.That(subjects, Is.EqualTo(Enumerable.Range(1, 12).Select(d => $"Closure {d}").ToList()));
    }

    private static JsonObject AllDay(string subject, string first, string endExclusive) => new()
    {
        ["subject"] = subject,
        ["isAllDay"] = true,
        ["showAs"] = "oof",
        ["categories"] = new JsonArray("Closure"),
        ["start"] = new JsonObject { ["dateTime"] = first + "T00:00:00", ["timeZone"] = "Eastern Standard Time" },
        ["end"] = new JsonObject { ["dateTime"] = endExclusive + "T00:00:00", ["timeZone"] = "Eastern Standard Time" },
    };

    private static async Task<string> ClosuresCalendarIdAsync(TestSandbox sandbox) =>
        (await sandbox.GetAsync($"v1.0/users/{Closures}/calendars"))["value"]!.AsArray()
            .Single(c => c!["name"]!.GetValue<string>() == DemoInstitution.ClosuresCalendarName)!["id"]!.GetValue<string>();
}
