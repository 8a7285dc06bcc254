using System.ComponentModel.DataAnnotations;

namespace BoundaryGuard.Demo;

/// <summary>
/// The demo clock (section <c>Demo</c>): with <see cref="StartAt"/> the whole service runs on a simulated clock that
/// starts there and runs <see cref="ClockSpeed"/> times faster than real time, so a night of held mail can be shown
/// being released at 07:00 in a few seconds. Without it the service runs on the system clock.
/// </summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>The simulated instant at start-up, e.g. <c>2026-12-04T23:00:00-05:00</c>; null runs on real time.</summary>
    public DateTimeOffset? StartAt { get; set; }

    /// <summary>
    /// Simulated seconds per real second. The upper bound (a simulated day per real second) keeps timers meaningful:
    /// beyond it a millisecond of real timer resolution is already minutes of simulated time.
    /// </summary>
    [Range(0d, 86_400d, MinimumIsExclusive = true)]
    public double ClockSpeed { get; set; } = 1;
}
