using BoundaryGuard.Service.Tests.Demo;
using Microsoft.AspNetCore.Mvc.Testing;

namespace BoundaryGuard.Service.Tests.Hosting;

/// <summary>
/// A site of pages as files: the service on its embedded sandbox, asked over HTTP by a client that leaves redirects
/// for the test to see. One service per test.
/// </summary>
public abstract class PageFilesTests
{
    private DemoApplication service = null!;

    protected HttpClient Client { get; private set; } = null!;

    [SetUp]
    public void StartService()
    {
        service = new DemoApplication(new() { ["Sandbox:Port"] = "0", ["Sandbox:DataFile"] = "" });
        Client = service.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
    }

    /// <summary>Served as <c>PageFolders</c> serves every page: 200, revalidated on each load, under the one Content-Security-Policy.</summary>
    protected static void AssertServedUnderThePolicy(HttpResponseMessage response, string mediaType = "text/html")
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo(mediaType));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("default-src 'self'; script-src 'self';"));
        Assert.That(response.Headers.CacheControl!.NoCache, Is.True);
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
    }

    [TearDown]
    public async Task StopServiceAsync()
    {
        Client.Dispose();
        await service.DisposeAsync();
    }
}
