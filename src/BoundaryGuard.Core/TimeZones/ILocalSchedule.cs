using NodaTime;

namespace BoundaryGuard.Core.TimeZones;

/// <summary>
/// Something that is open or closed by local wall-clock time in one zone: a working window, a closure calendar.
/// </summary>
public interface ILocalSchedule
{
    /// <summary>
    /// The earliest local date-time at or after <paramref name="local"/> that is open, or null when nothing within
    /// <see cref="DstRule.Horizon"/> of it is. Returns <paramref name="local"/> itself when it is open.
    /// </summary>
    LocalDateTime? NextOpen(LocalDateTime local);
}
