using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BoundaryGuard.Service.Tests.Holds;
using BoundaryGuard.Service.Tests.Hosting;

namespace BoundaryGuard.Service.Tests.Health;

/// <summary>The probes orchestrators call: live answers while the process runs; ready only when the service can work.</summary>
public sealed class HealthProbeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(-5));

    [Test]
    public async Task Ready_EverythingInPlace_200AndEachCheckHealthy()
    {
        await using var world = await HoldsWorld.StartAsync(Now);
        await using var app = new HoldsApp(world);

        var (status, checks) = await ProbeAsync(app, "/healthz/ready");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(checks, Is.EqualTo(new Dictionary<string, string> { ["database"] = "Healthy", ["scheduler"] = "Healthy", ["graph"] = "Healthy" }));
    }

    [Test]
    public async Task Probes_GraphUnreachable_ReadyIs503AndLiveStays200()
    {
        await using var world = await HoldsWorld.StartAsync(Now);
        await using var app = new HoldsApp(world, new() { ["Graph:BaseUrl"] = $"http://127.0.0.1:{ServerAddress.FreePort()}/v1.0/" });

        var (ready, checks) = await ProbeAsync(app, "/healthz/ready");
        var (live, none) = await ProbeAsync(app, "/healthz/live");

        Assert.That(ready, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(checks["graph"], Is.EqualTo("Unhealthy"));
        Assert.That(live, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(none, Is.Empty, "liveness asks no dependency");
    }

    [Test]
    public async Task Ready_SchemaBehindThisBuild_503NamingTheDatabase()
    {
        await using var world = await HoldsWorld.StartAsync(Now);
        await using var app = new HoldsApp(world);
        await ProbeAsync(app, "/healthz/ready");
        // As if an older node had migrated the database, or a migration were rolled back.
        world.Query("DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations) RETURNING version", _ => { });

        var (status, checks) = await ProbeAsync(app, "/healthz/ready");

        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(checks["database"], Is.EqualTo("Unhealthy"));
    }

    private static async Task<(HttpStatusCode Status, Dictionary<string, string> Checks)> ProbeAsync(HoldsApp app, string path)
    {
        using var client = app.CreateClient();
        await Eventually.TrueAsync(async () =>
        {
            using var ready = await client.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
            var body = await ready.Content.ReadFromJsonAsync<JsonObject>();
            return body!["checks"]!.AsArray().Any(c => (string)c!["name"]! == "scheduler" && (string)c["status"]! == "Healthy");
        }, "the scheduler to run", seconds: 20);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var json = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (response.StatusCode, json!["checks"]!.AsArray().ToDictionary(c => (string)c!["name"]!, c => (string)c!["status"]!));
    }
}
