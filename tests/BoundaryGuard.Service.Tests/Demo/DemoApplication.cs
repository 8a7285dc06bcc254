using BoundaryGuard.Demo;
using System.Diagnostics;
using BoundaryGuard.Service.Scheduling;
using BoundaryGuard.Service.Tests.Scheduling;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace BoundaryGuard.Service.Tests.Demo;

/// <summary>
/// The demo host as its <see cref="DemoProgram"/> composes it (the whole service, the embedded sandbox, the demo's
/// sign-in), on its own SQLite file in a temp folder and its own scheduler name, plus whatever
/// <paramref name="settings"/> add. Nothing is swapped.
/// </summary>
internal sealed class DemoApplication(Dictionary<string, string?> settings) : WebApplicationFactory<DemoProgram>
{
    private readonly SchedulingTarget target = SchedulingTarget.Create(SchedulingProvider.Sqlite);

    /// <summary>The temp folder holding the database (and the embedded sandbox's data file, by default).</summary>
    public string DataFolder => Path.GetDirectoryName(new SqliteConnectionStringBuilder(target.ConnectionString).DataSource)!;

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // Host configuration, not app configuration: the demo host reads Graph, Sandbox and Scheduling while it registers
        // services, before app configuration from the factory is applied (dotnet/aspnetcore#37680).
        builder.ConfigureHostConfiguration(configuration =>
            configuration.AddInMemoryCollection(target.Settings().Concat(settings)));
        return base.CreateHost(builder);
    }

    /// <summary>
    /// Starts the service and waits (in real time, with a guard) for Quartz: it starts its scheduler only once the
    /// application has started, a moment after the host's start returns, and until then /healthz/ready rightly says 503.
    /// </summary>
    public async Task SchedulerRunningAsync()
    {
        var scheduler = await Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var guard = Stopwatch.StartNew();
        while (await scheduler.GetStatus() != SchedulerStatus.Running && guard.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(20);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        target.Dispose();
    }
}
