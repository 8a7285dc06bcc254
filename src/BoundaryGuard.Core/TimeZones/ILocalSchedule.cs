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

    /// <summary>
    /// The earliest local date-time at or after <paramref name="local"/> that is closed, or null when everything
    /// within <see cref="DstRule.Horizon"/> of it is open. Returns <paramref name="local"/> itself when it is closed.
    /// </summary>
    LocalDateTime? NextClosed(LocalDateTime local);
}

/// <summary>A schedule turned inside out: its closed times are open. Lets one DST walk find either edge.</summary>
public readonly struct Complement<T>(T schedule) : ILocalSchedule
    where T : ILocalSchedule
{
    public LocalDateTime? NextOpen(LocalDateTime local) => schedule.NextClosed(local);

    public LocalDateTime? NextClosed(LocalDateTime local) => schedule.NextOpen(local);
}
