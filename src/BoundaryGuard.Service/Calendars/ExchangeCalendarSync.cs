using BoundaryGuard.Core.Calendars;
using BoundaryGuard.Graph;
using BoundaryGuard.Graph.Mailboxes;
using BoundaryGuard.Service.Holds;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace BoundaryGuard.Service.Calendars;

/// <summary>
/// Reads the Exchange calendars of IT's calendars through the gateway (<c>calendarView</c> from a week back to two
/// years ahead) and stores what changed: events added, moved or removed in Outlook reach the policies at the next
/// sync, on demand (the admin API) or every <see cref="CalendarsOptions.ExchangeSyncInterval"/>. A sync that finds
/// nothing new stores and audits nothing. Only mailboxes listed in <see cref="CalendarsOptions.ClosureMailboxes"/> are
/// read, and only the events that close a day are kept: the subjects of the others leave this class in no result, row
/// or log line.
/// </summary>
public sealed partial class ExchangeCalendarSync(
    AdminStore store, ManagedPolicies managed, IMailboxGateway gateway, IOptions<CalendarsOptions> options, TimeProvider clock,
    ILogger<ExchangeCalendarSync> logger)
{
    /// <summary>The actor of scheduled syncs in the audit log.</summary>
    public const string Scheduled = "scheduled sync";

    private static readonly Duration Back = Duration.FromDays(7);
    private static readonly Duration Ahead = Duration.FromDays(2 * 366);

    /// <summary>The sync status of an Exchange calendar whose mailbox IT no longer lists: kept as it was, not read.</summary>
    public static readonly string NotListed =
        $"not synced: its mailbox is not listed in {CalendarsOptions.Section}:{nameof(CalendarsOptions.ClosureMailboxes)}; the events last read stay in force";

    private readonly CalendarsOptions settings = options.Value;

    /// <summary>An Exchange calendar's closing events now; the calendar is found by name when <paramref name="calendarId"/> is null.</summary>
    /// <exception cref="HoldException">Invalid: a mailbox IT does not list as a closure mailbox, no such mailbox or calendar.</exception>
    public async Task<ExchangeCalendar> ReadAsync(
        string mailbox, string calendar, string? calendarId, IcsFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        // learn.microsoft.com/graph/auth-limit-mailbox-access: Exchange's scope can be wider than meant (a tenant-wide grant); this list holds anyway.
        if (Refusal(mailbox) is { } refused)
        {
            throw new HoldException(HoldError.Invalid, refused);
        }

        try
        {
            calendarId ??= await gateway.FindCalendarAsync(mailbox, calendar, cancellationToken).ConfigureAwait(false)
                ?? throw new HoldException(HoldError.Invalid, $"calendar: the mailbox {mailbox} has no calendar named '{calendar}'");
            var now = Instant.FromDateTimeOffset(clock.GetUtcNow());
            var closes = ManagedPolicies.Filter(filter);
            var events = await gateway.GetCalendarViewAsync(mailbox, calendarId, now - Back, now + Ahead, cancellationToken).ConfigureAwait(false);
            return new ExchangeCalendar(mailbox, calendar, calendarId, filter,
                [.. events.Where(e => closes.Closes(e.Subject, null, e.Categories)).Select(Synced).OrderBy(e => e.Start, StringComparer.Ordinal)
                    .ThenBy(e => e.Id, StringComparer.Ordinal)],
                clock.GetUtcNow());
        }
        catch (GraphGatewayException e) when (e.Kind == GraphErrorKind.NotFound)
        {
            throw new HoldException(HoldError.Invalid, $"mailbox: {mailbox} is not a mailbox BoundaryGuard can read");
        }
    }

    /// <summary>Syncs every Exchange calendar of one of IT's calendars; stores, audits and applies it if an event changed.</summary>
    public async Task<bool> SyncAsync(string id, string actor, CancellationToken cancellationToken)
    {
        var before = await store.CalendarAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new HoldException(HoldError.NotFound, $"No calendar '{id}'.");
        var read = new List<ExchangeCalendar>();
        foreach (var source in before.Document.Exchange)
        {
            // IT's data stays (a mailbox listed again syncs again); it is only no longer read.
            read.Add(settings.IsClosureMailbox(source.Mailbox)
                ? await ReadAsync(source.Mailbox, source.Calendar, source.CalendarId, source.Filter, cancellationToken).ConfigureAwait(false)
                : source with { Status = NotListed });
        }

        if (read.Count(r => r.Status is not null) is > 0 and var skipped)
        {
            LogNotListed(id, skipped);
        }

        if (read.SequenceEqual(before.Document.Exchange, SyncComparer.Instance))
        {
            return false;
        }

        await store.SaveCalendarAsync(before.Document, before.Document with { Exchange = read }, null, actor, "exchange-synced", cancellationToken)
            .ConfigureAwait(false);
        await managed.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The scheduled round: every calendar with an Exchange source; one failing does not stop the others.</summary>
    public async Task SyncAllAsync(CancellationToken cancellationToken)
    {
        foreach (var calendar in await store.CalendarsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (calendar.Document.Exchange.Count == 0)
            {
                continue;
            }

            try
            {
                if (await SyncAsync(calendar.Document.Id, Scheduled, cancellationToken).ConfigureAwait(false))
                {
                    LogSynced(calendar.Document.Id);
                }
            }
            catch (Exception e) when (e is HoldException or GraphGatewayException)
            {
                // The last events read stay in force until a sync succeeds.
                LogSyncFailed(calendar.Document.Id, e.Message);
            }
        }
    }

    /// <summary>Why an Exchange calendar may not be read from <paramref name="mailbox"/>, naming the field; null when it may.</summary>
    private string? Refusal(string mailbox) => settings.IsClosureMailbox(mailbox)
        ? null
        : !settings.ListsAny
            ? $"mailbox: no Exchange calendar can be added while {CalendarsOptions.Section}:{nameof(CalendarsOptions.ClosureMailboxes)} lists no mailbox; " +
              "IT lists the mailboxes that hold closure calendars there (docs/institution.md)"
            : $"mailbox: {mailbox} is not listed in {CalendarsOptions.Section}:{nameof(CalendarsOptions.ClosureMailboxes)}, the mailboxes whose calendars " +
              "may close the institution";

    private static SyncedEvent Synced(CalendarEvent e) => e.IsAllDay
        ? new(e.Id, e.Subject, true, LocalDatePattern.Iso.Format(e.Start.Date), LocalDatePattern.Iso.Format(e.End.Date))
        : new(e.Id, e.Subject, false, InstantPattern.ExtendedIso.Format(e.Start.InUtc().ToInstant()), InstantPattern.ExtendedIso.Format(e.End.InUtc().ToInstant()));

    [LoggerMessage(Level = LogLevel.Information, Message = "Exchange calendar sync changed calendar {Calendar}")]
    private partial void LogSynced(string calendar);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Exchange calendar sync of calendar {Calendar} failed, its last events stay: {Problem}")]
    private partial void LogSyncFailed(string calendar, string problem);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Exchange calendar sync of calendar {Calendar} skipped {Count} Exchange calendar(s) whose mailbox is not listed in Calendars:ClosureMailboxes")]
    private partial void LogNotListed(string calendar, int count);

    /// <summary>A sync changed nothing when every calendar has the same events and status (a fresh read has a new time only).</summary>
    private sealed class SyncComparer : IEqualityComparer<ExchangeCalendar>
    {
        public static readonly SyncComparer Instance = new();

        public bool Equals(ExchangeCalendar? x, ExchangeCalendar? y) =>
            x is not null && y is not null && x.Events.SequenceEqual(y.Events) && x.Status == y.Status;

        public int GetHashCode(ExchangeCalendar obj) => obj.Events.Count;
    }
}
