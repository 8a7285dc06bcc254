using Quartz;

namespace BoundaryGuard.Service.Scheduling;

internal sealed class QuartzHoldScheduler(ISchedulerFactory schedulerFactory) : IHoldScheduler
{
    private const string TriggerGroup = "holds";

    public async Task ScheduleAsync(Guid holdId, DateTimeOffset releaseAt, CancellationToken cancellationToken)
    {
        var trigger = TriggerBuilder.Create()
            .WithIdentity(KeyOf(holdId))
            .ForJob(ReleaseHoldJob.Key)
            .UsingJobData(ReleaseHoldJob.HoldIdKey, holdId.ToString("D"))
            .StartAt(releaseAt)
            // Fire now, not skip: a release missed during an outage must still happen. Whether "now" is an
            // acceptable moment to send is the releaser's decision, made against the policy at that instant.
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();

        var scheduler = await schedulerFactory.GetScheduler(cancellationToken).ConfigureAwait(false);
        // Storing the job with the trigger (replace: true) makes "schedule or move" one store transaction, so
        // two concurrent moves of one hold leave exactly one trigger rather than failing on a duplicate key.
        await scheduler.ScheduleJob(ReleaseJobDetail(), [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task CancelAsync(Guid holdId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken).ConfigureAwait(false);
        await scheduler.UnscheduleJob(KeyOf(holdId), cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsScheduledAsync(Guid holdId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken).ConfigureAwait(false);
        return await scheduler.Exists(KeyOf(holdId), cancellationToken).ConfigureAwait(false);
    }

    public async Task<DateTimeOffset?> NextFireAsync(Guid holdId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken).ConfigureAwait(false);
        var trigger = await scheduler.GetTrigger(KeyOf(holdId), cancellationToken).ConfigureAwait(false);
        return trigger?.NextFireTimeUtc;
    }

    internal static IJobDetail ReleaseJobDetail() =>
        JobBuilder.Create<ReleaseHoldJob>()
            .WithIdentity(ReleaseHoldJob.Key)
            // Durable: the job stays stored between holds instead of vanishing with the last trigger.
            .StoreDurably()
            .Build();

    private static TriggerKey KeyOf(Guid holdId) => new(holdId.ToString("D"), TriggerGroup);
}
