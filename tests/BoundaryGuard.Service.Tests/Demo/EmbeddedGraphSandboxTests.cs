using BoundaryGuard.Demo;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using BoundaryGuard.Graph;
using BoundaryGuard.Service.Hosting;
using BoundaryGuard.GraphSandbox.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Tests.Demo;

/// <summary>The demo runs the service against a sandbox of its own, and never against a real tenant.</summary>
public sealed class EmbeddedGraphSandboxTests
{
    [Test]
    public async Task Healthz_NoGraphSection_EmbeddedSandboxAndEveryCheckHealthy()
    {
        await using var service = new DemoApplication(new() { ["Sandbox:Port"] = "0" });

        var (status, checks) = await HealthzAsync(service);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(checks, Is.EqualTo(Checks(graph: "Healthy")));
        var sandbox = service.Services.GetRequiredService<RunningSandbox>();
        Assert.That(service.Services.GetRequiredService<IOptions<GraphOptions>>().Value.BaseUrl, Is.EqualTo(sandbox.GraphBaseUrl));
        Assert.That(File.Exists(Path.Combine(service.DataFolder, EmbeddedGraphSandbox.DataFileName)), Is.True);
    }

    [Test]
    public void Main_GraphSettings_RefusesToRunOnARealTenant()
    {
        var exit = DemoProgram.Main(["--Graph:TenantId=6f1c0000-0000-4000-8000-000000000001"]);

        Assert.That(exit, Is.Not.Zero);
    }

    [Test]
    public void DefaultDataFile_SqliteDatabaseElsewhere_BesideTheDatabase()
    {
        var folder = Path.Combine(Path.GetTempPath(), "bg-elsewhere");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Scheduling:ConnectionString"] = $"Data Source={Path.Combine(folder, "state.db")}" })
            .Build();

        Assert.That(EmbeddedGraphSandbox.DefaultDataFile(configuration), Is.EqualTo(Path.Combine(folder, EmbeddedGraphSandbox.DataFileName)));
    }

    /// <summary>The status code and each check's status by name, once the service has fully started.</summary>
    private static async Task<(HttpStatusCode Status, Dictionary<string, string> Checks)> HealthzAsync(DemoApplication service)
    {
        await service.SchedulerRunningAsync();
        using var client = service.CreateClient();
        using var response = await client.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (response.StatusCode, body!["checks"]!.AsArray().ToDictionary(check => (string)check!["name"]!, check => (string)check!["status"]!));
    }

    private static Dictionary<string, string> Checks(string graph) => new()
    {
        ["database"] = "Healthy",
        ["scheduler"] = "Healthy",
        ["graph"] = graph,
    };
}
