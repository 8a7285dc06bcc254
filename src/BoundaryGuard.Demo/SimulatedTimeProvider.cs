using System.Collections.Concurrent;

namespace BoundaryGuard.Demo;

/// <summary>
/// A clock for demos: it reads <see cref="StartAt"/> when created and then runs <see cref="Speed"/> times faster than
/// the real clock beneath it. Timestamps advance at the same simulated rate, and timers wait simulated time (a timer
/// of 10 simulated seconds at speed 1000 fires after about 10 real milliseconds), so everything that takes the one
/// <see cref="TimeProvider"/> from the container (Quartz, Polly, the Graph sandbox) lives in the simulated time.
/// </summary>
/// <remarks>
/// <para>The demo history (<see cref="DemoHistory"/>) also skips it forward over quiet stretches
/// (<see cref="SkipTo"/>) and changes its speed when the history is over (<see cref="ChangeSpeed"/>): every armed
/// timer is then looked at again, so one whose due time was skipped over fires at once, as on a
/// FakeTimeProvider that a test advances.</para>
/// <para>A timer never fires before its simulated due time. Real timers can fire a little early against a high-resolution
/// clock, and at speed 3600 a millisecond early is 3.6 simulated seconds early, enough for a 07:00 release to run
/// at 06:59:57 and be held again; so a timer that wakes early waits out the rest before calling back.</para>
/// </remarks>
public sealed class SimulatedTimeProvider : TimeProvider
{
    // System.Threading.Timer's longest due time; a longer simulated wait is armed in steps of at most this.
    private static readonly TimeSpan MaxRealDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly TimeProvider real;
    private readonly long realStart;

    // The timers waiting for a due time: a skip or a speed change re-arms them.
    private readonly ConcurrentDictionary<SimulatedTimer, byte> armed = new();

    // How simulated time follows real time from the last skip or speed change on; replaced whole, never mutated,
    // so a reader always sees an anchor and the speed that belongs to it. Replaced under the lock, read without it.
    private readonly Lock replacing = new();
    private volatile Segment segment;

    public SimulatedTimeProvider(DateTimeOffset startAt, double speed)
        : this(startAt, speed, System)
    {
    }

    /// <param name="startAt">The simulated instant now.</param>
    /// <param name="speed">Simulated time per real time; greater than zero.</param>
    /// <param name="real">The clock whose elapsed time is scaled (tests pass a fake one).</param>
    internal SimulatedTimeProvider(DateTimeOffset startAt, double speed, TimeProvider real)
    {
        ArgumentNullException.ThrowIfNull(real);
        CheckSpeed(speed);

        StartAt = startAt;
        this.real = real;
        realStart = real.GetTimestamp();
        segment = new Segment(realStart, realStart, speed);
    }

    public DateTimeOffset StartAt { get; }

    /// <summary>Simulated time per real time now.</summary>
    public double Speed => segment.Speed;

    public override long TimestampFrequency => real.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => StartAt.ToUniversalTime() + GetElapsedTime(realStart);

    /// <summary>Starts where the real clock's timestamp was at creation and runs <see cref="Speed"/> times as fast.</summary>
    public override long GetTimestamp() => segment.At(real.GetTimestamp());

    /// <summary>
    /// Moves simulated time forward to <paramref name="instant"/> at once (never back: an instant already passed
    /// changes nothing) and goes on running from there. Timers due by then fire now.
    /// </summary>
    public void SkipTo(DateTimeOffset instant)
    {
        var target = realStart + SimulatedTicks(instant - StartAt);
        lock (replacing)
        {
            var now = real.GetTimestamp();
            if (target <= segment.At(now))
            {
                return;
            }

            segment = new Segment(now, target, segment.Speed);
        }

        Rearm();
    }

    /// <summary>Runs <paramref name="speed"/> times faster than real time from now on.</summary>
    public void ChangeSpeed(double speed)
    {
        CheckSpeed(speed);
        lock (replacing)
        {
            var now = real.GetTimestamp();
            segment = new Segment(now, segment.At(now), speed);
        }

        Rearm();
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new SimulatedTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private static void CheckSpeed(double speed)
    {
        if (!(speed > 0) || double.IsInfinity(speed))
        {
            throw new ArgumentOutOfRangeException(nameof(speed), speed, "The clock speed must be a finite number greater than zero.");
        }
    }

    /// <summary>
    /// After a skip or a speed change: each armed timer computes its real wait again from its simulated due time. A
    /// timer armed meanwhile already saw the new segment, or is in the snapshot taken after it was replaced.
    /// </summary>
    private void Rearm()
    {
        foreach (var timer in armed.Keys)
        {
            timer.Rearm();
        }
    }

    /// <summary>How long to wait in real time for <paramref name="simulated"/> to pass; rounded up, never early.</summary>
    private TimeSpan RealDelay(TimeSpan simulated)
    {
        var ticks = Math.Ceiling(simulated.Ticks / Speed);
        return ticks >= MaxRealDelay.Ticks ? MaxRealDelay : TimeSpan.FromTicks((long)ticks);
    }

    private long SimulatedTicks(TimeSpan span) => (long)(span.Ticks * (TimestampFrequency / (double)TimeSpan.TicksPerSecond));

    /// <summary>From real timestamp <paramref name="RealAnchor"/> on, simulated time runs from <paramref name="SimulatedAnchor"/> at <paramref name="Speed"/>.</summary>
    private sealed record Segment(long RealAnchor, long SimulatedAnchor, double Speed)
    {
        public long At(long realTimestamp) => SimulatedAnchor + (long)((realTimestamp - RealAnchor) * Speed);
    }

    /// <summary>
    /// One real one-shot timer, re-armed after each wake-up: early wake-ups wait out the rest, and a periodic timer's
    /// next due time is one period after it fired, as System.Threading.Timer does it (no bursts to catch up).
    /// </summary>
    private sealed class SimulatedTimer : ITimer
    {
        private const long NotDue = long.MinValue;

        private readonly SimulatedTimeProvider clock;
        private readonly TimerCallback callback;
        private readonly object? state;
        private readonly ITimer real;
        private readonly Lock gate = new();
        private long dueAt = NotDue;
        private TimeSpan period;
        private bool disposed;

        public SimulatedTimer(SimulatedTimeProvider clock, TimerCallback callback, object? state)
        {
            this.clock = clock;
            this.callback = callback;
            this.state = state;
            real = clock.real.CreateTimer(static self => ((SimulatedTimer)self!).OnRealTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, Timeout.InfiniteTimeSpan);
            ArgumentOutOfRangeException.ThrowIfLessThan(period, Timeout.InfiniteTimeSpan);
            lock (gate)
            {
                if (disposed)
                {
                    return false;
                }

                this.period = period;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    dueAt = NotDue;
                    clock.armed.TryRemove(this, out _);
                    return real.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                }

                clock.armed.TryAdd(this, 0);
                dueAt = clock.GetTimestamp() + clock.SimulatedTicks(dueTime);
                return real.Change(clock.RealDelay(dueTime), Timeout.InfiniteTimeSpan);
            }
        }

        private void OnRealTimer()
        {
            lock (gate)
            {
                if (disposed || dueAt == NotDue)
                {
                    return;
                }

                var now = clock.GetTimestamp();
                if (now < dueAt)
                {
                    real.Change(clock.RealDelay(clock.GetElapsedTime(now, dueAt)), Timeout.InfiniteTimeSpan);
                    return;
                }

                if (period > TimeSpan.Zero)
                {
                    dueAt = now + clock.SimulatedTicks(period);
                    real.Change(clock.RealDelay(period), Timeout.InfiniteTimeSpan);
                }
                else
                {
                    dueAt = NotDue;
                    clock.armed.TryRemove(this, out _);
                }
            }

            callback(state);
        }

        /// <summary>The clock skipped or changed speed: wait for the due time afresh, or fire now if it has passed.</summary>
        public void Rearm()
        {
            lock (gate)
            {
                if (disposed || dueAt == NotDue)
                {
                    return;
                }

                var now = clock.GetTimestamp();
                real.Change(now >= dueAt ? TimeSpan.Zero : clock.RealDelay(clock.GetElapsedTime(now, dueAt)), Timeout.InfiniteTimeSpan);
            }
        }

        public void Dispose()
        {
            Stop();
            real.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Stop();
            return real.DisposeAsync();
        }

        private void Stop()
        {
            lock (gate)
            {
                disposed = true;
                clock.armed.TryRemove(this, out _);
            }
        }
    }
}
