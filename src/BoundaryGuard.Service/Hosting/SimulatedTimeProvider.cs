namespace BoundaryGuard.Service.Hosting;

/// <summary>
/// A clock for demos: it reads <see cref="StartAt"/> when created and then runs <see cref="Speed"/> times faster than
/// the real clock beneath it. Timestamps advance at the same simulated rate, and timers wait simulated time (a timer
/// of 10 simulated seconds at speed 1000 fires after about 10 real milliseconds), so everything that takes the one
/// <see cref="TimeProvider"/> from the container (Quartz, Polly, the Graph sandbox) lives in the simulated time.
/// </summary>
/// <remarks>
/// A timer never fires before its simulated due time. Real timers can fire a little early against a high-resolution
/// clock, and at speed 3600 a millisecond early is 3.6 simulated seconds early, enough for a 07:00 release to run
/// at 06:59:57 and be held again; so a timer that wakes early waits out the rest before calling back.
/// </remarks>
public sealed class SimulatedTimeProvider : TimeProvider
{
    // System.Threading.Timer's longest due time; a longer simulated wait is armed in steps of at most this.
    private static readonly TimeSpan MaxRealDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly TimeProvider real;
    private readonly long realStart;

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
        if (!(speed > 0) || double.IsInfinity(speed))
        {
            throw new ArgumentOutOfRangeException(nameof(speed), speed, "The clock speed must be a finite number greater than zero.");
        }

        StartAt = startAt;
        Speed = speed;
        this.real = real;
        realStart = real.GetTimestamp();
    }

    public DateTimeOffset StartAt { get; }

    public double Speed { get; }

    public override long TimestampFrequency => real.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => StartAt.ToUniversalTime() + GetElapsedTime(realStart);

    /// <summary>Starts where the real clock's timestamp was at creation and runs <see cref="Speed"/> times as fast.</summary>
    public override long GetTimestamp() => realStart + (long)((real.GetTimestamp() - realStart) * Speed);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new SimulatedTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>How long to wait in real time for <paramref name="simulated"/> to pass; rounded up, never early.</summary>
    private TimeSpan RealDelay(TimeSpan simulated)
    {
        var ticks = Math.Ceiling(simulated.Ticks / Speed);
        return ticks >= MaxRealDelay.Ticks ? MaxRealDelay : TimeSpan.FromTicks((long)ticks);
    }

    private long SimulatedTicks(TimeSpan span) => (long)(span.Ticks * (TimestampFrequency / (double)TimeSpan.TicksPerSecond));

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
                    return real.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                }

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
                }
            }

            callback(state);
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
            }
        }
    }
}
