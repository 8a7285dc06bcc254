using BoundaryGuard.Core.Policies;
using NodaTime;

namespace BoundaryGuard.Graph.Mailboxes;

/// <summary>What BoundaryGuard needs of a Microsoft 365 mailbox. Every failure is a <see cref="GraphGatewayException"/>.</summary>
public interface IMailboxGateway
{
    /// <summary>The user's working hours from <c>mailboxSettings</c>, custom time zones included.</summary>
    Task<WorkingHours> GetWorkingHoursAsync(string mailbox, CancellationToken cancellationToken = default);

    /// <summary>The user's department and job title from the directory (Graph's <c>user</c>); NotFound for no such user.</summary>
    Task<DirectoryUser> GetUserAsync(string mailbox, CancellationToken cancellationToken = default);

    /// <summary>The id of the mailbox's calendar with this display name (case ignored), or null when it has none.</summary>
    Task<string?> FindCalendarAsync(string mailbox, string name, CancellationToken cancellationToken = default);

    /// <summary>A calendar's events overlapping <c>[start, until)</c>: the source of an Exchange holiday calendar.</summary>
    Task<IReadOnlyList<CalendarEvent>> GetCalendarViewAsync(
        string mailbox, string calendarId, Instant start, Instant until, CancellationToken cancellationToken = default);

    /// <summary>The message's state, or null when it no longer exists.</summary>
    Task<DraftState?> GetDraftStateAsync(string mailbox, string messageId, CancellationToken cancellationToken = default);

    /// <summary>Marks a draft as held: the category plus the hold id and release instant as extended properties.</summary>
    Task MarkHeldAsync(string mailbox, string messageId, HoldMark mark, CancellationToken cancellationToken = default);

    /// <summary>Removes the hold marks; the draft stays where it is.</summary>
    Task UnmarkAsync(string mailbox, string messageId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a draft in <paramref name="mailbox"/> (BoundaryGuard's own mail, such as the chairs' weekly digest) and
    /// returns its immutable id; send it with <see cref="SendDraftAsync"/>.
    /// </summary>
    Task<string> CreateDraftAsync(string mailbox, OutgoingMessage message, CancellationToken cancellationToken = default);

    /// <summary>Sends a draft exactly once and confirms by its immutable id that it reached Sent Items.</summary>
    Task<SendOutcome> SendDraftAsync(string mailbox, string messageId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Drafts placed in the mailbox's "Send later" folder (created when missing) since <paramref name="deltaLink"/>
    /// (null: everything there now).
    /// </summary>
    Task<DeltaPage<DraftState>> GetSendLaterChangesAsync(string mailbox, string? deltaLink, CancellationToken cancellationToken = default);

    /// <summary>Sent Items metadata since <paramref name="deltaLink"/>: sent time and recipient addresses, never subject or body.</summary>
    Task<DeltaPage<SentItem>> GetSentItemsChangesAsync(string mailbox, string? deltaLink, CancellationToken cancellationToken = default);
}

/// <summary>Mail BoundaryGuard writes itself: a subject, an HTML body and its recipients.</summary>
public sealed record OutgoingMessage(string Subject, string HtmlBody, IReadOnlyList<string> To);

/// <summary>What BoundaryGuard reads of a directory user: each null when the directory has none.</summary>
/// <param name="Department">Chooses the sender's policy and groups the scorecard.</param>
/// <param name="JobTitle">Tells trainees, faculty and staff apart on the scorecard.</param>
public sealed record DirectoryUser(string? Department, string? JobTitle);

/// <summary>The hold BoundaryGuard placed on a draft, as stored on the draft itself.</summary>
public sealed record HoldMark(string HoldId, Instant ReleaseAt);

public enum MailFolderKind
{
    Drafts,
    SendLater,
    SentItems,

    /// <summary>Where Graph's DELETE (and the user's Delete key) puts a message: cancelled, never to be sent.</summary>
    DeletedItems,
    Other,
}

/// <summary>A message as the hold logic sees it. Recipients are for deciding now; they are never stored.</summary>
/// <param name="DeferredSendTime">
/// Exchange's PidTagDeferredSendTime, set when Outlook's own delayed delivery (<c>delayDeliveryTime</c>) owns the
/// draft: the server sends it at that time although it may still look like a draft. Null when none is set.
/// </param>
public sealed record DraftState(
    string MessageId,
    bool IsDraft,
    MailFolderKind Folder,
    Instant? LastModified,
    IReadOnlyList<string> Recipients,
    HoldMark? Hold,
    Instant? DeferredSendTime = null);

public enum SendOutcome
{
    /// <summary>Sent now and found in Sent Items by its immutable id.</summary>
    Sent,

    /// <summary>It was no longer a draft before we sent it: the user (or an earlier attempt) already sent it.</summary>
    AlreadySent,

    /// <summary>The draft no longer exists or is in Deleted Items: the user deleted it. Nothing was sent.</summary>
    DraftMissing,

    /// <summary>
    /// Graph accepted the send (or its answer was lost) but the Sent Items copy has not appeared yet. It is never sent
    /// again in this state; the caller checks later with <see cref="IMailboxGateway.GetDraftStateAsync"/>.
    /// </summary>
    Unconfirmed,
}

/// <summary>One round of a delta query: what changed, what left, and the link for the next round.</summary>
public sealed record DeltaPage<T>(IReadOnlyList<T> Changed, IReadOnlyList<string> Removed, string DeltaLink);

/// <summary>Sent Items metadata: enough to count what landed after hours, nothing about the content.</summary>
public sealed record SentItem(string MessageId, Instant SentAt, IReadOnlyList<string> Recipients);

/// <summary>A calendar event as a closure source needs it; times are local to <see cref="TimeZone"/> (UTC here).</summary>
public sealed record CalendarEvent(
    string Id,
    string Subject,
    LocalDateTime Start,
    LocalDateTime End,
    string TimeZone,
    bool IsAllDay,
    IReadOnlyList<string> Categories,
    Instant? LastModified);
