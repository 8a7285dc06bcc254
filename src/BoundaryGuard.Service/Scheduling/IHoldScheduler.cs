namespace BoundaryGuard.Service.Scheduling;

/// <summary>When each held message is released. Persistent: a schedule outlives restarts of the service.</summary>
public interface IHoldScheduler
{
    /// <summary>
    /// Releases <paramref name="holdId"/> at <paramref name="releaseAt"/>. Scheduling a hold again replaces its
    /// release time: that is how a calendar or policy change moves a pending hold.
    /// </summary>
    Task ScheduleAsync(Guid holdId, DateTimeOffset releaseAt, CancellationToken cancellationToken);

    /// <summary>Forgets the hold's release; cancelling a hold that has none is not an error.</summary>
    Task CancelAsync(Guid holdId, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the hold has a trigger at all, firing or not: a trigger whose release is running right now still
    /// exists (with no next fire time) until its release finishes.
    /// </summary>
    Task<bool> IsScheduledAsync(Guid holdId, CancellationToken cancellationToken);

    /// <summary>When the hold will be released, or null when nothing is pending for it.</summary>
    Task<DateTimeOffset?> NextFireAsync(Guid holdId, CancellationToken cancellationToken);
}
