using BoundaryGuard.Service.Scheduling;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Health;

/// <summary>The database answers (a connection is opened for it, as a release would) and has every migration this build ships.</summary>
internal sealed class DatabaseHealthCheck(IOptions<SchedulingOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        try
        {
            var pending = await SchemaMigrator.PendingAsync(settings, cancellationToken).ConfigureAwait(false);
            return pending.Count == 0
                ? HealthCheckResult.Healthy($"{settings.Provider} database answered; schema current.")
                : HealthCheckResult.Unhealthy($"{settings.Provider} database answered; {pending.Count} migration(s) not applied yet (from {pending[0].Name}).");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The connection string may hold a password, and driver messages may repeat parts of it: type only.
            return HealthCheckResult.Unhealthy($"{settings.Provider} database did not answer: {ex.GetType().Name}.", ex);
        }
    }
}
