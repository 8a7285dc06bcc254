using System.Collections.Concurrent;
using BoundaryGuard.Service.Scheduling;

namespace BoundaryGuard.Service.Tests.Scheduling;

/// <summary>Records each release with the scheduler's clock reading at that moment.</summary>
internal sealed class RecordingReleaser(TimeProvider clock) : IHoldReleaser
{
    private readonly ConcurrentQueue<(Guid HoldId, DateTimeOffset At)> releases = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<DateTimeOffset>> waiters = new();

    public IReadOnlyList<(Guid HoldId, DateTimeOffset At)> Releases => [.. releases];

    public Task ReleaseAsync(Guid holdId, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow();
        releases.Enqueue((holdId, at));
        Waiter(holdId).TrySetResult(at);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Waits in real time for the scheduler's worker to run the release the fake clock already made due. The
    /// timeout is a guard against a hang, not part of any assertion.
    /// </summary>
    public Task<DateTimeOffset> ReleasedAsync(Guid holdId) => Waiter(holdId).Task.WaitAsync(TimeSpan.FromSeconds(20));

    private TaskCompletionSource<DateTimeOffset> Waiter(Guid holdId) =>
        waiters.GetOrAdd(holdId, _ => new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously));
}
