using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BoundaryGuard.Service.Tests.Holds;

namespace BoundaryGuard.Service.Tests.Calendars;

/// <summary>
/// Every admin endpoint the OpenAPI document names, every method: 401 without credentials, 403 for faculty and
/// chairs; found from the document, so an endpoint added later is covered without a line here.
/// </summary>
public sealed class AdminAuthorizationTests
{
    private HoldsWorld world = null!;
    private HoldsApp app = null!;

    [OneTimeSetUp]
    public async Task SetUp()
    {
        world = await HoldsWorld.StartAsync(new DateTimeOffset(2026, 12, 4, 23, 30, 0, TimeSpan.FromHours(-5)));
        app = new HoldsApp(world);
    }

    [OneTimeTearDown]
    public async Task TearDown()
    {
        await app.DisposeAsync();
        await world.DisposeAsync();
    }

    [Test]
    public async Task AdminEndpoints_AnonymousFacultyAndChair_401Then403()
    {
        using var anonymous = app.CreateClient();
        using var reader = app.ClientFor("mwebb@med.example.edu", "faculty");
        var document = await reader.GetFromJsonAsync<JsonObject>("/openapi/v1.json");
        var endpoints = document!["paths"]!.AsObject()
            .Where(p => p.Key.StartsWith("/api/v1/admin/", StringComparison.Ordinal))
            .SelectMany(p => p.Value!.AsObject().Select(m => (Method: new HttpMethod(m.Key.ToUpperInvariant()), Path: p.Key)))
            .ToList();
        using var faculty = app.ClientFor("mwebb@med.example.edu", "faculty");
        using var chair = app.ClientFor("ehayes@med.example.edu", "chair");
        using var it = app.ClientFor("it@med.example.edu", "it-admin");

        var answers = new List<string>();
        foreach (var (method, path) in endpoints)
        {
            // Placeholders filled with values that exist, so a 404 could not hide a missing check.
            var url = path.Replace("{id}", "main-campus", StringComparison.Ordinal).Replace("{date}", "2026-12-24", StringComparison.Ordinal)
                .Replace("{name}", "x.ics", StringComparison.Ordinal);
            foreach (var (client, expected) in new[] { (anonymous, HttpStatusCode.Unauthorized), (faculty, HttpStatusCode.Forbidden), (chair, HttpStatusCode.Forbidden) })
            {
                using var request = new HttpRequestMessage(method, url) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
                using var response = await client.SendAsync(request);
                if (response.StatusCode != expected)
                {
                    answers.Add($"{method} {url}: {(int)response.StatusCode}, expected {(int)expected}");
                }
            }
        }

        using var listed = await it.GetAsync("/api/v1/admin/calendars");
        Assert.That(endpoints, Has.Count.GreaterThanOrEqualTo(15), "the document lists the admin API");
        Assert.That(answers, Is.Empty);
        Assert.That(listed.StatusCode, Is.EqualTo(HttpStatusCode.OK), "an IT admin gets in");
    }
}
