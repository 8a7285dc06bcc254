using BoundaryGuard.Core.Decisions;

namespace BoundaryGuard.Service.Holds;

/// <summary>
/// A send the add-in let Outlook defer to <see cref="ReleaseAt"/> (<c>delayDeliveryTime</c>) because the service or a
/// token could not be had within the Send budget, as the add-in reported it later. Outlook, not BoundaryGuard,
/// delivers that mail; the deferral is kept so the boundary it kept is counted.
/// </summary>
/// <param name="Id">Chosen by the add-in, so a report repeated after a lost answer is stored once.</param>
public sealed record Deferral(
    Guid Id,
    string Mailbox,
    string? Department,
    DateTimeOffset DeferredAt,
    DateTimeOffset ReleaseAt,
    HoldReasons Reasons,
    DeferralCause Cause,
    DateTimeOffset ReportedAt);

/// <summary>Why the add-in could not hand the mail to the service.</summary>
public enum DeferralCause
{
    /// <summary>No access token for the API (Nested App Authentication failed or is not set up).</summary>
    Token,

    /// <summary>The Send budget ran out before the service answered.</summary>
    Timeout,

    /// <summary>The service could not be reached.</summary>
    Unreachable,

    /// <summary>The service answered with an error (for instance, the draft had not reached the server yet).</summary>
    Refused,
}
