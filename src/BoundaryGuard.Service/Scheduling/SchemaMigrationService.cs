using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BoundaryGuard.Service.Scheduling;

/// <summary>
/// Migrates in <see cref="StartingAsync"/>, which the host runs for every lifecycle service before any
/// hosted service's StartAsync, so Quartz (whose schema validation would refuse a missing table) never
/// starts against an old schema, whatever order the services were registered in.
/// </summary>
internal sealed partial class SchemaMigrationService(SchemaMigrator migrator, ILogger<SchemaMigrationService> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var applied = await migrator.MigrateAsync(cancellationToken).ConfigureAwait(false);
        foreach (var version in applied)
        {
            LogApplied(version);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduling schema migration {Version} applied")]
    private partial void LogApplied(int version);
}
