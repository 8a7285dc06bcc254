namespace BoundaryGuard.GraphSandbox.Storage;

/// <summary>The bookkeeping every change to a mailbox must do (sequence, changeKey, departures for delta), in one place.</summary>
internal static class MailboxExtensions
{
    /// <summary>Folders Exchange creates in every mailbox, with the names Graph accepts in place of their ids.</summary>
    public static readonly IReadOnlyList<(string WellKnownName, string DisplayName)> WellKnownFolders =
    [
        ("inbox", "Inbox"),
        ("drafts", "Drafts"),
        ("sentitems", "Sent Items"),
        ("deleteditems", "Deleted Items"),
        ("outbox", "Outbox"),
        ("junkemail", "Junk Email"),
        ("archive", "Archive"),
    ];

    public const string RootName = "msgfolderroot";

    public static MailboxRecord NewMailbox(string userId, string timeZone, WorkingHoursRecord workingHours, long sequence)
    {
        var mailbox = new MailboxRecord { UserId = userId, TimeZone = timeZone, WorkingHours = workingHours };
        var root = new FolderRecord { Id = SandboxIds.NewFolderId(), DisplayName = "Top of Information Store", WellKnownName = RootName, IsHidden = true };
        mailbox.Folders.Add(root);
        foreach (var (wellKnown, displayName) in WellKnownFolders)
        {
            mailbox.Folders.Add(new FolderRecord { Id = SandboxIds.NewFolderId(), DisplayName = displayName, WellKnownName = wellKnown, ParentFolderId = root.Id });
        }

        mailbox.Calendars.Add(new CalendarRecord { Id = SandboxIds.NewCalendarId(), Name = "Calendar", IsDefault = true, Sequence = sequence });
        return mailbox;
    }

    public static FolderRecord Root(this MailboxRecord mailbox) => mailbox.Folders.First(f => f.WellKnownName == RootName);

    public static FolderRecord WellKnown(this MailboxRecord mailbox, string name) =>
        mailbox.Folders.First(f => string.Equals(f.WellKnownName, name, StringComparison.Ordinal));

    /// <summary>A folder by id or well-known name (any case, as Graph accepts "Inbox" or "inbox").</summary>
    public static FolderRecord? FindFolder(this MailboxRecord mailbox, string idOrName) =>
        mailbox.Folders.FirstOrDefault(f => string.Equals(f.Id, idOrName, StringComparison.Ordinal))
        ?? mailbox.Folders.FirstOrDefault(f => string.Equals(f.WellKnownName, idOrName, StringComparison.OrdinalIgnoreCase));

    /// <summary>Records a change: new sequence, new changeKey, new lastModifiedDateTime; the next delta round reports it.</summary>
    public static void Touch(this MessageRecord message, SandboxState state, DateTimeOffset now)
    {
        message.Sequence = state.NextSequence();
        message.LastModifiedDateTime = now;
    }

    /// <summary>
    /// Puts a message in a folder. Leaving a folder is recorded as a departure there (delta's <c>@removed</c>), and
    /// a departure recorded earlier in the destination is forgotten (the message is back, so it is "changed").
    /// </summary>
    public static void MoveTo(this MessageRecord message, MailboxRecord mailbox, string folderId, SandboxState state, DateTimeOffset now)
    {
        message.Touch(state, now);
        if (!string.IsNullOrEmpty(message.FolderId) && message.FolderId != folderId)
        {
            Departures(mailbox, message.FolderId)[message.Id] = message.Sequence;
        }

        Departures(mailbox, folderId).Remove(message.Id);
        message.FolderId = folderId;
    }

    /// <summary>Removes a message for good; its folder reports it as deleted in the next delta round.</summary>
    public static void Remove(this MessageRecord message, MailboxRecord mailbox, SandboxState state)
    {
        Departures(mailbox, message.FolderId)[message.Id] = state.NextSequence();
        mailbox.Messages.Remove(message.Id);
    }

    public static Dictionary<string, long> Departures(MailboxRecord mailbox, string folderId)
    {
        if (!mailbox.Departures.TryGetValue(folderId, out var departures))
        {
            departures = new Dictionary<string, long>(StringComparer.Ordinal);
            mailbox.Departures[folderId] = departures;
        }

        return departures;
    }

    public static CalendarRecord DefaultCalendar(this MailboxRecord mailbox) => mailbox.Calendars.First(c => c.IsDefault);
}
