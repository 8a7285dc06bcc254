using BoundaryGuard.Core.Calendars;
using BoundaryGuard.Core.TimeZones;
using NodaTime;

namespace BoundaryGuard.Core.Decisions;

/// <summary>
/// What a client needs to decide offline for a while (the Outlook add-in at send time has about five seconds and
/// may not reach the service): when the policy is open, which closures make the gaps, and when each known recipient
/// works. Intervals are instants, so the client needs no time-zone rules: mail may go at <c>t</c> when <c>t</c> is
/// inside an interval of <see cref="Open"/> and inside one of every listed recipient's; otherwise it is held until
/// the earliest such instant.
/// </summary>
/// <param name="GeneratedAt">When it was made.</param>
/// <param name="ValidUntil">The end of the intervals: after it, ask again.</param>
/// <param name="TimeZone">The policy's zone, for showing times to the user.</param>
/// <param name="Open">The policy's windows minus its closures.</param>
/// <param name="Closures">The closures within the period, for naming them ("Thanksgiving").</param>
/// <param name="People">Known recipients' working windows by address.</param>
public sealed record PolicySnapshot(
    Instant GeneratedAt,
    Instant ValidUntil,
    string TimeZone,
    IReadOnlyList<OpenInterval> Open,
    IReadOnlyList<Closure> Closures,
    IReadOnlyDictionary<string, IReadOnlyList<OpenInterval>> People);
