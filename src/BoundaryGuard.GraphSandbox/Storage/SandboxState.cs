namespace BoundaryGuard.GraphSandbox.Storage;

/// <summary>
/// Everything the sandbox knows, in one serialisable object: the directory, every mailbox and the change counter that
/// delta tokens are built on. Guarded by <see cref="SandboxStore"/>'s lock; never touched outside it.
/// </summary>
internal sealed class SandboxState
{
    /// <summary>Identifies this data set. Delta tokens carry it, so a token from another data set is refused (410), not misread.</summary>
    public string Epoch { get; set; } = "";

    /// <summary>Global change counter: every change to a message takes the next value, so "changed since" is one comparison.</summary>
    public long Sequence { get; set; }

    /// <summary>HMAC key for access tokens (base64). Kept in the data file so tokens survive a restart.</summary>
    public string TokenKey { get; set; } = "";

    public List<UserRecord> Users { get; init; } = [];

    /// <summary>Mailboxes by user id.</summary>
    public Dictionary<string, MailboxRecord> Mailboxes { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    public long NextSequence() => ++Sequence;
}

internal sealed class UserRecord
{
    public string Id { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string GivenName { get; set; } = "";
    public string Surname { get; set; } = "";
    public string Mail { get; set; } = "";
    public string UserPrincipalName { get; set; } = "";
    public string? Department { get; set; }
    public string? JobTitle { get; set; }
    public string? OfficeLocation { get; set; }
}

internal sealed class MailboxRecord
{
    public string UserId { get; set; } = "";

    /// <summary>True for a shared mailbox (no sign-in, e.g. the institution's closures calendar).</summary>
    public bool IsShared { get; set; }

    /// <summary>The mailbox time zone (mailboxSettings.timeZone), a Windows id as Exchange stores it.</summary>
    public string TimeZone { get; set; } = "UTC";

    public WorkingHoursRecord WorkingHours { get; set; } = new();
    public List<FolderRecord> Folders { get; init; } = [];
    public Dictionary<string, MessageRecord> Messages { get; init; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Per folder id: messages that left the folder (moved, sent, deleted) and the sequence at which they left, so a
    /// delta round can report them as <c>@removed</c>. Cleared for a message when it comes back.
    /// </summary>
    public Dictionary<string, Dictionary<string, long>> Departures { get; init; } = new(StringComparer.Ordinal);

    public List<CalendarRecord> Calendars { get; init; } = [];
    public Dictionary<string, EventRecord> Events { get; init; } = new(StringComparer.Ordinal);
}

internal sealed class WorkingHoursRecord
{
    public List<string> DaysOfWeek { get; init; } = [];
    public string StartTime { get; set; } = "08:00:00.0000000";
    public string EndTime { get; set; } = "17:00:00.0000000";
    public string TimeZoneName { get; set; } = "UTC";

    /// <summary>Set when the zone is a <c>#microsoft.graph.customTimeZone</c> rather than a named one.</summary>
    public CustomTimeZoneRecord? CustomTimeZone { get; set; }
}

internal sealed class CustomTimeZoneRecord
{
    public int Bias { get; set; }
    public TransitionRecord StandardOffset { get; set; } = new();
    public TransitionRecord DaylightOffset { get; set; } = new();
}

internal sealed class TransitionRecord
{
    public string Time { get; set; } = "02:00:00.0000000";
    public int DayOccurrence { get; set; }
    public string DayOfWeek { get; set; } = "sunday";
    public int Month { get; set; }
    public int Year { get; set; }

    /// <summary>Only on the daylight transition.</summary>
    public int? DaylightBias { get; set; }
}

internal sealed class FolderRecord
{
    public string Id { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string ParentFolderId { get; set; } = "";

    /// <summary>inbox, drafts, sentitems, ... for the folders Exchange creates; null for user folders.</summary>
    public string? WellKnownName { get; set; }

    public bool IsHidden { get; set; }
}

internal sealed class RecipientRecord
{
    public string Address { get; set; } = "";
    public string? Name { get; set; }
}

internal sealed class ExtendedPropertyRecord
{
    public string Id { get; set; } = "";
    public string Value { get; set; } = "";
}

internal sealed class HeaderRecord
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
}

internal sealed class MessageRecord
{
    public string Id { get; set; } = "";
    public string FolderId { get; set; } = "";
    public string ConversationId { get; set; } = "";
    public string InternetMessageId { get; set; } = "";
    public DateTimeOffset CreatedDateTime { get; set; }
    public DateTimeOffset LastModifiedDateTime { get; set; }
    public DateTimeOffset ReceivedDateTime { get; set; }
    public DateTimeOffset SentDateTime { get; set; }
    public string Subject { get; set; } = "";
    public string BodyContentType { get; set; } = "text";
    public string BodyContent { get; set; } = "";
    public string Importance { get; set; } = "normal";
    public bool IsDraft { get; set; }
    public bool IsRead { get; set; }
    public bool IsDeliveryReceiptRequested { get; set; }
    public bool IsReadReceiptRequested { get; set; }
    public string FlagStatus { get; set; } = "notFlagged";
    public string InferenceClassification { get; set; } = "focused";

    /// <summary>The mailbox the message was written in (from/sender); for a delivered copy, the original sender.</summary>
    public RecipientRecord From { get; set; } = new();

    public List<RecipientRecord> ToRecipients { get; init; } = [];
    public List<RecipientRecord> CcRecipients { get; init; } = [];
    public List<RecipientRecord> BccRecipients { get; init; } = [];
    public List<RecipientRecord> ReplyTo { get; init; } = [];
    public List<string> Categories { get; init; } = [];
    public List<ExtendedPropertyRecord> ExtendedProperties { get; init; } = [];
    public List<HeaderRecord> InternetMessageHeaders { get; init; } = [];

    /// <summary>The <see cref="SandboxState.Sequence"/> of the last change; changeKey and delta rounds come from it.</summary>
    public long Sequence { get; set; }

    /// <summary>
    /// Before this instant the message is a draft Outlook saved to its local cache and has not synced yet: Graph does
    /// not know its id (404 ErrorItemNotFound) and listings leave it out. Set through <c>POST /sandbox/unsynced</c>.
    /// </summary>
    public DateTimeOffset? SyncedAt { get; set; }

    public bool IsVisibleAt(DateTimeOffset now) => SyncedAt is not { } synced || synced <= now;
}

internal sealed class CalendarRecord
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Color { get; set; } = "auto";
    public bool IsDefault { get; set; }
    public long Sequence { get; set; }
}

internal sealed class AttendeeRecord
{
    public string Address { get; set; } = "";
    public string? Name { get; set; }
    public string Type { get; set; } = "required";
}

internal sealed class EventRecord
{
    public string Id { get; set; } = "";
    public string CalendarId { get; set; } = "";
    public string ICalUId { get; set; } = "";
    public DateTimeOffset CreatedDateTime { get; set; }
    public DateTimeOffset LastModifiedDateTime { get; set; }
    public string Subject { get; set; } = "";
    public string BodyContentType { get; set; } = "text";
    public string BodyContent { get; set; } = "";

    /// <summary>Local start as written by the organiser (ISO, no offset), read in <see cref="StartTimeZone"/>.</summary>
    public string StartLocal { get; set; } = "";

    public string StartTimeZone { get; set; } = "UTC";
    public string EndLocal { get; set; } = "";
    public string EndTimeZone { get; set; } = "UTC";

    /// <summary>Start and end as instants, computed from the local values when written; calendarView filters on them.</summary>
    public DateTimeOffset StartUtc { get; set; }

    public DateTimeOffset EndUtc { get; set; }
    public bool IsAllDay { get; set; }
    public string ShowAs { get; set; } = "busy";
    public string Importance { get; set; } = "normal";
    public string Sensitivity { get; set; } = "normal";
    public string LocationDisplayName { get; set; } = "";
    public bool IsReminderOn { get; set; } = true;
    public int ReminderMinutesBeforeStart { get; set; } = 15;
    public List<string> Categories { get; init; } = [];
    public List<AttendeeRecord> Attendees { get; init; } = [];
    public long Sequence { get; set; }
}
