using System.Diagnostics;
using BoundaryGuard.Service.Scheduling;
using Quartz;

namespace BoundaryGuard.Service.Telemetry;

/// <summary>
/// A span around each run of a Quartz job, named for the job (<c>release-hold</c>), carrying the hold id: the Graph
/// calls the release makes are its children, so one trace shows a release from trigger to Sent Items.
/// </summary>
/// <remarks>
/// A Quartz job middleware (Quartz's <c>IQuartzBuilder.AddJobMiddleware</c>: "where a cross-cutting concern lives"),
/// so the thin job stays as it is. The hold id is a random GUID: it names no one.
/// </remarks>
internal sealed class JobTracing : IJobExecutionMiddleware
{
    public async ValueTask Invoke(IJobExecutionContext context, JobExecutionDelegate next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        using var activity = ServiceMetrics.Source.StartActivity(context.JobDetail.Key.Name, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("boundaryguard.hold.id", context.MergedJobDataMap.GetString(ReleaseHoldJob.HoldIdKey));
            activity.SetTag("boundaryguard.release.scheduled", context.ScheduledFireTimeUtc?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            activity.SetTag("boundaryguard.release.refire_count", context.RefireCount);
        }

        try
        {
            await next(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The type only: a message could quote whatever the failing code put in it.
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            activity?.SetTag("error.type", e.GetType().FullName);
            throw;
        }
    }
}

/// <summary>
/// Counts release triggers Quartz found overdue past its misfire threshold (after an outage, or a scheduler too busy
/// to fire on time). Each is still released, re-decided against the policy at that moment.
/// </summary>
internal sealed class MisfireCounter(ServiceMetrics metrics) : ITriggerListener
{
    public ValueTask TriggerMisfired(ITrigger trigger, IScheduler scheduler, CancellationToken cancellationToken)
    {
        metrics.Misfired();
        return default;
    }
}
