using BoundaryGuard.Core.Decisions;

namespace BoundaryGuard.Service.Holds;

/// <summary>
/// Where a hold is in its life. <see cref="Held"/> and <see cref="Sending"/> are pending; the others are final.
/// Wire names (JSON, database): <c>held</c>, <c>sending</c>, <c>sent</c>, <c>cancelled</c>, <c>overridden</c>,
/// <c>sent-by-user</c>, <c>failed</c>.
/// </summary>
public enum HoldState
{
    Held,

    /// <summary>The send has begun (<see cref="Hold.SendStartedAt"/>): from here it is confirmed, never simply repeated.</summary>
    Sending,
    Sent,

    /// <summary>Cancelled by the faculty member, or the draft was deleted.</summary>
    Cancelled,

    /// <summary>Sent early by the faculty member, with a reason (<see cref="Hold.Override"/>).</summary>
    Overridden,

    /// <summary>The faculty member sent the draft themselves before its release.</summary>
    SentByUser,
    Failed,
}

/// <summary>How the draft reached BoundaryGuard.</summary>
public enum HoldSource
{
    /// <summary>The Outlook add-in (or any API caller) asked for the hold.</summary>
    AddIn,

    /// <summary>The faculty member moved the draft into the mailbox's "Send later" folder.</summary>
    SendLater,
}

/// <summary>Why a faculty member sent held mail early. Wire names: <c>patient-care</c>, <c>time-critical</c>, <c>recipient-asked</c>, <c>other</c>.</summary>
public enum OverrideReason
{
    PatientCare,
    TimeCritical,
    RecipientAsked,
    Other,
}

/// <summary>
/// One held draft. Holds no subject, body or recipient address: the draft itself stays in the mailbox, and its
/// recipients are read again from Graph whenever the release is decided.
/// </summary>
/// <param name="Mailbox">The sender's mailbox (user principal name), which owns the hold.</param>
/// <param name="MessageId">The draft's immutable Graph id.</param>
/// <param name="Department">The sender's department when the hold was made (Graph's <c>user.department</c>).</param>
/// <param name="Override">
/// The reason of a send now: on a finished hold, why it went early; on a held one, the sender asked to send it from
/// the compose window themselves, and the reason stands only if the draft is found sent at the check that follows.
/// </param>
/// <param name="Version">Bumped by every store update; updates are compare-and-set on it, so two nodes never both win a transition.</param>
/// <param name="Key">The UUID the add-in chose for the Send that asked for this hold; unique per mailbox. Null from "Send later".</param>
/// <param name="AwaitingSync">
/// Held for a draft Graph did not know yet (Outlook's cached mode): decided from the recipients the add-in gave, not
/// counted and not marked until the draft appears; <see cref="MessageId"/> is the add-in's id until then.
/// </param>
public sealed record Hold(
    Guid Id,
    string Mailbox,
    string MessageId,
    string? Department,
    HoldSource Source,
    HoldState State,
    HoldReasons Reasons,
    DateTimeOffset CreatedAt,
    DateTimeOffset ReleaseAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? SendStartedAt = null,
    DateTimeOffset? CompletedAt = null,
    OverrideReason? Override = null,
    string? FailureReason = null,
    int Version = 0,
    Guid? Key = null,
    bool AwaitingSync = false)
{
    public bool IsPending => State is HoldState.Held or HoldState.Sending;
}
