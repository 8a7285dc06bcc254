using NodaTime;

namespace BoundaryGuard.Core.TimeZones;

/// <summary>
/// One yearly switch of a Graph custom time zone (<c>standardOffset</c> or <c>daylightOffset</c> without the bias):
/// the <see cref="DayOccurrence"/>-th <see cref="DayOfWeek"/> of <see cref="Month"/> at local <see cref="Time"/>.
/// Values are taken as Graph sends them; <see cref="GraphCustomTimeZone.Create"/> validates them.
/// </summary>
/// <param name="Time">Local time of day of the switch (Graph <c>time</c>).</param>
/// <param name="DayOccurrence">1 to 4 for the n-th occurrence, 5 for the last one in the month (Graph <c>dayOccurrence</c>).</param>
/// <param name="DayOfWeek">The day of the week of the switch (Graph <c>dayOfWeek</c>).</param>
/// <param name="Month">1 to 12; 0 on the daylight rule means the zone has no daylight saving time (Graph <c>month</c>).</param>
/// <param name="Year">Graph <c>year</c>: 0 means every year, the only value Exchange writes and the only one accepted.</param>
public sealed record TransitionRule(LocalTime Time, int DayOccurrence, IsoDayOfWeek DayOfWeek, int Month, int Year = 0);
