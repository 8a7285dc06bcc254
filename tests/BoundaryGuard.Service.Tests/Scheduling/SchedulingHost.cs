using BoundaryGuard.Service.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BoundaryGuard.Service.Tests.Scheduling;

/// <summary>
/// A host composed exactly as Program.cs composes scheduling, with the clock and the releaser swapped. One
/// per process lifetime in a test: stopping it and starting another on the same database is a restart.
/// </summary>
internal sealed class SchedulingHost : IAsyncDisposable
{
    private readonly IHost host;

    private SchedulingHost(IHost host) => this.host = host;

    public IHoldScheduler Scheduler => host.Services.GetRequiredService<IHoldScheduler>();

    public static IHost Build(SchedulingTarget target, TimeProvider clock, IHoldReleaser releaser, bool? clustered = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(target.Settings(clustered));
        builder.Services.AddLogging();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton(releaser);
        builder.AddHoldScheduling();
        return builder.Build();
    }

    public static async Task<SchedulingHost> StartAsync(SchedulingTarget target, TimeProvider clock, IHoldReleaser releaser)
    {
        var host = Build(target, clock, releaser);
        await host.StartAsync();
        return new SchedulingHost(host);
    }

    /// <summary>Stops like a graceful shutdown: Quartz waits for in-flight releases before returning.</summary>
    public async Task StopAsync() => await host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
