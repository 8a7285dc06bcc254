using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BoundaryGuard.Service.Tests.Hosting;
using Microsoft.Playwright;

namespace BoundaryGuard.Service.Tests.Scorecards;

/// <summary>
/// The scorecard pages in a real browser (<see cref="BrowserPagesTests"/>). One service for the fixture, since the
/// pages only read; each test gets a browser context of its own, so no session carries over.
/// </summary>
[NonParallelizable]
public sealed class ScorecardPagesTests : BrowserPagesTests
{
    private PagesSite site = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => site = await ScorecardSite.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (site is not null)
        {
            await site.DisposeAsync();
        }
    }

    [SetUp]
    public Task OpenPageAsync() => OpenAsync(site.Address);

    [Test]
    public async Task Index_ChairSignsIn_MedicineWithTheirOwnCardFirst()
    {
        await SignInAsync("scorecard", "ehayes@med.example.edu", "Eleanor Hayes");

        await Expect(Page).ToHaveURLAsync(new Regex($@"/scorecard/department\.html\?id={ScorecardSite.MedicineId}$"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Department of Medicine");
        var sections = await Page.Locator("main > section").EvaluateAllAsync<string[]>("sections => sections.map(s => s.id)");
        Assert.That(sections, Is.EqualTo(new[] { "own", "totals", "trend", "charts" }));
        await Expect(Page.Locator("#own h2")).ToHaveTextAsync("Your card");

        var card = await ApiJsonAsync($"/api/v1/scorecards/departments/{ScorecardSite.MedicineId}");
        Assert.That(card["suppressed"]!.GetValue<bool>(), Is.False);
        Assert.That(card["people"]!.GetValue<int>(), Is.EqualTo(6));
        Assert.That(card["own"]!["mailbox"]!.GetValue<string>(), Is.EqualTo("ehayes@med.example.edu"));
        await ExpectTilesAsync("#own", card["own"]!["totals"]!, ["index", "attempts", "heldShare", "deliveredAfterHours", "overrides", "medianHoldHours"]);
        await ExpectTilesAsync("#totals", card["totals"]!,
            ["index", "attempts", "heldShare", "deliveredAfterHours", "deliveredAfterHoursToTrainees", "overrides", "weekendAttempts", "holidayAttempts", "medianHoldHours"]);
        // Each measure is named and explained in a line.
        await Expect(Page.Locator("#totals .tile-definition")).ToHaveCountAsync(9);
        await Expect(Page.Locator("#totals [data-measure=heldShare] .tile-value")).ToHaveTextAsync(
            Percent(card["totals"]!["heldShare"]!.GetValue<double>()));
        await Expect(Page.Locator("#trend tbody tr")).ToHaveCountAsync(8);
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task DepartmentPage_ChairOfAnotherDepartment_403Page()
    {
        await SignInAsync("scorecard", "ehayes@med.example.edu", "Eleanor Hayes");

        var answer = Page.WaitForResponseAsync(r => r.Url.Contains($"/api/v1/scorecards/departments/{ScorecardSite.SurgeryId}", StringComparison.Ordinal));
        await Page.GotoAsync($"/scorecard/department.html?id={ScorecardSite.SurgeryId}");

        Assert.That((await answer).Status, Is.EqualTo(403));
        await Expect(Page.Locator(".error-page")).ToHaveAttributeAsync("data-status", "403");
        await Expect(Page.Locator(".error-code")).ToHaveTextAsync("403");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("You can't see this scorecard");
        await Expect(Page).ToHaveTitleAsync(new Regex("^403"));
        await Expect(Page.Locator(".tile")).ToHaveCountAsync(0);
        // The header still offers what the chair may see.
        await Expect(Page.Locator("nav a")).ToHaveTextAsync(["My card", "Department of Medicine"]);
    }

    [Test]
    public async Task DepartmentPage_Charts_EveryCanvasDrawn()
    {
        await SignInAsync("scorecard", "ehayes@med.example.edu", "Eleanor Hayes");
        await Expect(Page.Locator("main")).Not.ToHaveAttributeAsync("aria-busy", "true");

        var canvases = await Page.Locator("canvas").EvaluateAllAsync<string[]>("cs => cs.map(c => c.id)");
        Assert.That(canvases, Is.EqualTo(new[] { "own-chart", "charts-attempts", "charts-index", "charts-overrides" }));
        foreach (var id in canvases)
        {
            var drawn = await Page.EvaluateAsync<int>("""
                id => {
                  const canvas = document.getElementById(id);
                  const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
                  let painted = 0;
                  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
                  return painted;
                }
                """, id);
            // Axes and labels alone paint a few thousand pixels; bars, lines and areas many more.
            Assert.That(drawn, Is.GreaterThan(5000), $"canvas {id} is blank or nearly so ({drawn} pixels painted)");
        }
    }

    [Test]
    public async Task DownloadCsv_ChairsDepartment_TheApisCsvByteForByteAndTheJsonsNumbers()
    {
        await SignInAsync("scorecard", "ehayes@med.example.edu", "Eleanor Hayes");
        await Expect(Page.Locator("#download-csv")).ToBeEnabledAsync();

        var download = await Page.RunAndWaitForDownloadAsync(() => Page.Locator("#download-csv").ClickAsync());
        var downloaded = await ReadAsync(download);

        var card = await ApiJsonAsync($"/api/v1/scorecards/departments/{ScorecardSite.MedicineId}");
        var (from, to) = (card["from"]!.GetValue<string>(), card["to"]!.GetValue<string>());
        Assert.That(download.SuggestedFilename, Is.EqualTo($"boundaryguard-{ScorecardSite.MedicineId}-{from}-{to}.csv"));
        var api = await Context.APIRequest.GetAsync($"/api/v1/scorecards/departments/{ScorecardSite.MedicineId}?from={from}&to={to}&format=csv");
        Assert.That(api.Status, Is.EqualTo(200));
        Assert.That(downloaded, Is.EqualTo(await api.BodyAsync()));

        var rows = Encoding.UTF8.GetString(downloaded).TrimEnd('\n').Split('\n');
        var header = rows[0].Split(',');
        var weeks = card["weeks"]!.AsArray();
        Assert.That(rows, Has.Length.EqualTo(weeks.Count + 1));
        Assert.That(weeks, Has.Count.EqualTo(12));
        for (var i = 0; i < weeks.Count; i++)
        {
            var cells = header.Zip(rows[i + 1].Split(',')).ToDictionary(p => p.First, p => p.Second);
            var week = weeks[i]!;
            var m = week["measures"]!;
            Assert.That(cells["week"], Is.EqualTo(week["week"]!.GetValue<string>()));
            Assert.That(cells["monday"], Is.EqualTo(week["monday"]!.GetValue<string>()));
            Assert.That(cells["attempts"], Is.EqualTo(Number(m["attempts"])));
            Assert.That(cells["held"], Is.EqualTo(Number(m["held"])));
            Assert.That(cells["held_share"], Is.EqualTo(Number(m["heldShare"])));
            Assert.That(cells["delivered_after_hours"], Is.EqualTo(Number(m["deliveredAfterHours"])));
            Assert.That(cells["delivered_after_hours_to_trainees"], Is.EqualTo(Number(m["deliveredAfterHoursToTrainees"])));
            Assert.That(cells["overrides_patient_care"], Is.EqualTo(Number(m["overrides"]!["patient-care"])));
            Assert.That(cells["overrides_time_critical"], Is.EqualTo(Number(m["overrides"]!["time-critical"])));
            Assert.That(cells["overrides_recipient_asked"], Is.EqualTo(Number(m["overrides"]!["recipient-asked"])));
            Assert.That(cells["overrides_other"], Is.EqualTo(Number(m["overrides"]!["other"])));
            Assert.That(cells["weekend_attempts"], Is.EqualTo(Number(m["weekendAttempts"])));
            Assert.That(cells["holiday_attempts"], Is.EqualTo(Number(m["holidayAttempts"])));
            Assert.That(cells["sent_in_hours"], Is.EqualTo(Number(m["sentInHours"])));
            Assert.That(cells["released"], Is.EqualTo(Number(m["released"])));
            Assert.That(cells["median_hold_hours"], Is.EqualTo(Number(m["medianHoldHours"])));
            Assert.That(cells["index"], Is.EqualTo(Number(m["index"])));
        }

        // The seeded weeks (W44 to W49) carry the figures; the page's chart table shows the same ones.
        Assert.That(rows.Skip(7).Select(r => r.Split(',')[2]), Has.All.Not.EqualTo("0"));
        var attemptsColumn = await Page.Locator("#charts-attempts").Locator("xpath=ancestor::figure").Locator("tbody tr td:nth-child(2)").AllTextContentsAsync();
        Assert.That(attemptsColumn, Is.EqualTo(weeks.Select(w => Number(w!["measures"]!["attempts"])).ToArray()));
    }

    [Test]
    public async Task MePage_FacultySignsIn_TheirOwnCard()
    {
        await SignInAsync("scorecard", "mwebb@med.example.edu", "Marcus Webb");

        await Expect(Page).ToHaveURLAsync(new Regex(@"/scorecard/me\.html$"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Your card");
        var card = await ApiJsonAsync("/api/v1/scorecards/me");
        Assert.That(card["id"]!.GetValue<string>(), Is.EqualTo("mwebb@med.example.edu"));
        await ExpectTilesAsync("#own", card["totals"]!, ["index", "attempts", "heldShare", "deliveredAfterHours", "overrides"]);
        await Expect(Page.Locator("canvas")).ToHaveCountAsync(3);
        // A faculty member has no department view to open, and the department's API says so.
        await Expect(Page.Locator("nav a")).ToHaveTextAsync(["My card"]);
        var department = await Context.APIRequest.GetAsync($"/api/v1/scorecards/departments/{ScorecardSite.MedicineId}");
        Assert.That(department.Status, Is.EqualTo(403));
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task InstitutionPage_ItAdminSignsIn_TotalsAndEachDepartmentSurgeryWithheld()
    {
        await SignInAsync("scorecard", "it.admin@med.example.edu", "Irene Tran (IT administrator)");

        await Expect(Page).ToHaveURLAsync(new Regex(@"/scorecard/institution\.html$"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Institution");
        var card = await ApiJsonAsync("/api/v1/scorecards/institution");
        Assert.That(card["people"]!.GetValue<int>(), Is.EqualTo(10));
        await ExpectTilesAsync("#totals", card["totals"]!, ["index", "attempts", "heldShare", "deliveredAfterHours"]);
        var medicine = Page.Locator($"#departments tr[data-department={ScorecardSite.MedicineId}]");
        var summary = card["departmentSummaries"]!.AsArray().Single(d => d!["id"]!.GetValue<string>() == ScorecardSite.MedicineId)!;
        await Expect(medicine.Locator("td")).ToHaveTextAsync([
            "6",
            Number(summary["totals"]!["index"]),
            Number(summary["totals"]!["attempts"]),
            Percent(summary["totals"]!["heldShare"]!.GetValue<double>()),
            Number(summary["totals"]!["deliveredAfterHours"]),
        ]);
        await Expect(Page.Locator($"#departments tr[data-department={ScorecardSite.SurgeryId}] td")).ToHaveTextAsync("Withheld: fewer than 5 people");
        await Expect(Page.Locator("canvas")).ToHaveCountAsync(3);

        // IT opens any department from there; IT is not in it, so there is no card of its own.
        await medicine.Locator("a").ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Department of Medicine");
        await Expect(Page.Locator("#own")).ToHaveCountAsync(0);
        await Expect(Page.Locator("#totals .tile")).ToHaveCountAsync(9);
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task DepartmentPage_FourPeople_WithheldAndNoAggregatesButTheChairsOwnCard()
    {
        await SignInAsync("scorecard", "rlindqvist@med.example.edu", "Robert Lindqvist");

        await Expect(Page).ToHaveURLAsync(new Regex($@"/scorecard/department\.html\?id={ScorecardSite.SurgeryId}$"));
        await Expect(Page.Locator("#totals")).ToContainTextAsync("Withheld: fewer than 5 people.");
        await Expect(Page.Locator("#totals .tile")).ToHaveCountAsync(0);
        await Expect(Page.Locator("#trend")).ToHaveCountAsync(0);
        await Expect(Page.Locator("#charts")).ToHaveCountAsync(0);
        // Only the chair's own card is drawn.
        await Expect(Page.Locator("canvas")).ToHaveCountAsync(1);
        await Expect(Page.Locator("#own .tile")).ToHaveCountAsync(6);

        var download = await Page.RunAndWaitForDownloadAsync(() => Page.Locator("#download-csv").ClickAsync());
        var rows = Encoding.UTF8.GetString(await ReadAsync(download)).TrimEnd('\n').Split('\n');
        Assert.That(rows, Has.Length.EqualTo(1), "a withheld department's CSV has its header and no rows");
    }

    [Test]
    public async Task DepartmentPage_NotSignedIn_SignInPageThenBackToIt()
    {
        await Page.GotoAsync($"/scorecard/department.html?id={ScorecardSite.MedicineId}");

        await Expect(Page).ToHaveURLAsync(new Regex(@"/scorecard/signin\.html\?returnUrl="));
        await Page.Locator("button.person[data-mailbox='ehayes@med.example.edu']").ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex($@"/scorecard/department\.html\?id={ScorecardSite.MedicineId}$"));
        await Expect(Page.Locator("#own h2")).ToHaveTextAsync("Your card");

        await Page.Locator("form[action='/auth/signout'] button").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex(@"/scorecard/signin\.html\?signedout=1$"));
        var api = await Context.APIRequest.GetAsync("/api/v1/scorecards/me");
        Assert.That(api.Status, Is.EqualTo(401));
    }

    /// <summary>Each tile shows the API's value (its raw value in data-value, and as the person reads it).</summary>
    private async Task ExpectTilesAsync(string section, JsonNode measures, string[] keys)
    {
        foreach (var key in keys)
        {
            var tile = Page.Locator($"{section} .tile[data-measure={key}]");
            var value = key == "overrides"
                ? measures["overrides"]!.AsObject().Sum(p => p.Value!.GetValue<long>()).ToString(CultureInfo.InvariantCulture)
                : Number(measures[key]);
            await Expect(tile).ToHaveAttributeAsync("data-value", value);
            await Expect(tile.Locator("dt")).Not.ToBeEmptyAsync();
        }
    }

    private static async Task<byte[]> ReadAsync(IDownload download)
    {
        await using var stream = await download.CreateReadStreamAsync();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>A JSON number as the CSV and the data-value attributes write it (invariant; null as empty).</summary>
    private static string Number(JsonNode? node) => node is null ? "" : node.GetValue<double>().ToString(CultureInfo.InvariantCulture);

    private static string Percent(double share) => Math.Round(share * 100, MidpointRounding.AwayFromZero).ToString(CultureInfo.InvariantCulture) + "%";
}
