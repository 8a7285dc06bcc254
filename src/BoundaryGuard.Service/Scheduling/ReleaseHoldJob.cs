using Quartz;

namespace BoundaryGuard.Service.Scheduling;

/// <summary>
/// The one job type behind every hold: the hold id travels in the trigger's JobDataMap, and the trigger is
/// keyed by the hold id. One stored job instead of a job per hold keeps the job table constant-sized and
/// makes "move a hold" a trigger replacement, which the store does in one transaction.
/// </summary>
/// <remarks>
/// No <see cref="DisallowConcurrentExecutionAttribute"/>: it would serialize every release behind one job key.
/// A hold cannot run twice at once anyway: it has exactly one one-shot trigger, and the AdoJobStore acquires a
/// trigger and records it in qrtz_fired_triggers under its TRIGGER_ACCESS lock (a database row lock in a
/// PostgreSQL cluster, an in-process lock on SQLite), after which the fired trigger has no next fire time
/// and cannot be acquired again by this or any other node. The one window left is a reschedule that lands
/// while that hold's release is running: the new trigger may fire while the old firing finishes, which is
/// why the releaser confirms by immutable id before sending rather than trusting the scheduler for
/// exactly-once.
/// </remarks>
public sealed class ReleaseHoldJob(IHoldReleaser releaser) : IJob
{
    public static readonly JobKey Key = new("release-hold", "holds");

    internal const string HoldIdKey = "holdId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var holdId = Guid.Parse(context.MergedJobDataMap.GetString(HoldIdKey)!);
        try
        {
            await releaser.ReleaseAsync(holdId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Never refire: a refire would send again outside the releaser's exactly-once check and its
            // per-mailbox pacing, and could send after the working window closed. The releaser owns retries.
            throw new JobExecutionException($"Releasing hold {holdId} failed.", ex) { RefireImmediately = false };
        }
    }
}
