using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Seed;
using BoundaryGuard.Service.Tests.Holds;
using Microsoft.Graph.Models;

namespace BoundaryGuard.Service.Tests.Calendars;

/// <summary>
/// An Exchange shared calendar as a closure source: the sandbox's "Institution closures" calendar, read through the
/// real Graph SDK; events added, moved and removed in it reach the year view after a sync, and a sync that finds
/// nothing new changes and audits nothing.
/// </summary>
public sealed class ExchangeCalendarTests : ExchangeCalendarFixture
{
    [Test]
    public async Task Sync_EventsAddedMovedAndRemoved_YearViewConverges()
    {
        using var added = await Admin.PostAsJsonAsync("/api/v1/admin/calendars/main-campus/exchange",
            new { mailbox = Mailbox, calendar = DemoInstitution.ClosuresCalendarName, includeCategories = new[] { "Closure" } });
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.OK), await added.Content.ReadAsStringAsync());
        Assert.That(await ClosuresAsync(), Is.SupersetOf(new[] { ("2026-12-24", "Winter closure"), ("2027-01-01", "Winter closure"),
            ("2027-01-18", "Martin Luther King Jr. Day"), ("2027-05-31", "Memorial Day") }));

        var calendarId = (await World.Graph.Users[Mailbox].Calendars.GetAsync())!.Value!.Single(c => c.Name == DemoInstitution.ClosuresCalendarName).Id!;
        var events = World.Graph.Users[Mailbox].Calendars[calendarId].Events;
        var seeded = (await events.GetAsync())!.Value!;
        await events.PostAsync(AllDay("Snow day", "2027-02-03", "2027-02-04"));
        await events[seeded.Single(e => e.Subject == "Memorial Day").Id].PatchAsync(AllDay("Memorial Day", "2027-06-01", "2027-06-02"));
        await events[seeded.Single(e => e.Subject == "Martin Luther King Jr. Day").Id].DeleteAsync();
        var before = await ClosuresAsync();

        using var synced = await Admin.PostAsync("/api/v1/admin/calendars/main-campus/exchange/sync", null);
        var after = await ClosuresAsync();

        Assert.That(synced.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(before, Does.Contain(("2027-01-18", "Martin Luther King Jr. Day")), "nothing changes before a sync");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(after, Does.Contain(("2027-02-03", "Snow day")));
            Assert.That(after, Does.Contain(("2027-06-01", "Memorial Day")).And.Not.Contain(("2027-05-31", "Memorial Day")));
            Assert.That(after.Select(c => c.Name), Does.Not.Contain("Martin Luther King Jr. Day"));
            Assert.That(after, Is.EquivalentTo(before.Where(c => c.Name is not ("Martin Luther King Jr. Day" or "Memorial Day"))
                .Append(("2027-02-03", "Snow day")).Append(("2027-06-01", "Memorial Day"))));
        }
    }

    [Test]
    public async Task Sync_NothingChanged_NothingStoredOrAudited()
    {
        using var added = await Admin.PostAsJsonAsync("/api/v1/admin/calendars/main-campus/exchange",
            new { mailbox = Mailbox, calendar = DemoInstitution.ClosuresCalendarName });
        var audited = (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/audit"))!.Count;

        using var synced = await Admin.PostAsync("/api/v1/admin/calendars/main-campus/exchange/sync", null);

        Assert.That(synced.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/audit"))!, Has.Count.EqualTo(audited));
    }

    [TestCase("nobody@med.example.edu", "Institution closures", "mailbox: nobody@med.example.edu")]
    [TestCase("closures@med.example.edu", "No such calendar", "calendar: the mailbox closures@med.example.edu has no calendar named 'No such calendar'")]
    public async Task Add_UnknownMailboxOrCalendar_400NamingItAndNothingStored(string mailbox, string calendar, string message)
    {
        using var response = await Admin.PostAsJsonAsync("/api/v1/admin/calendars/main-campus/exchange", new { mailbox, calendar });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), Does.StartWith(message));
        Assert.That((await Admin.GetFromJsonAsync<JsonObject>("/api/v1/admin/calendars/main-campus"))!["exchange"]!.AsArray(), Is.Empty);
    }

    private static Event AllDay(string subject, string first, string endExclusive) => new()
    {
        Subject = subject,
        IsAllDay = true,
        Categories = ["Closure"],
        Start = new DateTimeTimeZone { DateTime = $"{first}T00:00:00", TimeZone = "Eastern Standard Time" },
        End = new DateTimeTimeZone { DateTime = $"{endExclusive}T00:00:00", TimeZone = "Eastern Standard Time" },
    };
}
