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

namespace BoundaryGuard.Service.Tests.Hosting;

/// <summary>The service with no Graph configured runs against a sandbox of its own; /healthz tells whether it can.</summary>
public sealed class EmbeddedGraphSandboxTests
{
    [Test]
    public async Task Healthz_NoGraphSection_EmbeddedSandboxAndEveryCheckHealthy()
    {
        await using var service = new ServiceApplication(new() { ["Sandbox:Port"] = "0" });

        var (status, checks) = await HealthzAsync(service);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(checks, Is.EqualTo(Checks(graph: "Healthy")));
        var sandbox = service.Services.GetRequiredService<RunningSandbox>();
        Assert.That(service.Services.GetRequiredService<IOptions<GraphOptions>>().Value.BaseUrl, Is.EqualTo(sandbox.GraphBaseUrl));
        Assert.That(File.Exists(Path.Combine(service.DataFolder, EmbeddedGraphSandbox.DataFileName)), Is.True);
    }

    [Test]
    public async Task Healthz_GraphConfiguredOnClosedPort_GraphUnhealthyAnd503()
    {
        await using var service = new ServiceApplication(new()
        {
            ["Graph:BaseUrl"] = $"http://127.0.0.1:{ClosedPort()}/v1.0/",
            ["Graph:Credential"] = "Sandbox",
            ["Graph:TenantId"] = "tests",
            ["Graph:ClientId"] = "tests",
            ["Graph:ClientSecret"] = "tests",
        });

        var (status, checks) = await HealthzAsync(service);

        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(checks, Is.EqualTo(Checks(graph: "Unhealthy")));
        Assert.That(service.Services.GetService<RunningSandbox>(), Is.Null);
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
    private static async Task<(HttpStatusCode Status, Dictionary<string, string> Checks)> HealthzAsync(ServiceApplication service)
    {
        await service.SchedulerRunningAsync();
        using var client = service.CreateClient();
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (response.StatusCode, body!["checks"]!.AsArray().ToDictionary(check => (string)check!["name"]!, check => (string)check!["status"]!));
    }

    private static Dictionary<string, string> Checks(string graph) => new()
    {
        ["database"] = "Healthy",
        ["scheduler"] = "Healthy",
        ["graph"] = graph,
    };

    /// <summary>A port nothing listens on: taken from the system, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
