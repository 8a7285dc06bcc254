using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Service.Scorecards;
using BoundaryGuard.Service.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace BoundaryGuard.Service.Tests.Calendars;

/// <summary>
/// IT's admin pages in a real browser (<see cref="BrowserPagesTests"/>): a calendar created, a real ICS file previewed
/// (nothing stored) and applied, its closures in the year view; a broken file refused with the service's message and
/// nothing changed; a department assigned a calendar; and the 403 page for anyone else. Each test on a service of its
/// own, since the pages change it; what the pages show is checked against the API.
/// </summary>
[NonParallelizable]
public sealed class AdminPagesTests : BrowserPagesTests
{
    private const string ItAdmin = "it.admin@med.example.edu";
    private const string ItAdminName = "Irene Tran (IT administrator)";
    private const string UsHolidays = "thunderbird-autogen-USHolidays.ics";
    private const string Unterminated = "icalendar-tests-timezone_same_start_and_offset.ics";
    private const string ClosuresMailbox = "closures@med.example.edu";
    private const string ClosuresCalendar = "Institution closures";

    /// <summary>Friday 4 December 2026, noon in New York: the year view runs from 4 December 2026 to 3 December 2027.</summary>
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.FromHours(-5));

    private PagesSite site = null!;

    [SetUp]
    public async Task StartAsync()
    {
        site = await PagesSite.StartAsync(Now);
        await OpenAsync(site.Address);
    }

    [TearDown]
    public async Task StopAsync()
    {
        if (site is not null)
        {
            await site.DisposeAsync();
        }
    }

    [Test]
    public async Task ImportPage_ItPreviewsThenAppliesUsHolidays_NothingStoredUntilAppliedThenTheYearViewShowsThem()
    {
        await SignInAsync("admin", ItAdmin, ItAdminName);
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Calendars");
        await Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Main campus");
        await Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Create calendar" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex(@"/admin/calendar\.html\?id=main-campus&created=1$"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Main campus");
        await Expect(Page.Locator("#year-count")).ToHaveTextAsync("0 closures");

        await Page.Locator("#import-link").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex(@"/admin/import\.html\?id=main-campus$"));
        await Page.Locator("#ics-file").SetInputFilesAsync(SharedCorpus.Ics(UsHolidays));
        await Expect(Page.Locator("#ics-name")).ToHaveValueAsync(UsHolidays);
        await Expect(Page.Locator("#apply-button")).ToBeDisabledAsync();
        await Page.GetByLabel("Summary or description contains").First.FillAsync("Federal Holiday");
        var previewed = await Page.RunAndWaitForResponseAsync(
            () => Page.Locator("#preview-button").ClickAsync(), r => r.Url.Contains("/files/preview?", StringComparison.Ordinal));

        Assert.That(previewed.Request.Method, Is.EqualTo("POST"));
        Assert.That(previewed.Url, Does.Contain("includeText=Federal+Holiday"));
        var preview = JsonNode.Parse(await previewed.TextAsync())!;
        var previewDates = preview["closures"]!.AsArray().Select(c => c!["date"]!.GetValue<string>()).ToArray();
        Assert.That(previewDates, Does.Contain("2026-12-25").And.Contain("2027-07-04").And.Not.Contain("2027-03-02"),
            "federal holidays only: Texas Independence Day stays open");
        await Expect(Page.Locator("#preview-title")).ToHaveTextAsync($"Preview: {previewDates.Length} closures from {UsHolidays}");
        Assert.That(await Page.Locator("#preview tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.date)"), Is.EqualTo(previewDates));
        // Nothing is stored by a preview: no file, no closure, nothing in the audit log but the calendar's creation.
        var before = await ApiJsonAsync("/api/v1/admin/calendars/main-campus");
        Assert.That(before["files"]!.AsArray(), Is.Empty);
        Assert.That((await ApiJsonAsync("/api/v1/admin/calendars/main-campus/year"))["closures"]!.AsArray(), Is.Empty);
        Assert.That(await AuditActionsAsync(), Is.EqualTo(new[] { "calendar-created" }));

        await Page.Locator("#apply-button").ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex($@"/admin/calendar\.html\?id=main-campus&applied={Regex.Escape(UsHolidays)}#year$"));
        var year = await ApiJsonAsync("/api/v1/admin/calendars/main-campus/year");
        var closures = year["closures"]!.AsArray().Select(c => (Date: c!["date"]!.GetValue<string>(), Source: c["source"]!.GetValue<string>())).ToArray();
        Assert.That(year["from"]!.GetValue<string>(), Is.EqualTo("2026-12-04"));
        Assert.That(closures.Select(c => c.Date), Is.EqualTo(previewDates), "the year view holds what was previewed");
        Assert.That(closures.Select(c => c.Source), Has.All.EqualTo(UsHolidays));
        await Expect(Page.Locator("#year-count")).ToHaveTextAsync($"{closures.Length} closures");
        var shown = await Page.Locator("#year li").EvaluateAllAsync<string[][]>("items => items.map(i => [i.dataset.date, i.dataset.source])");
        Assert.That(shown.Select(s => (s[0], s[1])), Is.EqualTo(closures));
        await Expect(Page.Locator("#year section.month")).ToHaveCountAsync(13);
        await Expect(Page.Locator("#year [data-month='2027-07'] li[data-date='2027-07-04']")).ToContainTextAsync($"ICS file {UsHolidays}");
        await Expect(Page.Locator($"#files tr[data-file='{UsHolidays}'] td").First).ToHaveTextAsync(closures.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(Page.Locator($"#files tr[data-file='{UsHolidays}']")).ToContainTextAsync("include: summary or description contains “Federal Holiday”");
        Assert.That(await AuditActionsAsync(), Is.EqualTo(new[] { "file-applied", "calendar-created" }));
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task ImportPage_BrokenFile_TheServicesErrorNamingLine23AndNothingChanged()
    {
        await SignInAsync("admin", ItAdmin, ItAdminName);
        var created = await Context.APIRequest.PostAsync("/api/v1/admin/calendars", new() { DataObject = new { name = "Main campus" } });
        Assert.That(created.Status, Is.EqualTo(201), await created.TextAsync());
        var calendarBefore = await ApiJsonAsync("/api/v1/admin/calendars/main-campus");
        var auditBefore = await ApiJsonAsync("/api/v1/admin/audit");

        await Page.GotoAsync("/admin/import.html?id=main-campus");
        await Page.Locator("#ics-file").SetInputFilesAsync(SharedCorpus.Ics(Unterminated));
        var refused = await Page.RunAndWaitForResponseAsync(
            () => Page.Locator("#preview-button").ClickAsync(), r => r.Url.Contains("/files/preview?", StringComparison.Ordinal));

        Assert.That(refused.Status, Is.EqualTo(400));
        await Expect(Page.Locator("#import-error")).ToBeVisibleAsync();
        await Expect(Page.Locator("#import-error")).ToHaveTextAsync(
            $"{Unterminated} line 23: END:VCALENDARD does not close BEGIN:VCALENDAR from line 1. Nothing was changed.");
        await Expect(Page.Locator("#preview")).ToBeHiddenAsync();
        await Expect(Page.Locator("#apply-button")).ToBeDisabledAsync();
        Assert.That((await ApiJsonAsync("/api/v1/admin/calendars/main-campus")).ToJsonString(), Is.EqualTo(calendarBefore.ToJsonString()));
        Assert.That((await ApiJsonAsync("/api/v1/admin/calendars/main-campus/year"))["closures"]!.AsArray(), Is.Empty);
        Assert.That((await ApiJsonAsync("/api/v1/admin/audit")).ToJsonString(), Is.EqualTo(auditBefore.ToJsonString()));
        Assert.That(await AuditActionsAsync(), Is.EqualTo(new[] { "calendar-created" }));
    }

    [Test]
    public async Task DepartmentsPage_ItAssignsACalendarToMedicine_KeptInTheServiceWithTheFoldersHoursAndChairsAndAudited()
    {
        await SignInAsync("admin", ItAdmin, ItAdminName);
        var created = await Context.APIRequest.PostAsync("/api/v1/admin/calendars", new() { DataObject = new { name = "Main campus" } });
        Assert.That(created.Status, Is.EqualTo(201), await created.TextAsync());
        var folder = Department(await ApiJsonAsync("/api/v1/admin/departments"), "Department of Medicine");

        await Page.GotoAsync("/admin/departments.html");
        var medicine = Page.Locator("tr[data-department='Department of Medicine']");
        await Expect(medicine).ToHaveAttributeAsync("data-source", "folder");
        await Expect(medicine.Locator("td").Nth(2)).ToHaveTextAsync("Mon–Fri 07:00–19:00");
        await medicine.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Edit Department of Medicine" }).ClickAsync();
        await Expect(Page.Locator("#dept-zone")).ToHaveValueAsync("America/New_York");
        await Expect(Page.Locator("#edit")).ToContainTextAsync("chairs ehayes@med.example.edu");
        await Page.Locator("#dept-calendar").SelectOptionAsync("main-campus");
        await Page.Locator("#dept-start").FillAsync("08:00");
        await Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(Page.Locator("#departments-status")).ToHaveTextAsync(
            "Saved: Department of Medicine uses Main campus, Mon–Fri 08:00–19:00 (America/New_York).");
        await Expect(medicine).ToHaveAttributeAsync("data-source", "service");
        var kept = Department(await ApiJsonAsync("/api/v1/admin/departments"), "Department of Medicine");
        Assert.That(kept["calendar"]!.GetValue<string>(), Is.EqualTo("main-campus"));
        Assert.That(kept["workingHours"]!["startTime"]!.GetValue<string>(), Is.EqualTo("08:00:00.0000000"));
        Assert.That(kept["scorecard"]!.ToJsonString(), Is.EqualTo(folder["scorecard"]!.ToJsonString()), "the chairs and leaders carried over");

        await Page.GotoAsync("/admin/audit.html");
        var entry = Page.Locator("tr[data-action='department-set']");
        await Expect(entry).ToContainTextAsync(ItAdmin);
        await entry.Locator("summary").First.ClickAsync();
        await Expect(entry.Locator("tr[data-field='calendar'] td.after")).ToHaveTextAsync("\"main-campus\"");
        await Expect(entry.Locator("tr[data-field='workingHours.startTime'] td.after")).ToHaveTextAsync("\"08:00:00.0000000\"");
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task CalendarPage_ItClosesUsHolidaysButColumbusDay_TheYearViewLeavesItOpen()
    {
        await SignInAsync("admin", ItAdmin, ItAdminName);
        var created = await Context.APIRequest.PostAsync("/api/v1/admin/calendars", new() { DataObject = new { name = "Main campus" } });
        Assert.That(created.Status, Is.EqualTo(201), await created.TextAsync());
        await Page.GotoAsync("/admin/calendar.html?id=main-campus");

        await Page.Locator("#national-codes").FillAsync("US");
        await Page.Locator("#national-exclude").FillAsync("Columbus Day");
        await Page.Locator("#national button[type=submit]").ClickAsync();

        await Expect(Page.Locator("#calendar-status")).ToHaveTextAsync("National holidays: US.");
        var calendar = await ApiJsonAsync("/api/v1/admin/calendars/main-campus");
        Assert.That(calendar["nationalFilter"]!["excludeSummaries"]!.AsArray().Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { "Columbus Day" }));
        await Expect(Page.Locator("#year li[data-date='2026-12-25']")).ToHaveAttributeAsync("data-source", "national:US");
        var names = (await ApiJsonAsync("/api/v1/admin/calendars/main-campus/year"))["closures"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList();
        Assert.That(names, Does.Contain("Memorial Day").And.Not.Contain("Columbus Day"));
        await Expect(Page.Locator("#national-exclude")).ToHaveValueAsync("Columbus Day");
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task CalendarPage_ItAddsTheSandboxsExchangeCalendarThenSyncsNow_ItsClosuresInTheYearViewAndAudited()
    {
        await SignInAsync("admin", ItAdmin, ItAdminName);
        var created = await Context.APIRequest.PostAsync("/api/v1/admin/calendars", new() { DataObject = new { name = "Main campus" } });
        Assert.That(created.Status, Is.EqualTo(201), await created.TextAsync());
        await Page.GotoAsync("/admin/calendar.html?id=main-campus");
        await Expect(Page.Locator("#exchange")).ToContainTextAsync("No Exchange calendar.");

        await Page.Locator("#exchange-mailbox").FillAsync(ClosuresMailbox);
        await Page.Locator("#exchange-calendar").FillAsync(ClosuresCalendar);
        await Page.Locator("#exchange-categories").FillAsync("Closure");
        await Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Add the calendar" }).ClickAsync();

        var row = Page.Locator($"#exchange tr[data-calendar='{ClosuresCalendar}']");
        await Expect(row).ToHaveAttributeAsync("data-mailbox", ClosuresMailbox);
        var calendar = await ApiJsonAsync("/api/v1/admin/calendars/main-campus");
        var exchange = calendar["exchange"]!.AsArray().Single()!;
        var events = exchange["events"]!.AsArray().Count;
        Assert.That(exchange["filter"]!["includeCategories"]!.AsArray().Select(c => c!.GetValue<string>()), Is.EqualTo(new[] { "Closure" }));
        await Expect(Page.Locator("#calendar-status")).ToHaveTextAsync($"{ClosuresCalendar} added: {events} events read, closures in the year view below.");
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync(events.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(row).ToContainTextAsync("include: category is “Closure”");
        var source = $"exchange:{ClosuresMailbox}/{ClosuresCalendar}";
        var year = (await ApiJsonAsync("/api/v1/admin/calendars/main-campus/year"))["closures"]!.AsArray()
            .Select(c => (Date: c!["date"]!.GetValue<string>(), Source: c["source"]!.GetValue<string>())).ToArray();
        Assert.That(year, Does.Contain(("2026-12-24", source)).And.Contain(("2027-05-31", source)));
        var shown = await Page.Locator("#year li").EvaluateAllAsync<string[][]>("items => items.map(i => [i.dataset.date, i.dataset.source])");
        Assert.That(shown.Select(s => (s[0], s[1])), Is.EqualTo(year));
        var winter = Page.Locator("#year [data-month='2026-12'] li[data-date='2026-12-24']");
        await Expect(winter).ToContainTextAsync("Winter closure");
        await Expect(winter).ToContainTextAsync($"Exchange calendar {ClosuresMailbox}/{ClosuresCalendar}");

        var synced = await Page.RunAndWaitForResponseAsync(
            () => Page.Locator("#exchange-sync").ClickAsync(), r => r.Url.EndsWith("/exchange/sync", StringComparison.Ordinal));

        Assert.That((synced.Request.Method, synced.Status), Is.EqualTo(("POST", 200)));
        await Expect(Page.Locator("#calendar-status")).ToHaveTextAsync($"Synced: {ClosuresCalendar} ({events} events).");
        await Expect(Page.Locator("#year li[data-date='2026-12-24']")).ToHaveAttributeAsync("data-source", source);
        Assert.That(await AuditActionsAsync(), Is.EqualTo(new[] { "exchange-added", "calendar-created" }), "a sync that finds nothing new stores nothing");
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task ExemptionsPage_ItAddsThenRemovesAnExemption_ListedThroughTheApiAndBothAudited()
    {
        await SignInAsync("admin", ItAdmin, ItAdminName);
        await Page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Exemptions" }).ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Exemptions");
        await Expect(Page.Locator("#exemptions")).ToContainTextAsync("No one is exempt");

        await Page.Locator("#exemption-mailbox").FillAsync("MWebb@med.example.edu");
        await Page.Locator("#exemption-reason").FillAsync("On call for the ICU");
        await Page.Locator("#exemption-until").FillAsync("2027-01-31");
        await Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Exempt", Exact = true }).ClickAsync();

        var row = Page.Locator("#exemptions tr[data-mailbox='mwebb@med.example.edu']");
        await Expect(row).ToHaveAttributeAsync("data-active", "true");
        await Expect(row).ToContainTextAsync("On call for the ICU");
        var listed = (await ApiJsonAsync("/api/v1/admin/exemptions")).AsArray().Single()!;
        Assert.That((listed["mailbox"]!.GetValue<string>(), listed["reason"]!.GetValue<string>(), listed["until"]!.GetValue<string>(),
            listed["active"]!.GetValue<bool>(), listed["updatedBy"]!.GetValue<string>()),
            Is.EqualTo(("mwebb@med.example.edu", "On call for the ICU", "2027-01-31", true, ItAdmin)));
        await Expect(row).ToHaveAttributeAsync("data-id", listed["id"]!.GetValue<string>());

        await row.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Remove the exemption of mwebb@med.example.edu" }).ClickAsync();

        await Expect(Page.Locator("#exemptions-status")).ToHaveTextAsync("mwebb@med.example.edu is no longer exempt: their mail after hours is held again.");
        await Expect(row).ToHaveCountAsync(0);
        Assert.That((await ApiJsonAsync("/api/v1/admin/exemptions")).AsArray(), Is.Empty);
        var audit = (await ApiJsonAsync("/api/v1/admin/audit")).AsArray();
        Assert.That(audit.Select(a => (a!["action"]!.GetValue<string>(), a["actor"]!.GetValue<string>(), a["target"]!.GetValue<string>())), Is.EqualTo(new[]
        {
            ("exemption-deleted", ItAdmin, "exemption:mwebb@med.example.edu"),
            ("exemption-added", ItAdmin, "exemption:mwebb@med.example.edu"),
        }));
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task ScorecardMePage_PersonExempted_TheirCardSaysExemptUntilTheDay()
    {
        await SignInAsync("admin", ItAdmin, ItAdminName);
        var added = await Context.APIRequest.PostAsync("/api/v1/admin/exemptions",
            new() { DataObject = new { mailbox = ItAdmin, reason = "On call", until = "2027-01-31" } });
        Assert.That(added.Status, Is.EqualTo(201), await added.TextAsync());

        await Page.GotoAsync("/scorecard/me.html");

        var note = Page.Locator("main .exempt");
        await Expect(note).ToHaveAttributeAsync("data-until", "2027-01-31");
        await Expect(note).ToHaveTextAsync(new Regex("^Exempt from holds until .*2027$"));
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task DepartmentsPage_WhatIfLongerHours_ShowsTheServicesCountsAndSavesNothing()
    {
        await SignInAsync("admin", ItAdmin, ItAdminName);
        var created = await Context.APIRequest.PostAsync("/api/v1/admin/calendars", new() { DataObject = new { name = "Main campus" } });
        Assert.That(created.Status, Is.EqualTo(201), await created.TextAsync());
        await site.Services.GetRequiredService<IMetricStore>().AppendAsync(
        [
            Send("saturday", MetricKind.HoldCreated, new(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(-5))),
            Send("evening", MetricKind.DeliveredAfterHours, new(2026, 12, 2, 20, 0, 0, TimeSpan.FromHours(-5))),
            Send("morning", MetricKind.SentInHours, new(2026, 12, 2, 8, 0, 0, TimeSpan.FromHours(-5))),
        ], default);
        var auditBefore = await AuditActionsAsync();

        await Page.GotoAsync("/admin/departments.html");
        var medicine = Page.Locator("tr[data-department='Department of Medicine']");
        await medicine.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Edit Department of Medicine" }).ClickAsync();
        await Page.Locator("#dept-calendar").SelectOptionAsync("main-campus");
        foreach (var day in new[] { "saturday", "sunday" })
        {
            await Page.Locator($"#day-{day}").CheckAsync();
        }

        await Page.Locator("#dept-end").FillAsync("22:00");
        var answered = await Page.RunAndWaitForResponseAsync(
            () => Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "What if" }).ClickAsync(), r => r.Url.EndsWith("/what-if", StringComparison.Ordinal));

        Assert.That((answered.Request.Method, answered.Status), Is.EqualTo(("POST", 200)));
        var whatIf = JsonNode.Parse(await answered.TextAsync())!;
        string[] fields = ["sends", "heldNow", "heldByProposal", "newlyHeld", "noLongerHeld"];
        var counts = fields.Select(f => whatIf[f]!.GetValue<int>()).ToArray();
        Assert.That(counts[0], Is.GreaterThanOrEqualTo(3), "the three sends added, and any the demo made");
        Assert.That(counts[4], Is.GreaterThanOrEqualTo(2), "Saturday at 10:00 and Wednesday at 20:00 are in the longer hours");
        foreach (var (field, count) in fields.Zip(counts))
        {
            await Expect(Page.Locator($"#what-if-result [data-measure='{field}']")).ToHaveAttributeAsync("data-value", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await Expect(Page.Locator("#what-if-summary")).ToContainTextAsync(
            $"its policy now holds {counts[1]}, the proposal would hold {counts[2]}.");
        await Expect(Page.Locator("#edit-form")).ToBeVisibleAsync();
        Assert.That(Department(await ApiJsonAsync("/api/v1/admin/departments"), "Department of Medicine")["source"]!.GetValue<string>(), Is.EqualTo("folder"),
            "nothing saved");
        Assert.That(await AuditActionsAsync(), Is.EqualTo(auditBefore));
        Assert.That(ConsoleErrors, Is.Empty);
    }

    private static MetricEvent Send(string key, MetricKind kind, DateTimeOffset at) =>
        new(key, kind, at, "mwebb@med.example.edu", "Department of Medicine", LocalDate.FromDateTime(at.DateTime), at.Hour, MetricPeriod.None,
            HoldReasons.None, RecipientCounts.None);

    [Test]
    public async Task AdminPages_FacultyMemberSignsIn_403PageAndTheApiRefusesToo()
    {
        await SignInAsync("admin", "mwebb@med.example.edu", "Marcus Webb");

        await Expect(Page).ToHaveURLAsync(new Regex(@"/admin/$"));
        await Expect(Page.Locator(".error-page")).ToHaveAttributeAsync("data-status", "403");
        await Expect(Page.Locator(".error-code")).ToHaveTextAsync("403");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("These pages are for IT administrators");
        await Expect(Page).ToHaveTitleAsync(new Regex("^403"));
        await Expect(Page.Locator("nav a")).ToHaveTextAsync(["Scorecard"]);
        await Page.GotoAsync("/admin/calendar.html?id=main-campus");
        await Expect(Page.Locator(".error-page")).ToHaveAttributeAsync("data-status", "403");
        var api = await Context.APIRequest.GetAsync("/api/v1/admin/calendars");
        Assert.That(api.Status, Is.EqualTo(403));
    }

    private static JsonNode Department(JsonNode departments, string name) =>
        departments.AsArray().Single(d => d!["name"]!.GetValue<string>() == name)!;

    private async Task<string[]> AuditActionsAsync() =>
        [.. (await ApiJsonAsync("/api/v1/admin/audit")).AsArray().Select(a => a!["action"]!.GetValue<string>())];
}
