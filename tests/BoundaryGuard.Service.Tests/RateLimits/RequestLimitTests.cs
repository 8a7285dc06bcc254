using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BoundaryGuard.Service.Tests.Holds;

namespace BoundaryGuard.Service.Tests.RateLimits;

/// <summary>A caller over their budget gets 429 with Retry-After and nothing done, other callers unaffected; an oversized body 413.</summary>
public sealed class RequestLimitTests
{
    private const string Faculty = "mwebb@med.example.edu";
    private const string Colleague = "praman@med.example.edu";
    private static readonly DateTimeOffset FridayNight = new(2026, 12, 4, 23, 40, 0, TimeSpan.FromHours(-5));

    [Test]
    public async Task AddinApi_OverTheCallersBudget_429WithRetryAfterAndNothingHeld()
    {
        await using var world = await HoldsWorld.StartAsync(FridayNight);
        await using var app = new HoldsApp(world, new() { ["RateLimits:AddinPerCallerPerMinute"] = "3" });
        using var client = app.ClientFor(Faculty);
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await client.GetAsync(new Uri("/api/v1/holds", UriKind.Relative));
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var draft = await world.CreateDraftAsync(Faculty, "jlee@med.example.edu");
        using var refused = await client.PostAsJsonAsync("/api/v1/holds", new { mailbox = Faculty, messageId = draft });
        var problem = await refused.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), Is.InRange(1, 60));
        Assert.That(problem!["detail"]!.GetValue<string>(), Does.Contain("nothing was done"));
        Assert.That(world.HoldStates(), Is.Empty);
    }

    [Test]
    public async Task AddinApi_OneCallerOverBudget_AnotherCallerStillServed()
    {
        await using var world = await HoldsWorld.StartAsync(FridayNight);
        await using var app = new HoldsApp(world, new() { ["RateLimits:AddinPerCallerPerMinute"] = "2" });
        using var busy = app.ClientFor(Faculty);
        using var other = app.ClientFor(Colleague);
        for (var i = 0; i < 3; i++)
        {
            using var _ = await busy.GetAsync(new Uri("/api/v1/deferrals", UriKind.Relative));
        }

        using var busyAgain = await busy.PostAsJsonAsync("/api/v1/policy/me", new { recipients = Array.Empty<string>() });
        using var otherFirst = await other.GetAsync(new Uri("/api/v1/holds", UriKind.Relative));

        Assert.That(busyAgain.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(otherFirst.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task AdminApi_OverTheCallersBudget_429()
    {
        await using var world = await HoldsWorld.StartAsync(FridayNight);
        await using var app = new HoldsApp(world, new() { ["RateLimits:AdminPerCallerPerMinute"] = "2" });
        using var admin = app.ClientFor("it.admin@med.example.edu", "it-admin");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await admin.GetAsync(new Uri("/api/v1/admin/calendars", UriKind.Relative));
            statuses.Add(response.StatusCode);
        }

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
    }

    [Test]
    public async Task AddinApi_BodyOverItsLimit_413BeforeItIsRead()
    {
        await using var world = await HoldsWorld.StartAsync(FridayNight);
        await using var app = new HoldsApp(world, listen: true);
        using var client = new HttpClient { BaseAddress = app.Address };
        client.DefaultRequestHeaders.Authorization = new("Bearer", HoldsWorld.Token(Faculty));
        var padding = new string('x', BoundaryGuard.Service.Holds.HoldsApi.MaxBodyBytes);

        using var response = await client.PostAsJsonAsync("/api/v1/holds", new { mailbox = Faculty, messageId = padding });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(world.HoldStates(), Is.Empty);
    }
}
