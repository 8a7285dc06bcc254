using BoundaryGuard.Demo;
using System.Diagnostics;
using BoundaryGuard.Service.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace BoundaryGuard.Service.Tests.Demo;

/// <summary>
/// Mostly on a FakeTimeProvider standing in for real time, so every duration is exact; one test runs on the system
/// clock and asserts only ordering and generous bounds.
/// </summary>
public sealed class SimulatedTimeProviderTests
{
    // Friday 4 December 2026, 23:00 in New York.
    private static readonly DateTimeOffset StartAt = new(2026, 12, 4, 23, 0, 0, TimeSpan.FromHours(-5));

    private FakeTimeProvider real = null!;

    [SetUp]
    public void SetUp() => real = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    [Test]
    public void GetUtcNow_RealSecondPasses_AdvancesBySpeedSeconds()
    {
        var clock = new SimulatedTimeProvider(StartAt, 60, real);

        real.Advance(TimeSpan.FromSeconds(1));

        Assert.That(clock.GetUtcNow(), Is.EqualTo(StartAt.AddMinutes(1)));
    }

    [Test]
    public void GetElapsedTime_BetweenTwoTimestamps_IsSimulatedTime()
    {
        var clock = new SimulatedTimeProvider(StartAt, 3600, real);
        var before = clock.GetTimestamp();

        real.Advance(TimeSpan.FromSeconds(2));

        Assert.That(clock.GetElapsedTime(before), Is.EqualTo(TimeSpan.FromHours(2)));
    }

    [Test]
    public void CreateTimer_TenSimulatedSecondsAtSpeed1000_FiresAfterTenRealMilliseconds()
    {
        var clock = new SimulatedTimeProvider(StartAt, 1000, real);
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        real.Advance(TimeSpan.FromMilliseconds(9));
        Assert.That(fired, Is.Empty);

        real.Advance(TimeSpan.FromMilliseconds(1));
        real.Advance(TimeSpan.FromSeconds(1));
        Assert.That(fired, Is.EqualTo(new[] { StartAt.AddSeconds(10) }));
    }

    [Test]
    public void CreateTimer_Period_FiresOncePerSimulatedPeriod()
    {
        var clock = new SimulatedTimeProvider(StartAt, 1000, real);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        for (var i = 0; i < 3; i++)
        {
            real.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.That(fired, Is.EqualTo(3));
    }

    [Test]
    public void Change_LaterDueTime_FiresOnlyAtTheNewTime()
    {
        var clock = new SimulatedTimeProvider(StartAt, 1000, real);
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        Assert.That(timer.Change(TimeSpan.FromSeconds(20), Timeout.InfiniteTimeSpan), Is.True);
        real.Advance(TimeSpan.FromMilliseconds(10));
        Assert.That(fired, Is.Empty);

        real.Advance(TimeSpan.FromMilliseconds(10));
        Assert.That(fired, Is.EqualTo(new[] { StartAt.AddSeconds(20) }));
    }

    [Test]
    public void Change_Infinite_StopsTheTimer()
    {
        var clock = new SimulatedTimeProvider(StartAt, 1000, real);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        real.Advance(TimeSpan.FromSeconds(1));

        Assert.That(fired, Is.Zero);
    }

    [Test]
    public void Dispose_BeforeDueTime_NeverFiresAndRefusesChange()
    {
        var clock = new SimulatedTimeProvider(StartAt, 1000, real);
        var fired = 0;
        var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        timer.Dispose();
        real.Advance(TimeSpan.FromSeconds(1));

        Assert.That(fired, Is.Zero);
        Assert.That(timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan), Is.False);
    }

    [Test]
    public void CreateTimer_SlowerThanRealTime_WaitsLonger()
    {
        var clock = new SimulatedTimeProvider(StartAt, 0.5, real);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        real.Advance(TimeSpan.FromSeconds(1.5));
        Assert.That(fired, Is.Zero);

        real.Advance(TimeSpan.FromSeconds(0.5));
        Assert.That(fired, Is.EqualTo(1));
    }

    [Test]
    public void SkipTo_LaterInstant_JumpsThereAndRunsOnAtItsSpeed()
    {
        var clock = new SimulatedTimeProvider(StartAt, 60, real);

        clock.SkipTo(StartAt.AddHours(8));
        real.Advance(TimeSpan.FromSeconds(1));

        Assert.That(clock.GetUtcNow(), Is.EqualTo(StartAt.AddHours(8).AddMinutes(1)));
    }

    [Test]
    public void SkipTo_InstantAlreadyPassed_ChangesNothing()
    {
        var clock = new SimulatedTimeProvider(StartAt, 60, real);
        real.Advance(TimeSpan.FromSeconds(2));

        clock.SkipTo(StartAt.AddMinutes(1));

        Assert.That(clock.GetUtcNow(), Is.EqualTo(StartAt.AddMinutes(2)));
    }

    [Test]
    public void SkipTo_PastATimersDueTime_FiresItAtOnceAtTheNewTime()
    {
        var clock = new SimulatedTimeProvider(StartAt, 1, real);
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromHours(8), Timeout.InfiniteTimeSpan);

        clock.SkipTo(StartAt.AddHours(9));

        Assert.That(fired, Is.EqualTo(new[] { StartAt.AddHours(9) }));
    }

    [Test]
    public void SkipTo_BeforeATimersDueTime_FiresWhenTheRestHasPassed()
    {
        var clock = new SimulatedTimeProvider(StartAt, 1, real);
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromHours(8), Timeout.InfiniteTimeSpan);

        clock.SkipTo(StartAt.AddHours(8).AddSeconds(-10));
        real.Advance(TimeSpan.FromSeconds(9));
        Assert.That(fired, Is.Empty);

        real.Advance(TimeSpan.FromSeconds(1));
        Assert.That(fired, Is.EqualTo(new[] { StartAt.AddHours(8) }));
    }

    [Test]
    public void SkipTo_ManyPeriodsOfAPeriodicTimer_FiresOnceThenEveryPeriodFromThere()
    {
        var clock = new SimulatedTimeProvider(StartAt, 1, real);
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

        clock.SkipTo(StartAt.AddHours(3));
        real.Advance(TimeSpan.FromMinutes(1));

        Assert.That(fired, Is.EqualTo(new[] { StartAt.AddHours(3), StartAt.AddHours(3).AddMinutes(1) }));
    }

    [Test]
    public void ChangeSpeed_Faster_KeepsTheInstantAndAnArmedTimerWaitsAtTheNewSpeed()
    {
        var clock = new SimulatedTimeProvider(StartAt, 1, real);
        real.Advance(TimeSpan.FromMinutes(1));
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);

        clock.ChangeSpeed(3600);
        Assert.That(clock.GetUtcNow(), Is.EqualTo(StartAt.AddMinutes(1)));
        Assert.That(clock.Speed, Is.EqualTo(3600));

        real.Advance(TimeSpan.FromMilliseconds(999));
        Assert.That(fired, Is.Empty);

        real.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That(fired, Is.EqualTo(new[] { StartAt.AddMinutes(61) }));
    }

    [TestCase(0d)]
    [TestCase(double.NaN)]
    public void ChangeSpeed_NotAPositiveNumber_Throws(double speed) =>
        Assert.That(() => new SimulatedTimeProvider(StartAt, 1, real).ChangeSpeed(speed), Throws.TypeOf<ArgumentOutOfRangeException>());

    [TestCase(0d)]
    [TestCase(-1d)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Constructor_SpeedNotAPositiveNumber_Throws(double speed) =>
        Assert.That(() => new SimulatedTimeProvider(StartAt, speed), Throws.TypeOf<ArgumentOutOfRangeException>());

    [Test]
    public async Task CreateTimer_OnTheSystemClockAtSpeed1000_FiresNotBeforeItsSimulatedDueTimeAndLongBeforeItsRealOne()
    {
        var clock = new SimulatedTimeProvider(StartAt, 1000);
        var fired = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        var realTime = Stopwatch.StartNew();
        var armedAt = clock.GetUtcNow();
        await using var timer = clock.CreateTimer(_ => fired.TrySetResult(clock.GetUtcNow()), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        // The wait is a guard against a hang, not a measurement; 10 real seconds is what an unscaled timer would take.
        var at = await fired.Task.WaitAsync(TimeSpan.FromSeconds(8));

        Assert.That(at - armedAt, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(realTime.Elapsed, Is.LessThan(TimeSpan.FromSeconds(8)));
        Assert.That(clock.GetUtcNow(), Is.GreaterThanOrEqualTo(at));
    }
}
