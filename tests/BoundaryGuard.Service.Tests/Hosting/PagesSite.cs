using BoundaryGuard.Service.Tests.Demo;

namespace BoundaryGuard.Service.Tests.Hosting;

/// <summary>
/// The demo host (the service with its embedded Graph sandbox and the demo sign-in), on Kestrel at a loopback
/// port a browser can reach, its clock started at a fixed instant and running at real speed: what the browser tests of
/// the scorecard and the admin pages drive.
/// </summary>
internal sealed class PagesSite : IAsyncDisposable
{
    private readonly DemoApplication service;

    private PagesSite(DemoApplication service, Uri address)
    {
        this.service = service;
        Address = address;
    }

    /// <summary>The service's address, e.g. http://127.0.0.1:40123/.</summary>
    public Uri Address { get; }

    public IServiceProvider Services => service.Services;

    public static async Task<PagesSite> StartAsync(DateTimeOffset now)
    {
        var service = new DemoApplication(new()
        {
            ["Sandbox:Port"] = "0",
            ["Sandbox:DataFile"] = "",
            ["Demo:StartAt"] = now.ToString("O"),
            ["Demo:ClockSpeed"] = "1",
        });
        service.UseKestrel(0);
        service.StartServer();
        await service.SchedulerRunningAsync();
        return new PagesSite(service, ServerAddress.Loopback(service.Services));
    }

    public ValueTask DisposeAsync() => service.DisposeAsync();
}
