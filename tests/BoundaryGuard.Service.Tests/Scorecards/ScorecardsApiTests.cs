using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BoundaryGuard.Service.Scorecards;
using BoundaryGuard.Service.Tests.Holds;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace BoundaryGuard.Service.Tests.Scorecards;

/// <summary>
/// The scorecard API over seeded metrics: who may see what (the chair of the department or IT; everyone their own
/// card), the minimum group size, the measures' formulas, the trend, and CSV with the JSON's numbers.
/// </summary>
public sealed class ScorecardsApiTests
{
    private const string Medicine = "Department of Medicine";
    private const string MedicineChair = ScorecardSeed.MedicineChair;
    private const string SurgeryChair = ScorecardSeed.SurgeryChair;
    private const string Faculty = ScorecardSeed.Faculty;

    private HoldsWorld world = null!;
    private HoldsApp app = null!;

    [SetUp]
    public async Task SetUp()
    {
        world = await HoldsWorld.StartAsync(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(-5)));
        app = new HoldsApp(world);
    }

    [TearDown]
    public async Task TearDown()
    {
        await app.DisposeAsync();
        await world.DisposeAsync();
    }

    private Task SeedAsync() => ScorecardSeed.Week48Async(app.Services.GetRequiredService<IMetricStore>());

    private async Task<(HttpStatusCode Status, JsonObject? Body)> GetAsync(string mailbox, string role, string path)
    {
        using var client = app.ClientFor(mailbox, role);
        using var response = await client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonObject>());
    }

    [Test]
    public async Task Department_ItsChair_MeasuresByTheirFormulasAndTheirOwnCard()
    {
        await SeedAsync();

        var (status, card) = await GetAsync(MedicineChair, "chair", "/api/v1/scorecards/departments/department-of-medicine?from=2026-W48&to=2026-W48");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var totals = card!["totals"]!;
        Assert.Multiple(() =>
        {
            Assert.That(card["people"]!.GetValue<int>(), Is.EqualTo(6));
            Assert.That(card["suppressed"]!.GetValue<bool>(), Is.False);
            // 12 held + 2 delivered by the audit.
            Assert.That(totals["attempts"]!.GetValue<long>(), Is.EqualTo(14));
            Assert.That(totals["held"]!.GetValue<long>(), Is.EqualTo(12));
            Assert.That(totals["heldShare"]!.GetValue<double>(), Is.EqualTo(Math.Round(12.0 / 14, 4)));
            // The audit's two and the night override.
            Assert.That(totals["deliveredAfterHours"]!.GetValue<long>(), Is.EqualTo(3));
            Assert.That(totals["deliveredAfterHoursToTrainees"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(totals["overrides"]!["patient-care"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(totals["weekendAttempts"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(totals["medianHoldHours"]!.GetValue<double>(), Is.EqualTo(8.13), "8 h lies in the quarter hour 8:00–8:15");
            // 100 × (1 − (3 + 1) ÷ (2 × 14)) = 85.7
            Assert.That(totals["index"]!.GetValue<int>(), Is.EqualTo(86));
            Assert.That(card["own"]!["mailbox"]!.GetValue<string>(), Is.EqualTo(MedicineChair));
            Assert.That(card["own"]!["totals"]!["attempts"]!.GetValue<long>(), Is.EqualTo(2));
            Assert.That(card["weeks"]!.AsArray().Select(w => w!["week"]!.GetValue<string>()), Is.EqualTo(new[] { "2026-W48" }));
        });
    }

    [Test]
    public async Task Department_NamedLeadersOn_ItsChairSeesThePolicysLeadersByNameAndItNeverDoes()
    {
        await SeedAsync();
        await using var named = new HoldsApp(world, new() { ["Scorecard:NamedLeaders"] = "true" });
        using var chair = named.ClientFor(MedicineChair, "chair");
        using var it = named.ClientFor("it.admin@med.example.edu", "it-admin");
        const string path = "/api/v1/scorecards/departments/department-of-medicine?from=2026-W48&to=2026-W48";

        var forChair = await chair.GetFromJsonAsync<JsonObject>(path);
        var forIt = await it.GetFromJsonAsync<JsonObject>(path);
        var (_, withoutTheSetting) = await GetAsync(MedicineChair, "chair", path);

        // The shipped Medicine policy lists its chair and Marcus Webb as leaders.
        Assert.That(forChair!["leaders"]!.AsArray().Select(l => l!["mailbox"]!.GetValue<string>()), Is.EqualTo(new[] { MedicineChair, Faculty }));
        Assert.That(forChair["leaders"]![1]!["totals"]!["held"]!.GetValue<long>(), Is.EqualTo(2));
        Assert.That(forIt!["leaders"]!.AsArray(), Is.Empty);
        Assert.That(withoutTheSetting!["leaders"]!.AsArray(), Is.Empty);
    }

    [TestCase(SurgeryChair, "chair")]
    [TestCase(Faculty, "faculty")]
    public async Task Department_NotItsChairNorIt_Forbidden(string mailbox, string role)
    {
        var (status, problem) = await GetAsync(mailbox, role, "/api/v1/scorecards/departments/department-of-medicine");

        Assert.That(status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(problem!["title"], Is.Not.Null);
    }

    [Test]
    public async Task Department_ItAdmin_SeesItWithoutAnOwnCard()
    {
        await SeedAsync();

        var (status, card) = await GetAsync("it.admin@med.example.edu", "it-admin", "/api/v1/scorecards/departments/department-of-medicine?from=2026-11-23&to=2026-11-29");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(card!["totals"]!["attempts"]!.GetValue<long>(), Is.EqualTo(14));
        Assert.That(card["own"], Is.Null);
    }

    [Test]
    public async Task Department_FourPeople_NoAggregatesButTheChairsOwnCard()
    {
        await SeedAsync();

        var (status, card) = await GetAsync(SurgeryChair, "chair", "/api/v1/scorecards/departments/department-of-surgery?from=2026-W48&to=2026-W48");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(card!["people"]!.GetValue<int>(), Is.EqualTo(4));
        Assert.That(card["suppressed"]!.GetValue<bool>(), Is.True);
        Assert.That(card["totals"], Is.Null);
        Assert.That(card["weeks"]!.AsArray(), Is.Empty);
        Assert.That(card["trend"], Is.Null);
        Assert.That(card["own"]!["totals"]!["sentInHours"]!.GetValue<long>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Me_Faculty_OwnCardWithItsTrend()
    {
        await SeedAsync();

        var (status, card) = await GetAsync(Faculty, "faculty", "/api/v1/scorecards/me?from=2026-W45&to=2026-W48");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(card!["scope"]!.GetValue<string>(), Is.EqualTo("person"));
        Assert.That(card["totals"]!["held"]!.GetValue<long>(), Is.EqualTo(2));
        Assert.That(card["weeks"]!.AsArray(), Has.Count.EqualTo(4));
        Assert.That(card["trend"]!["current"]!["held"]!.GetValue<long>(), Is.EqualTo(2));
        Assert.That(card["trend"]!["previousFourWeeks"]!["held"]!.GetValue<long>(), Is.Zero);
    }

    [Test]
    public async Task Institution_ItAdmin_EveryDepartmentWithSmallOnesWithheld()
    {
        await SeedAsync();

        var (status, card) = await GetAsync("it.admin@med.example.edu", "it-admin", "/api/v1/scorecards/institution?from=2026-W48&to=2026-W48");
        var (forbidden, _) = await GetAsync(MedicineChair, "chair", "/api/v1/scorecards/institution");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(card!["people"]!.GetValue<int>(), Is.EqualTo(10));
        var departments = card["departmentSummaries"]!.AsArray();
        Assert.That(departments.Select(d => (d!["id"]!.GetValue<string>(), d["suppressed"]!.GetValue<bool>())),
            Is.EqualTo(new[] { ("department-of-medicine", false), ("department-of-surgery", true) }));
        Assert.That(forbidden, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Csv_SameRangeAsJson_TheJsonsWeeklyNumbers()
    {
        await SeedAsync();
        using var client = app.ClientFor(MedicineChair, "chair");

        var csv = await client.GetStringAsync("/api/v1/scorecards/departments/department-of-medicine?from=2026-W47&to=2026-W48&format=csv");
        var json = await client.GetFromJsonAsync<JsonObject>("/api/v1/scorecards/departments/department-of-medicine?from=2026-W47&to=2026-W48");

        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.That(lines, Has.Length.EqualTo(3));
        Assert.That(lines[0], Does.StartWith("week,monday,attempts,held,held_share,"));
        var week48 = lines[2].Split(',');
        var measures = json!["weeks"]![1]!["measures"]!;
        Assert.That(week48[0..5], Is.EqualTo(new[] { "2026-W48", "2026-11-23", "14", "12", "0.8571" }));
        Assert.That(week48[^1], Is.EqualTo(measures["index"]!.ToString()));
        Assert.That(lines[1], Does.StartWith("2026-W47,2026-11-16,0,0,,0,"), "an empty week: no share to divide");
    }

    [TestCase("?from=2026-W49&to=2026-W48", "from must not be after to")]
    [TestCase("?from=yesterday", "ISO week")]
    [TestCase("?from=2024-W01&to=2026-W48", "at most 104 weeks")]
    [TestCase("?format=pdf", "json or csv")]
    public async Task Department_BadQuery_ProblemSayingWhy(string query, string why)
    {
        var (status, problem) = await GetAsync(MedicineChair, "chair", "/api/v1/scorecards/departments/department-of-medicine" + query);

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain(why));
    }

    [Test]
    public async Task Department_Unknown_NotFound()
    {
        var (status, _) = await GetAsync("it.admin@med.example.edu", "it-admin", "/api/v1/scorecards/departments/department-of-nothing");

        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Anonymous_Unauthorized()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/api/v1/scorecards/me");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
