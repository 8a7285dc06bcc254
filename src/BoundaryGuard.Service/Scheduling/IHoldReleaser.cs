namespace BoundaryGuard.Service.Scheduling;

/// <summary>
/// What happens when a hold's time comes. Implemented by the holds feature, which re-evaluates the policy at
/// the moment of release (a late fire after an outage must not send at night), paces per mailbox, sends
/// exactly once and owns retries.
/// </summary>
public interface IHoldReleaser
{
    Task ReleaseAsync(Guid holdId, CancellationToken cancellationToken);
}
