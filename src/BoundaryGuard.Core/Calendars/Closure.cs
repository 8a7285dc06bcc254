using NodaTime;

namespace BoundaryGuard.Core.Calendars;

/// <summary>
/// One closed local day in the policy's zone: the whole day, or from <see cref="ClosedFrom"/> to the end of the day.
/// </summary>
/// <param name="Date">The local date that is closed.</param>
/// <param name="Name">What the closure is called ("Thanksgiving Day").</param>
/// <param name="Source">Where it came from: <c>holidays</c>, an ICS path as the policy wrote it, or <c>national:US</c>.</param>
/// <param name="ClosedFrom">Null for a whole day; otherwise the local time from which the day is closed.</param>
public sealed record Closure(LocalDate Date, string Name, string Source, LocalTime? ClosedFrom = null)
{
    public bool IsWholeDay => ClosedFrom is null || ClosedFrom == LocalTime.Midnight;
}
