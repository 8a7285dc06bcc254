using System.Collections.Concurrent;
using System.Text.Json;
using BoundaryGuard.Core.Policies;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions.Serialization;
using WorkingHours = BoundaryGuard.Core.Policies.WorkingHours;
using NodaTime;
using NodaTime.Text;

namespace BoundaryGuard.Graph.Mailboxes;

/// <summary>
/// <see cref="IMailboxGateway"/> over the Microsoft Graph v6 SDK. Requests go through the SDK's HTTP pipeline with
/// BoundaryGuard's handlers (immutable ids, one resilience layer, per-mailbox pacing); failures are translated
/// here and Graph's text never leaves this class.
/// </summary>
public sealed class GraphMailboxGateway(GraphServiceClient graph, GraphOptions options, TimeProvider clock) : IMailboxGateway
{
    public const string HeldCategory = "BoundaryGuard: held";
    public const string SendLaterFolderName = "Send later";

    // Named MAPI properties in BoundaryGuard's own property set.
    public const string HoldIdProperty = "String {4f1c1a52-8d3e-4b8e-9a57-2f0b5c6d7e81} Name BoundaryGuardHoldId";
    public const string ReleaseAtProperty = "String {4f1c1a52-8d3e-4b8e-9a57-2f0b5c6d7e81} Name BoundaryGuardReleaseAt";

    // PidTagDeferredSendTime (MAPI 0x3FEF, PT_SYSTIME), set on a draft whose delivery Outlook delayed itself.
    // learn.microsoft.com/office/client-developer/outlook/mapi/pidtagdeferredsendtime-canonical-property
    public const string DeferredSendTimeProperty = "SystemTime 0x3FEF";

    private static readonly string[] StateFields =
        ["id", "isDraft", "parentFolderId", "lastModifiedDateTime", "categories", "toRecipients", "ccRecipients", "bccRecipients"];

    private static readonly string[] SentFields = ["id", "sentDateTime", "toRecipients", "ccRecipients", "bccRecipients"];

    // One $expand with id eq ... or ...: learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get
    private static readonly string ExpandHold =
        $"singleValueExtendedProperties($filter=id eq '{HoldIdProperty}' or id eq '{ReleaseAtProperty}' or id eq '{DeferredSendTimeProperty}')";

    private readonly ConcurrentDictionary<(string Mailbox, string Folder), string> folderIds = new();

    public async Task<WorkingHours> GetWorkingHoursAsync(string mailbox, CancellationToken cancellationToken = default)
    {
        var settings = await Call("read working hours", () => graph.Users[mailbox].MailboxSettings.GetAsync(cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        if (settings?.WorkingHours is null)
        {
            throw new GraphGatewayException(GraphErrorKind.NotFound, "read working hours: the mailbox has none");
        }

        // One parser serves the policy file and Graph: the SDK's model is written back as Graph's JSON and read by it.
        var json = await KiotaJsonSerializer.SerializeAsStringAsync(settings.WorkingHours, serializeOnlyChangedValues: false, cancellationToken)
            .ConfigureAwait(false);
        using var document = JsonDocument.Parse(json);
        try
        {
            return PolicyFile.ParseWorkingHours(document.RootElement, $"mailboxSettings.workingHours");
        }
        catch (Core.PolicyException e)
        {
            throw new GraphGatewayException(GraphErrorKind.Rejected, $"read working hours: {e.Message}", e);
        }
    }

    public async Task<DirectoryUser> GetUserAsync(string mailbox, CancellationToken cancellationToken = default)
    {
        var user = await Call("read user", () => graph.Users[mailbox].GetAsync(
            request => request.QueryParameters.Select = ["department", "jobTitle"], cancellationToken)).ConfigureAwait(false);
        return new DirectoryUser(Trimmed(user?.Department), Trimmed(user?.JobTitle));
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public async Task<string?> FindCalendarAsync(string mailbox, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var page = await Call("list calendars", () => graph.Users[mailbox].Calendars.GetAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
        while (page is not null)
        {
            if ((page.Value ?? []).FirstOrDefault(c => string.Equals(c.Name?.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase)) is { Id: { } id })
            {
                return id;
            }

            if (page.OdataNextLink is not { } next)
            {
                break;
            }

            page = await Call("list calendars", () => graph.Users[mailbox].Calendars.WithUrl(next).GetAsync(cancellationToken: cancellationToken))
                .ConfigureAwait(false);
        }

        return null;
    }

    public async Task<IReadOnlyList<CalendarEvent>> GetCalendarViewAsync(
        string mailbox, string calendarId, Instant start, Instant until, CancellationToken cancellationToken = default)
    {
        var events = new List<CalendarEvent>();
        var page = await Call("read calendar", () => graph.Users[mailbox].Calendars[calendarId].CalendarView.GetAsync(
            request =>
            {
                request.QueryParameters.StartDateTime = InstantPattern.ExtendedIso.Format(start);
                request.QueryParameters.EndDateTime = InstantPattern.ExtendedIso.Format(until);
                request.QueryParameters.Select = ["id", "subject", "start", "end", "isAllDay", "categories", "lastModifiedDateTime"];
                request.Headers.Add("Prefer", "outlook.timezone=\"UTC\"");
            },
            cancellationToken)).ConfigureAwait(false);
        while (page is not null)
        {
            events.AddRange((page.Value ?? []).Select(ToCalendarEvent));
            if (page.OdataNextLink is not { } next)
            {
                break;
            }

            page = await Call("read calendar", () => graph.Users[mailbox].Calendars[calendarId].CalendarView.WithUrl(next)
                .GetAsync(request => request.Headers.Add("Prefer", "outlook.timezone=\"UTC\""), cancellationToken)).ConfigureAwait(false);
        }

        return events;
    }

    public async Task<DraftState?> GetDraftStateAsync(string mailbox, string messageId, CancellationToken cancellationToken = default)
    {
        try
        {
            var message = await Call("read draft", () => graph.Users[mailbox].Messages[messageId].GetAsync(
                request =>
                {
                    request.QueryParameters.Select = StateFields;
                    request.QueryParameters.Expand = [ExpandHold];
                },
                cancellationToken)).ConfigureAwait(false);
            return message is null ? null : await ToDraftState(mailbox, message, cancellationToken).ConfigureAwait(false);
        }
        catch (GraphGatewayException e) when (e.Kind == GraphErrorKind.NotFound && e.GraphCode is "ErrorItemNotFound")
        {
            return null;
        }
    }

    public async Task MarkHeldAsync(string mailbox, string messageId, HoldMark mark, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mark);
        await Patch(mailbox, messageId, add: true, mark.HoldId, InstantPattern.ExtendedIso.Format(mark.ReleaseAt), cancellationToken)
            .ConfigureAwait(false);
    }

    public Task UnmarkAsync(string mailbox, string messageId, CancellationToken cancellationToken = default) =>
        Patch(mailbox, messageId, add: false, string.Empty, string.Empty, cancellationToken);

    public async Task<string> CreateDraftAsync(string mailbox, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var draft = await Call("write draft", () => graph.Users[mailbox].Messages.PostAsync(
            new Message
            {
                Subject = message.Subject,
                Body = new ItemBody { ContentType = BodyType.Html, Content = message.HtmlBody },
                ToRecipients = [.. message.To.Select(address => new Recipient { EmailAddress = new EmailAddress { Address = address } })],
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return draft?.Id ?? throw new GraphGatewayException(GraphErrorKind.Rejected, "write draft: Graph returned no id");
    }

    public async Task<SendOutcome> SendDraftAsync(string mailbox, string messageId, CancellationToken cancellationToken = default)
    {
        // A send is repeated only when the draft is certainly still a draft: never on a 404, which right after a
        // send can mean "on its way to Sent Items" as well as "deleted".
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var before = await GetDraftStateAsync(mailbox, messageId, cancellationToken).ConfigureAwait(false);
            if (before is null || (before.IsDraft && before.Folder == MailFolderKind.DeletedItems))
            {
                return attempt == 0 ? SendOutcome.DraftMissing : await Confirm(mailbox, messageId, cancellationToken).ConfigureAwait(false);
            }

            if (!before.IsDraft)
            {
                return attempt == 0 ? SendOutcome.AlreadySent : SendOutcome.Sent;
            }

            try
            {
                await Call("send draft", () => graph.Users[mailbox].Messages[messageId].Send.PostAsync(cancellationToken: cancellationToken))
                    .ConfigureAwait(false);
                return await Confirm(mailbox, messageId, cancellationToken).ConfigureAwait(false);
            }
            catch (GraphGatewayException e) when (e.Kind == GraphErrorKind.Transient)
            {
                // The answer was lost or Graph failed: whether the send took effect is decided by looking, above.
            }
        }

        return await Confirm(mailbox, messageId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DeltaPage<DraftState>> GetSendLaterChangesAsync(
        string mailbox, string? deltaLink, CancellationToken cancellationToken = default)
    {
        var folder = await SendLaterFolderId(mailbox, cancellationToken).ConfigureAwait(false);
        var changed = new List<DraftState>();
        var removed = new List<string>();
        var link = await Delta(mailbox, folder, deltaLink, StateFields, async message =>
        {
            // Delta pages do not expand extended properties: read each changed draft's full state.
            if (await GetDraftStateAsync(mailbox, message.Id!, cancellationToken).ConfigureAwait(false) is { } state)
            {
                changed.Add(state);
            }
        }, removed, cancellationToken).ConfigureAwait(false);
        return new DeltaPage<DraftState>(changed, removed, link);
    }

    public async Task<DeltaPage<SentItem>> GetSentItemsChangesAsync(
        string mailbox, string? deltaLink, CancellationToken cancellationToken = default)
    {
        var changed = new List<SentItem>();
        var removed = new List<string>();
        var link = await Delta(mailbox, "sentitems", deltaLink, SentFields, message =>
        {
            if (message.SentDateTime is { } sent)
            {
                changed.Add(new SentItem(message.Id!, Instant.FromDateTimeOffset(sent), Recipients(message)));
            }

            return Task.CompletedTask;
        }, removed, cancellationToken).ConfigureAwait(false);
        return new DeltaPage<SentItem>(changed, removed, link);
    }

    private async Task<string> Delta(
        string mailbox,
        string folder,
        string? deltaLink,
        string[] fields,
        Func<Message, Task> onMessage,
        List<string> removed,
        CancellationToken cancellationToken)
    {
        var builder = graph.Users[mailbox].MailFolders[folder].Messages.Delta;
        var page = await Call("read folder changes", () => deltaLink is null
            ? builder.GetAsDeltaGetResponseAsync(request => request.QueryParameters.Select = fields, cancellationToken)
            : builder.WithUrl(deltaLink).GetAsDeltaGetResponseAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
        while (page is not null)
        {
            foreach (var message in page.Value ?? [])
            {
                if (message.AdditionalData.ContainsKey("@removed"))
                {
                    removed.Add(message.Id!);
                }
                else
                {
                    await onMessage(message).ConfigureAwait(false);
                }
            }

            if (page.OdataDeltaLink is { } done)
            {
                return done;
            }

            var next = page.OdataNextLink
                ?? throw new GraphGatewayException(GraphErrorKind.Transient, "read folder changes: a page had neither a next nor a delta link");
            page = await Call("read folder changes", () => builder.WithUrl(next).GetAsDeltaGetResponseAsync(cancellationToken: cancellationToken))
                .ConfigureAwait(false);
        }

        throw new GraphGatewayException(GraphErrorKind.Transient, "read folder changes: Graph returned no page");
    }

    private async Task<SendOutcome> Confirm(string mailbox, string messageId, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + options.SendConfirmationTimeout;
        var wait = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            var state = await GetDraftStateAsync(mailbox, messageId, cancellationToken).ConfigureAwait(false);
            if (state is { IsDraft: false, Folder: MailFolderKind.SentItems })
            {
                return SendOutcome.Sent;
            }

            if (clock.GetUtcNow() + wait > deadline)
            {
                return SendOutcome.Unconfirmed;
            }

            await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    private async Task Patch(string mailbox, string messageId, bool add, string holdId, string releaseAt, CancellationToken cancellationToken)
    {
        var current = await Call("mark draft", () => graph.Users[mailbox].Messages[messageId].GetAsync(
            request => request.QueryParameters.Select = ["categories"], cancellationToken)).ConfigureAwait(false);
        var categories = (current?.Categories ?? []).Where(c => c != HeldCategory).ToList();
        if (add)
        {
            categories.Add(HeldCategory);
        }

        var patch = new Message
        {
            Categories = categories,
            SingleValueExtendedProperties =
            [
                new SingleValueLegacyExtendedProperty { Id = HoldIdProperty, Value = holdId },
                new SingleValueLegacyExtendedProperty { Id = ReleaseAtProperty, Value = releaseAt },
            ],
        };
        await Call("mark draft", () => graph.Users[mailbox].Messages[messageId].PatchAsync(patch, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
    }

    private async Task<DraftState> ToDraftState(string mailbox, Message message, CancellationToken cancellationToken)
    {
        var properties = (message.SingleValueExtendedProperties ?? [])
            .Where(p => p.Id is not null)
            .ToDictionary(p => p.Id!, p => p.Value, StringComparer.OrdinalIgnoreCase);
        HoldMark? hold = null;
        if (properties.TryGetValue(HoldIdProperty, out var holdId) && !string.IsNullOrEmpty(holdId) &&
            properties.TryGetValue(ReleaseAtProperty, out var releaseAt) && InstantPattern.ExtendedIso.Parse(releaseAt ?? string.Empty) is { Success: true } parsed)
        {
            hold = new HoldMark(holdId, parsed.Value);
        }

        // Graph answers with the tag as it spells it ("SystemTime 0x3fef"): the dictionary ignores case.
        Instant? deferred = properties.TryGetValue(DeferredSendTimeProperty, out var deferredAt) &&
            DateTimeOffset.TryParse(deferredAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? Instant.FromDateTimeOffset(at)
            : null;

        return new DraftState(
            message.Id!,
            message.IsDraft ?? false,
            await FolderKind(mailbox, message.ParentFolderId, cancellationToken).ConfigureAwait(false),
            message.LastModifiedDateTime is { } modified ? Instant.FromDateTimeOffset(modified) : null,
            Recipients(message),
            hold,
            deferred);
    }

    private async Task<MailFolderKind> FolderKind(string mailbox, string? folderId, CancellationToken cancellationToken)
    {
        if (folderId is null)
        {
            return MailFolderKind.Other;
        }

        if (folderId == await WellKnownFolderId(mailbox, "drafts", cancellationToken).ConfigureAwait(false))
        {
            return MailFolderKind.Drafts;
        }

        if (folderId == await WellKnownFolderId(mailbox, "sentitems", cancellationToken).ConfigureAwait(false))
        {
            return MailFolderKind.SentItems;
        }

        if (folderId == await WellKnownFolderId(mailbox, "deleteditems", cancellationToken).ConfigureAwait(false))
        {
            return MailFolderKind.DeletedItems;
        }

        return folderIds.TryGetValue((mailbox, SendLaterFolderName), out var sendLater) && sendLater == folderId
            ? MailFolderKind.SendLater
            : MailFolderKind.Other;
    }

    private async Task<string> WellKnownFolderId(string mailbox, string name, CancellationToken cancellationToken)
    {
        if (folderIds.TryGetValue((mailbox, name), out var id))
        {
            return id;
        }

        var folder = await Call("read folder", () => graph.Users[mailbox].MailFolders[name].GetAsync(
            request => request.QueryParameters.Select = ["id"], cancellationToken)).ConfigureAwait(false);
        return folderIds[(mailbox, name)] = folder?.Id
            ?? throw new GraphGatewayException(GraphErrorKind.NotFound, $"read folder: {name} not found");
    }

    private async Task<string> SendLaterFolderId(string mailbox, CancellationToken cancellationToken)
    {
        if (folderIds.TryGetValue((mailbox, SendLaterFolderName), out var id))
        {
            return id;
        }

        async Task<string?> Find()
        {
            var found = await Call("find the Send later folder", () => graph.Users[mailbox].MailFolders.GetAsync(
                request => request.QueryParameters.Filter = $"displayName eq '{SendLaterFolderName}'", cancellationToken)).ConfigureAwait(false);
            return found?.Value?.FirstOrDefault()?.Id;
        }

        var folderId = await Find().ConfigureAwait(false);
        if (folderId is null)
        {
            try
            {
                var created = await Call("create the Send later folder", () => graph.Users[mailbox].MailFolders.PostAsync(
                    new MailFolder { DisplayName = SendLaterFolderName }, cancellationToken: cancellationToken)).ConfigureAwait(false);
                folderId = created?.Id;
            }
            catch (GraphGatewayException e) when (e.GraphCode is "ErrorFolderExists")
            {
                // Created meanwhile by another instance or by the user: use that one.
                folderId = await Find().ConfigureAwait(false);
            }
        }

        return folderIds[(mailbox, SendLaterFolderName)] = folderId
            ?? throw new GraphGatewayException(GraphErrorKind.Transient, "create the Send later folder: Graph returned no folder");
    }

    private static List<string> Recipients(Message message) =>
        (message.ToRecipients ?? []).Concat(message.CcRecipients ?? []).Concat(message.BccRecipients ?? [])
            .Select(r => r.EmailAddress?.Address)
            .OfType<string>()
            .ToList();

    private static CalendarEvent ToCalendarEvent(Event e) => new(
        e.Id ?? string.Empty,
        e.Subject ?? string.Empty,
        ParseGraphDateTime(e.Start),
        ParseGraphDateTime(e.End),
        e.Start?.TimeZone ?? "UTC",
        e.IsAllDay ?? false,
        e.Categories ?? [],
        e.LastModifiedDateTime is { } modified ? Instant.FromDateTimeOffset(modified) : null);

    private static LocalDateTime ParseGraphDateTime(DateTimeTimeZone? value)
    {
        var parsed = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF").Parse(value?.DateTime ?? string.Empty);
        return parsed.Success
            ? parsed.Value
            : throw new GraphGatewayException(GraphErrorKind.Rejected, "read calendar: an event has an unreadable date");
    }

    private static async Task<T> Call<T>(string operation, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || e is TaskCanceledException { InnerException: TimeoutException })
        {
            throw GraphGatewayException.From(e, operation);
        }
    }

    private static async Task Call(string operation, Func<Task> call) =>
        await Call<bool>(operation, async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
}
