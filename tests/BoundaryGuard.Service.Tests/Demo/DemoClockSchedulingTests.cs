using BoundaryGuard.Demo;
using BoundaryGuard.Service.Hosting;
using BoundaryGuard.Service.Scheduling;
using BoundaryGuard.Service.Tests.Scheduling;

namespace BoundaryGuard.Service.Tests.Demo;

/// <summary>
/// Quartz on the demo clock, in real time: its firing loop waits on timers from the clock, so a release due in two
/// simulated minutes fires after about two real seconds at 60x, at (not before) its simulated time.
/// </summary>
public sealed class DemoClockSchedulingTests
{
    [Test]
    public async Task ScheduleAsync_OnDemoClockAt60x_ReleasesAtTheSimulatedReleaseTime()
    {
        using var target = SchedulingTarget.Create(SchedulingProvider.Sqlite);
        var clock = new SimulatedTimeProvider(new DateTimeOffset(2026, 12, 7, 6, 50, 0, TimeSpan.FromHours(-5)), 60);
        var releaser = new RecordingReleaser(clock);
        var hold = Guid.NewGuid();
        await using var host = await SchedulingHost.StartAsync(target, clock, releaser);

        // Relative to now, not to the start: the host's start-up took simulated minutes already.
        var releaseAt = clock.GetUtcNow().AddMinutes(2);
        await host.Scheduler.ScheduleAsync(hold, releaseAt, CancellationToken.None);
        var releasedAt = await releaser.ReleasedAsync(hold);

        // Late by at most a few real seconds (minutes at 60x) on a loaded machine; never early. Quartz counts a trigger
        // within 2 ms of its time as due, hence the tolerance below the release time.
        Assert.That(releasedAt, Is.GreaterThanOrEqualTo(releaseAt.AddMilliseconds(-2)));
        Assert.That(releasedAt, Is.LessThan(releaseAt.AddMinutes(10)));
    }
}
