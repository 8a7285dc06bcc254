using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace BoundaryGuard.Service.Tests.Holds;

/// <summary>
/// <c>/api/v1/deferrals</c>: the add-in reports the sends Outlook delayed itself while the service was out of reach.
/// A report is stored once however often it is repeated, bad input changes nothing, and each user sees their own.
/// </summary>
public sealed class DeferralsApiTests
{
    private const string Sender = "mwebb@med.example.edu";
    private const string Colleague = "sokafor@med.example.edu";

    private static readonly DateTimeOffset SaturdayMorning = new(2026, 12, 5, 9, 0, 0, TimeSpan.FromHours(-5));

    private HoldsWorld world = null!;
    private HoldsApp app = null!;

    [SetUp]
    public async Task SetUp()
    {
        world = await HoldsWorld.StartAsync(SaturdayMorning);
        app = new HoldsApp(world);
    }

    [TearDown]
    public async Task TearDown()
    {
        await app.DisposeAsync();
        await world.DisposeAsync();
    }

    private static object Report(Guid id, string mailbox = Sender) => new
    {
        id,
        mailbox,
        deferredAt = "2026-12-04T23:40:00.000Z",
        releaseAt = "2026-12-07T12:00:00.000Z",
        reasons = new[] { "after-hours", "recipient-off-hours" },
        cause = "timeout",
    };

    [Test]
    public async Task Post_NewReport_CreatedAndListedInThePolicyZone()
    {
        var id = Guid.NewGuid();
        using var client = app.ClientFor(Sender);

        using var response = await client.PostAsJsonAsync("/api/v1/deferrals", Report(id));
        var listed = await client.GetFromJsonAsync<JsonArray>("/api/v1/deferrals");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(listed, Has.Count.EqualTo(1));
        var deferral = listed![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(deferral["id"]!.GetValue<Guid>(), Is.EqualTo(id));
            Assert.That(deferral["deferredAt"]!.GetValue<string>(), Is.EqualTo("2026-12-04T18:40:00-05:00"));
            Assert.That(deferral["releaseAt"]!.GetValue<string>(), Is.EqualTo("2026-12-07T07:00:00-05:00"));
            Assert.That(deferral["reportedAt"]!.GetValue<string>(), Is.EqualTo("2026-12-05T09:00:00-05:00"));
            Assert.That(deferral["reasons"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EqualTo(new[] { "after-hours", "recipient-off-hours" }));
            Assert.That(deferral["cause"]!.GetValue<string>(), Is.EqualTo("timeout"));
        });
    }

    [Test]
    public async Task Post_SameReportTwice_OkTheSecondTimeAndStoredOnce()
    {
        var id = Guid.NewGuid();
        using var client = app.ClientFor(Sender);

        using var first = await client.PostAsJsonAsync("/api/v1/deferrals", Report(id));
        using var again = await client.PostAsJsonAsync("/api/v1/deferrals", Report(id));

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await app.Store.ListDeferralsByMailboxAsync(Sender, 10, default), Has.Count.EqualTo(1));
    }

    [TestCase("id", null)]
    [TestCase("mailbox", null)]
    [TestCase("deferredAt", null)]
    [TestCase("deferredAt", "2026-12-05T15:00:00Z")]
    [TestCase("releaseAt", null)]
    [TestCase("releaseAt", "2026-12-04T23:00:00Z")]
    [TestCase("reasons", "[\"late\"]")]
    [TestCase("cause", "\"bad-luck\"")]
    public async Task Post_BadField_ValidationProblemNamingItAndNothingStored(string field, string? value)
    {
        var report = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Report(Guid.NewGuid())))!.AsObject();
        report[field] = value is null ? null : value.StartsWith('[') || value.StartsWith('"') ? JsonNode.Parse(value) : value;
        using var client = app.ClientFor(Sender);

        using var response = await client.PostAsJsonAsync("/api/v1/deferrals", report);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem!["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { field }));
        Assert.That(await app.Store.ListDeferralsByMailboxAsync(Sender, 10, default), Is.Empty);
    }

    [Test]
    public async Task Post_AnotherPersonsMailbox_ForbiddenAndNothingStored()
    {
        using var client = app.ClientFor(Colleague);

        using var response = await client.PostAsJsonAsync("/api/v1/deferrals", Report(Guid.NewGuid(), Sender));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await app.Store.ListDeferralsByMailboxAsync(Sender, 10, default), Is.Empty);
    }

    [Test]
    public async Task Get_OnlyTheCallersOwn()
    {
        using var sender = app.ClientFor(Sender);
        using var colleague = app.ClientFor(Colleague);
        using var posted = await sender.PostAsJsonAsync("/api/v1/deferrals", Report(Guid.NewGuid()));

        var theirs = await colleague.GetFromJsonAsync<JsonArray>("/api/v1/deferrals");

        Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(theirs, Is.Empty);
    }
}
