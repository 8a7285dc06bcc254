using System.Net;
using BoundaryGuard.Service.Tests.Holds;

namespace BoundaryGuard.Service.Tests.Addin;

/// <summary>
/// The add-in's API across origins: its own origin (that of Addin:BaseUrl) and no other may call it, with the methods and
/// headers the add-in sends and no credentials; the other APIs and pages take no cross-origin calls at all.
/// </summary>
public sealed class AddinCorsTests
{
    private const string AddinOrigin = "https://boundaryguard.med.example.edu";
    private const string Sender = "mwebb@med.example.edu";

    private HoldsWorld world = null!;

    [SetUp]
    public async Task SetUp() => world = await HoldsWorld.StartAsync(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(-5)));

    [TearDown]
    public async Task TearDown() => await world.DisposeAsync();

    private HoldsApp App(string? baseUrl = AddinOrigin + "/") => new(world, new()
    {
        ["Addin:BaseUrl"] = baseUrl,
        ["Addin:ApiBaseUrl"] = baseUrl is null ? null : "https://api.boundaryguard.med.example.edu",
    });

    [TestCase("/api/v1/holds", "POST")]
    [TestCase("/api/v1/policy/me", "POST")]
    [TestCase("/api/v1/holds/0f8f6c4e-5d7b-4a39-9a43-3f1e2b7c9d10", "DELETE")]
    public async Task Preflight_FromTheAddinsOrigin_ItsMethodsAndHeadersForTwoHoursWithoutCredentials(string path, string method)
    {
        await using var app = App();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(Preflight(path, AddinOrigin, method));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(Header(response, "Access-Control-Allow-Origin"), Is.EqualTo(AddinOrigin));
        Assert.That(Header(response, "Access-Control-Allow-Methods"), Is.EqualTo("GET,POST,DELETE"));
        Assert.That(Header(response, "Access-Control-Allow-Headers"), Is.EqualTo("Authorization,Content-Type,Accept"));
        Assert.That(Header(response, "Access-Control-Max-Age"), Is.EqualTo("7200"));
        Assert.That(Header(response, "Access-Control-Allow-Credentials"), Is.Null);
        Assert.That(Header(response, "Vary"), Is.EqualTo("Origin"));
    }

    [TestCase("https://evil.example.com")]
    [TestCase("http://boundaryguard.med.example.edu")]
    [TestCase("https://boundaryguard.med.example.edu:8443")]
    [TestCase("https://api.boundaryguard.med.example.edu")]
    public async Task PreflightAndGet_FromAnotherOrigin_NoAllowOrigin(string origin)
    {
        await using var app = App();
        using var client = app.ClientFor(Sender);

        using var preflight = await client.SendAsync(Preflight("/api/v1/holds", origin, "POST"));
        using var get = await client.SendAsync(Request(HttpMethod.Get, "/api/v1/holds", origin));

        Assert.That(Header(preflight, "Access-Control-Allow-Origin"), Is.Null);
        Assert.That(Header(preflight, "Access-Control-Allow-Methods"), Is.Null);
        Assert.That(Header(preflight, "Vary"), Is.EqualTo("Origin"));
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the browser, not the service, keeps the answer from the page");
        Assert.That(Header(get, "Access-Control-Allow-Origin"), Is.Null);
        Assert.That(Header(get, "Vary"), Is.EqualTo("Origin"));
    }

    [Test]
    public async Task Get_FromTheAddinsOriginWithAToken_AllowedOriginAndNoCredentials()
    {
        await using var app = App();
        using var client = app.ClientFor(Sender);

        using var response = await client.SendAsync(Request(HttpMethod.Get, "/api/v1/holds", AddinOrigin));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Header(response, "Access-Control-Allow-Origin"), Is.EqualTo(AddinOrigin));
        Assert.That(Header(response, "Access-Control-Allow-Credentials"), Is.Null);
        Assert.That(Header(response, "Vary"), Is.EqualTo("Origin"));
    }

    [Test]
    public async Task Get_FromTheAddinsOriginWithoutAToken_Unauthorized()
    {
        await using var app = App();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(Request(HttpMethod.Get, "/api/v1/holds", AddinOrigin));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("http://localhost")]
    [TestCase(AddinOrigin)]
    public async Task PreflightAndGet_NoBaseUrl_NoOriginAllowed(string origin)
    {
        await using var app = App(baseUrl: null);
        using var client = app.ClientFor(Sender);

        using var preflight = await client.SendAsync(Preflight("/api/v1/holds", origin, "POST"));
        using var get = await client.SendAsync(Request(HttpMethod.Get, "/api/v1/holds", origin));

        Assert.That(Header(preflight, "Access-Control-Allow-Origin"), Is.Null);
        Assert.That(Header(get, "Access-Control-Allow-Origin"), Is.Null);
    }

    [TestCase("/api/v1/scorecards/me")]
    [TestCase("/api/v1/admin/calendars")]
    [TestCase("/auth/session")]
    [TestCase("/addin/taskpane.html")]
    [TestCase("/scorecard/")]
    public async Task Preflight_NotTheAddinsApi_NoCors(string path)
    {
        await using var app = App();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(Preflight(path, AddinOrigin, "GET"));

        Assert.That(Header(response, "Access-Control-Allow-Origin"), Is.Null);
        Assert.That(Header(response, "Access-Control-Allow-Methods"), Is.Null);
    }

    private static HttpRequestMessage Preflight(string path, string origin, string method)
    {
        var request = Request(HttpMethod.Options, path, origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string origin)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Origin", origin);
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
}
