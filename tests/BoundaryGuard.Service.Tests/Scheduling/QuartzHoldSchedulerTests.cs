using BoundaryGuard.Service.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace BoundaryGuard.Service.Tests.Scheduling;

/// <summary>
/// The clock is a FakeTimeProvider throughout: Quartz 4.7.3 resolves the container's TimeProvider for its
/// scheduler and arms its firing loop's waits as timers on that clock, so advancing the fake clock is what
/// makes a release due. Only the hand-off to Quartz's worker is real time (awaited with a guard timeout).
/// </summary>
[TestFixture(SchedulingProvider.Sqlite)]
[TestFixture(SchedulingProvider.PostgreSQL)]
public sealed class QuartzHoldSchedulerTests(SchedulingProvider provider)
{
    // Friday 4 December 2026, 23:40 in New York: mail held until Monday 07:00.
    private static readonly DateTimeOffset SentAt = new(2026, 12, 4, 23, 40, 0, TimeSpan.FromHours(-5));
    private static readonly DateTimeOffset ReleaseAt = new(2026, 12, 7, 7, 0, 0, TimeSpan.FromHours(-5));

    private SchedulingTarget? created;
    private FakeTimeProvider clock = null!;
    private RecordingReleaser releaser = null!;

    [SetUp]
    public void SetUp()
    {
        created = SchedulingTarget.Create(provider);
        clock = new FakeTimeProvider(SentAt);
        releaser = new RecordingReleaser(clock);
    }

    [TearDown]
    // Null when SetUp ignored the PostgreSQL leg.
    public void TearDown() => created?.Dispose();

    private SchedulingTarget Target => created!;

    [Test]
    public async Task ScheduleAsync_ClockReachesReleaseTime_ReleasesHoldOnceAtThatTime()
    {
        var hold = Guid.NewGuid();
        await using (var host = await SchedulingHost.StartAsync(Target, clock, releaser))
        {
            await host.Scheduler.ScheduleAsync(hold, ReleaseAt, CancellationToken.None);
            Assert.That(await host.Scheduler.NextFireAsync(hold, CancellationToken.None), Is.EqualTo(ReleaseAt));

            clock.SetUtcNow(ReleaseAt);
            Assert.That(await releaser.ReleasedAsync(hold), Is.EqualTo(ReleaseAt));

            clock.Advance(TimeSpan.FromDays(1));
            Assert.That(await host.Scheduler.NextFireAsync(hold, CancellationToken.None), Is.Null);
        }

        Assert.That(releaser.Releases, Is.EqualTo(new[] { (hold, ReleaseAt) }));
    }

    [Test]
    public async Task ScheduleAsync_ClockShortOfReleaseTime_DoesNotRelease()
    {
        var hold = Guid.NewGuid();
        var sentinel = Guid.NewGuid();
        await using (var host = await SchedulingHost.StartAsync(Target, clock, releaser))
        {
            await host.Scheduler.ScheduleAsync(hold, ReleaseAt, CancellationToken.None);
            // Triggers fire in time order, so once the earlier sentinel has fired, an early fire of the hold
            // would already have happened.
            await host.Scheduler.ScheduleAsync(sentinel, ReleaseAt.AddMinutes(-1), CancellationToken.None);

            clock.SetUtcNow(ReleaseAt.AddMinutes(-1));
            await releaser.ReleasedAsync(sentinel);
        }

        Assert.That(releaser.Releases.Select(r => r.HoldId), Is.EqualTo(new[] { sentinel }));
    }

    [Test]
    public async Task ScheduleAsync_SameHoldAgain_MovesReleaseTime()
    {
        var hold = Guid.NewGuid();
        var sentinel = Guid.NewGuid();
        var moved = ReleaseAt.AddHours(2);
        await using (var host = await SchedulingHost.StartAsync(Target, clock, releaser))
        {
            await host.Scheduler.ScheduleAsync(hold, ReleaseAt, CancellationToken.None);
            await host.Scheduler.ScheduleAsync(hold, moved, CancellationToken.None);
            await host.Scheduler.ScheduleAsync(sentinel, ReleaseAt.AddHours(1), CancellationToken.None);
            Assert.That(await host.Scheduler.NextFireAsync(hold, CancellationToken.None), Is.EqualTo(moved));

            clock.SetUtcNow(ReleaseAt.AddHours(1));
            await releaser.ReleasedAsync(sentinel);
            Assert.That(releaser.Releases.Select(r => r.HoldId), Has.No.Member(hold));

            clock.SetUtcNow(moved);
            Assert.That(await releaser.ReleasedAsync(hold), Is.EqualTo(moved));
        }

        Assert.That(releaser.Releases.Count(r => r.HoldId == hold), Is.EqualTo(1));
    }

    [Test]
    public async Task CancelAsync_BeforeReleaseTime_HoldNeverReleased()
    {
        var hold = Guid.NewGuid();
        var sentinel = Guid.NewGuid();
        await using (var host = await SchedulingHost.StartAsync(Target, clock, releaser))
        {
            await host.Scheduler.ScheduleAsync(hold, ReleaseAt, CancellationToken.None);
            await host.Scheduler.ScheduleAsync(sentinel, ReleaseAt.AddMinutes(1), CancellationToken.None);

            await host.Scheduler.CancelAsync(hold, CancellationToken.None);
            Assert.That(await host.Scheduler.NextFireAsync(hold, CancellationToken.None), Is.Null);

            clock.SetUtcNow(ReleaseAt.AddMinutes(1));
            await releaser.ReleasedAsync(sentinel);
        }

        Assert.That(releaser.Releases.Select(r => r.HoldId), Is.EqualTo(new[] { sentinel }));
    }

    [Test]
    public async Task CancelAsync_UnknownHold_DoesNothing()
    {
        await using var host = await SchedulingHost.StartAsync(Target, clock, releaser);

        await Assert.ThatAsync(() => host.Scheduler.CancelAsync(Guid.NewGuid(), CancellationToken.None), Throws.Nothing);
    }

    [Test]
    public async Task ScheduleAsync_HostRestartedBeforeReleaseTime_NewHostReleasesOnce()
    {
        var hold = Guid.NewGuid();
        await using (var first = await SchedulingHost.StartAsync(Target, clock, releaser))
        {
            await first.Scheduler.ScheduleAsync(hold, ReleaseAt, CancellationToken.None);
        }

        await using (var second = await SchedulingHost.StartAsync(Target, clock, releaser))
        {
            Assert.That(await second.Scheduler.NextFireAsync(hold, CancellationToken.None), Is.EqualTo(ReleaseAt));

            clock.SetUtcNow(ReleaseAt);
            Assert.That(await releaser.ReleasedAsync(hold), Is.EqualTo(ReleaseAt));
        }

        Assert.That(releaser.Releases, Is.EqualTo(new[] { (hold, ReleaseAt) }));
    }

    [Test]
    public async Task ScheduleAsync_HostDownPastMisfireThreshold_ReleasesOnceImmediatelyOnStart()
    {
        var hold = Guid.NewGuid();
        await using (var first = await SchedulingHost.StartAsync(Target, clock, releaser))
        {
            await first.Scheduler.ScheduleAsync(hold, ReleaseAt, CancellationToken.None);
        }

        // The outage: the service is down at 07:00 and comes back at 09:30, far past the 60 s threshold.
        var restartedAt = ReleaseAt.AddHours(2.5);
        clock.SetUtcNow(restartedAt);

        await using (var second = await SchedulingHost.StartAsync(Target, clock, releaser))
        {
            // Fired at the restart instant, without the clock moving: "fire now", not "skip".
            Assert.That(await releaser.ReleasedAsync(hold), Is.EqualTo(restartedAt));
        }

        Assert.That(releaser.Releases, Is.EqualTo(new[] { (hold, restartedAt) }));
    }
}
