using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace BoundaryGuard.GraphSandbox.Hosting;

/// <summary>
/// Starts the sandbox inside the calling process on a real Kestrel port on 127.0.0.1, exactly as <c>dotnet run</c>
/// composes it (same <c>Program</c> table of contents), for tests and for the service's demo.
/// </summary>
/// <remarks>
/// <para><b>The clock.</b> Pass a <see cref="TimeProvider"/> to drive token expiry, rate windows, Retry-After windows,
/// injected latency and every timestamp. With a FakeTimeProvider that the test does not advance, time stands still:
/// a 429's Retry-After window never ends, so a client that honours Retry-After (the Graph SDK does) waits on the real
/// clock and then is counted as ignoring the window, and injected latency never completes. Advance the fake clock by
/// the Retry-After (or latency) before the client's next request, or leave <paramref name="clock"/> null for the
/// system clock when a real client with real retries runs against the sandbox.</para>
/// </remarks>
public static class SandboxServer
{
    /// <summary>Starts a sandbox; dispose the result to stop it.</summary>
    /// <param name="options">Settings; <see cref="SandboxOptions.Port"/> 0 picks a free port.</param>
    /// <param name="clock">The clock (null: the system clock).</param>
    /// <param name="ct">Cancels the start.</param>
    public static async Task<RunningSandbox> StartAsync(SandboxOptions options, TimeProvider? clock = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SandboxServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
        Program.AddSandboxServices(builder, options, clock);
        var app = builder.Build();
        Program.UseSandbox(app);
        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningSandbox(app, new Uri(address.TrimEnd('/') + "/"));
    }
}

/// <summary>A sandbox started by <see cref="SandboxServer.StartAsync"/>; <see cref="DisposeAsync"/> stops it.</summary>
public sealed class RunningSandbox : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _stopped;

    internal RunningSandbox(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Graph's base, <c>{BaseUrl}v1.0/</c>: give this to the Graph SDK as its base URL.</summary>
    public Uri GraphBaseUrl => new(BaseUrl, "v1.0/");

    /// <summary>The client-credentials token endpoint for a tenant (any tenant name is accepted).</summary>
    public Uri TokenEndpoint(string tenant = "sandbox") => new(BaseUrl, $"{Uri.EscapeDataString(tenant)}/oauth2/v2.0/token");

    /// <summary>The sandbox's services, for tests that look at the state directly.</summary>
    public IServiceProvider Services => _app.Services;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
