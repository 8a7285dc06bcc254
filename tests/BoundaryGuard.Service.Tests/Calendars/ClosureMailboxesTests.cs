using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Seed;
using BoundaryGuard.Service.Calendars;
using BoundaryGuard.Service.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Graph.Models;

namespace BoundaryGuard.Service.Tests.Calendars;

/// <summary>
/// Calendars read only what closes the institution: an Exchange calendar comes only from a mailbox IT lists in
/// <c>Calendars:ClosureMailboxes</c> (the test world lists the sandbox's closures@), and of its events only those
/// that close a day are kept; the subject of any other reaches no response, log line or database row.
/// </summary>
public sealed class ClosureMailboxesTests : ExchangeCalendarFixture
{
    private const string Key = "Calendars:ClosureMailboxes:0";

    [Test]
    public async Task Add_MailboxNotListed_400NamingMailboxAndNothingStored()
    {
        var audited = await AuditCountAsync();

        using var response = await AddAsync(DemoInstitution.MedicineChair.UserPrincipalName, "Calendar");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await DetailAsync(response), Is.EqualTo(
            $"mailbox: {DemoInstitution.MedicineChair.UserPrincipalName} is not listed in Calendars:ClosureMailboxes, the mailboxes whose calendars may close the institution"));
        await AssertNothingStoredAsync(audited);
    }

    [Test]
    public async Task Add_NoMailboxListed_400SayingNoneCanBeAdded()
    {
        // A blank entry (an empty environment variable) lists no mailbox.
        await RestartAsync(new() { [Key] = " " });
        var audited = await AuditCountAsync();

        using var response = await AddAsync(Mailbox, DemoInstitution.ClosuresCalendarName);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await DetailAsync(response), Does.StartWith("mailbox: no Exchange calendar can be added while Calendars:ClosureMailboxes lists no mailbox"));
        await AssertNothingStoredAsync(audited);
    }

    [TestCase("closures@med.example.edu")]
    [TestCase("  CLOSURES@Med.Example.EDU ")]
    public async Task Add_ListedMailboxInAnyCaseOrPadding_ReadAsBefore(string mailbox)
    {
        await RestartAsync(new() { [Key] = " Closures@MED.example.edu  " });

        using var response = await AddAsync(mailbox, DemoInstitution.ClosuresCalendarName);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var exchange = (await response.Content.ReadFromJsonAsync<JsonObject>())!["exchange"]!.AsArray().Single()!;
        Assert.That(exchange["mailbox"]!.GetValue<string>(), Is.EqualTo(mailbox.Trim()));
        Assert.That(exchange["status"], Is.Null);
        Assert.That(await ClosuresAsync(), Does.Contain(("2027-05-31", "Memorial Day")));
    }

    [Test]
    public async Task Sync_MailboxNoLongerListed_NotReadStatusSaysSoAndEventsKept()
    {
        using (var added = await AddAsync(Mailbox, DemoInstitution.ClosuresCalendarName))
        {
            Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var before = await ClosuresAsync();
        await RestartAsync(new() { [Key] = "another@med.example.edu" });
        await NewEventAsync(new() { Subject = "Snow day", Categories = ["Closure"] }, "2027-02-03");

        using var unlisted = await SyncAsync();
        var stopped = (await unlisted.Content.ReadFromJsonAsync<JsonObject>())!["exchange"]!.AsArray().Single()!;

        Assert.That(unlisted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(stopped["status"]!.GetValue<string>(), Is.EqualTo(ExchangeCalendarSync.NotListed));
        Assert.That(await ClosuresAsync(), Is.EqualTo(before), "IT's events stay in force, and the calendar is not read");

        await RestartAsync(new() { [Key] = Mailbox });
        using var listed = await SyncAsync();
        var resumed = (await listed.Content.ReadFromJsonAsync<JsonObject>())!["exchange"]!.AsArray().Single()!;

        Assert.That(resumed["status"], Is.Null);
        Assert.That(await ClosuresAsync(), Does.Contain(("2027-02-03", "Snow day")));
    }

    [Test]
    public async Task Sync_EventThatClosesNothing_SubjectInNoResponseLogOrDatabase()
    {
        const string Marker = "ZQ-MARKER-5b1e Oncology tumour board";
        var logs = new CollectingLoggerProvider();
        await RestartAsync(new() { ["Logging:LogLevel:Default"] = "Debug" }, services => services.AddSingleton<ILoggerProvider>(logs));
        // All day, out of office, in the closures calendar: only its category (none) says it closes nothing.
        await NewEventAsync(new() { Subject = Marker, ShowAs = FreeBusyStatus.Oof }, "2027-02-10");
        await NewEventAsync(new() { Subject = "Snow day", Categories = ["Closure"] }, "2027-02-03");

        var responses = new StringBuilder();
        using (var added = await Admin.PostAsJsonAsync("/api/v1/admin/calendars/main-campus/exchange",
            new { mailbox = Mailbox, calendar = DemoInstitution.ClosuresCalendarName, includeCategories = new[] { "Closure" } }))
        {
            Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            responses.Append(await added.Content.ReadAsStringAsync());
        }

        using (var synced = await SyncAsync())
        {
            responses.Append(await synced.Content.ReadAsStringAsync());
        }

        foreach (var path in new[] { "calendars", "calendars/main-campus", "calendars/main-campus/year", "audit" })
        {
            responses.Append(await Admin.GetStringAsync($"/api/v1/admin/{path}"));
        }

        await App.DisposeAsync(); // the database files complete, and every log line written
        var database = DatabaseText();
        var logged = string.Join('\n', logs.Entries.Select(e => e.Line));

        using (Assert.EnterMultipleScope())
        {
            // The kept event is found where it is looked for, so a search that finds nothing is a search that worked.
            Assert.That(responses.ToString(), Does.Contain("Snow day").And.Not.Contain("ZQ-MARKER"));
            Assert.That(database, Does.Contain("Snow day").And.Not.Contain("ZQ-MARKER"));
            Assert.That(logs.Entries, Has.Some.Matches<(LogLevel Level, string, string)>(e => e.Level == LogLevel.Debug), "logged at Debug");
            Assert.That(logged, Does.Not.Contain("ZQ-MARKER"));
        }
    }

    private Task<HttpResponseMessage> AddAsync(string mailbox, string calendar) =>
        Admin.PostAsJsonAsync("/api/v1/admin/calendars/main-campus/exchange", new { mailbox, calendar });

    private Task<HttpResponseMessage> SyncAsync() => Admin.PostAsync("/api/v1/admin/calendars/main-campus/exchange/sync", null);

    private async Task<int> AuditCountAsync() => (await Admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/audit"))!.Count;

    private async Task AssertNothingStoredAsync(int audited)
    {
        Assert.That((await Admin.GetFromJsonAsync<JsonObject>("/api/v1/admin/calendars/main-campus"))!["exchange"]!.AsArray(), Is.Empty);
        Assert.That(await AuditCountAsync(), Is.EqualTo(audited));
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>();

    /// <summary>An all-day event on <paramref name="day"/> in the sandbox's closures calendar.</summary>
    private async Task NewEventAsync(Event e, string day)
    {
        var calendars = World.Graph.Users[Mailbox].Calendars;
        var calendarId = (await calendars.GetAsync())!.Value!.Single(c => c.Name == DemoInstitution.ClosuresCalendarName).Id!;
        var next = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        e.IsAllDay = true;
        e.Start = new DateTimeTimeZone { DateTime = $"{day}T00:00:00", TimeZone = "Eastern Standard Time" };
        e.End = new DateTimeTimeZone { DateTime = $"{next}T00:00:00", TimeZone = "Eastern Standard Time" };
        await calendars[calendarId].Events.PostAsync(e);
    }

    /// <summary>Every file of the SQLite database (the main file, its journal and WAL), as text.</summary>
    private string DatabaseText()
    {
        var source = World.Settings()["Scheduling:ConnectionString"]!.Split(';').Single(p => p.StartsWith("Data Source=", StringComparison.Ordinal))["Data Source=".Length..];
        var folder = Path.GetDirectoryName(source)!;
        return string.Concat(Directory.GetFiles(folder).Select(f => Encoding.UTF8.GetString(File.ReadAllBytes(f))));
    }
}
