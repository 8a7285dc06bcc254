using System.Net;
using BoundaryGuard.GraphSandbox.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace BoundaryGuard.GraphSandbox.Tests.Hosting;

public sealed class SandboxServerTests
{
    [Test]
    public async Task StartAsync_PortZero_ListensOnAFreeLoopbackPortUntilDisposed()
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        using var http = new HttpClient();

        var port = sandbox.BaseUrl.Port;
        using var before = await http.GetAsync(new Uri(sandbox.BaseUrl, "sandbox/report"));
        await sandbox.DisposeAsync();

        Assert.That(sandbox.BaseUrl.Host, Is.EqualTo("127.0.0.1"));
        Assert.That(port, Is.GreaterThan(0));
        Assert.That(sandbox.GraphBaseUrl.ToString(), Is.EqualTo($"http://127.0.0.1:{port}/v1.0/"));
        Assert.That(sandbox.TokenEndpoint("contoso").ToString(), Is.EqualTo($"http://127.0.0.1:{port}/contoso/oauth2/v2.0/token"));
        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Assert.ThatAsync(() => http.GetAsync(new Uri(sandbox.BaseUrl, "sandbox/report")), Throws.InstanceOf<HttpRequestException>());
    }

    [Test]
    public async Task Program_UnderWebApplicationFactory_ServesTheAdminApi()
    {
        // The same Program that `dotnet run` starts, hosted in memory: HTTP is not the point here.
        await using var factory = new WebApplicationFactory<BoundaryGuard.GraphSandbox.Program>();
        using var client = factory.CreateClient();

        using var badRate = await client.PutAsync(new Uri("/sandbox/faults", UriKind.Relative),
            new StringContent("{\"throttleRate\":1.5}", System.Text.Encoding.UTF8, "application/json"));
        using var notJson = await client.PutAsync(new Uri("/sandbox/faults", UriKind.Relative),
            new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        using var report = await client.GetAsync(new Uri("/sandbox/report", UriKind.Relative));

        Assert.That(badRate.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(notJson.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(report.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
