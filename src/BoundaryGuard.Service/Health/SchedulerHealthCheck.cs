using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace BoundaryGuard.Service.Health;

/// <summary>Quartz is running (started, not shut down, not in standby), so due releases fire.</summary>
internal sealed class SchedulerHealthCheck(ISchedulerFactory schedulerFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken).ConfigureAwait(false);
        // Quartz 4.7 keeps the whole lifecycle in one status, asked asynchronously on a request path.
        var status = await scheduler.GetStatus(cancellationToken).ConfigureAwait(false);
        return status == SchedulerStatus.Running
            ? HealthCheckResult.Healthy("Scheduler is running.")
            : HealthCheckResult.Unhealthy($"Scheduler is {status}; no release fires.");
    }
}
