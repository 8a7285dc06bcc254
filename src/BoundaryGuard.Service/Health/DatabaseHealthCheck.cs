using BoundaryGuard.Service.Scheduling;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Health;

/// <summary>The scheduling database answers a query (a connection is opened for it, as a release would).</summary>
internal sealed class DatabaseHealthCheck(IOptions<SchedulingOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        try
        {
            await using var connection = SchemaMigrator.Open(settings);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{settings.Provider} database answered.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The connection string may hold a password, and driver messages may repeat parts of it: type only.
            return HealthCheckResult.Unhealthy($"{settings.Provider} database did not answer: {ex.GetType().Name}.", ex);
        }
    }
}
