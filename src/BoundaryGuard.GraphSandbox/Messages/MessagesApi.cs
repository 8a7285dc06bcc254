using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Limits;
using BoundaryGuard.GraphSandbox.Protocol;
using BoundaryGuard.GraphSandbox.Reporting;
using BoundaryGuard.GraphSandbox.Seed;
using BoundaryGuard.GraphSandbox.Storage;
using BoundaryGuard.GraphSandbox.Users;

namespace BoundaryGuard.GraphSandbox.Messages;

/// <summary>
/// Messages: list, create (a draft), get, update, delete, send and move, under <c>/users/{id}/messages</c> and
/// <c>/users/{id}/mailFolders/{folder}/messages</c>. Ids are immutable: a move or a send keeps the id.
/// DELETE moves the message to Deleted Items, as Graph does; deleting it there removes it for good.
/// </summary>
internal static class MessagesApi
{
    private const int DefaultPageSize = 10;
    private const int MaxPageSize = 1000;

    public static IEndpointRouteBuilder MapMessages(this IEndpointRouteBuilder endpoints)
    {
        foreach (var prefix in new[] { "/v1.0/users/{user}/messages", "/v1.0/users/{user}/mailFolders/{folder}/messages" })
        {
            endpoints.MapGet(prefix, List);
            endpoints.MapPost(prefix, CreateAsync);
            endpoints.MapGet(prefix + "/{messageId}", Get);
            endpoints.MapPatch(prefix + "/{messageId}", UpdateAsync);
            endpoints.MapDelete(prefix + "/{messageId}", Delete);
            endpoints.MapPost(prefix + "/{messageId}/send", Send).WithMetadata(SendOperation.Instance);
            endpoints.MapPost(prefix + "/{messageId}/move", MoveAsync);
        }

        return endpoints;
    }

    private static IResult List(HttpContext context, string user, string? folder, SandboxStore store, TimeProvider clock)
    {
        var query = ODataQuery.Parse(context.Request, "$select", "$top", "$skip", "$expand");
        query.RequireKnownSelect(MessageJson.Properties, "microsoft.graph.message");
        var expand = ExtendedPropertyExpand.Parse(query.Expand);
        var top = Math.Clamp(query.Top ?? DefaultPageSize, 1, MaxPageSize);
        var skip = query.Skip ?? 0;
        var (userId, folderId, page, total) = store.Read(state =>
        {
            var (record, mailbox) = UserLookup.Mailbox(state, user);
            var folderRecord = folder is null ? null : mailbox.FindFolder(folder) ?? throw GraphException.ItemNotFound();
            var all = mailbox.Messages.Values
                .Where(m => (folderRecord is null || m.FolderId == folderRecord.Id) && m.IsVisibleAt(clock.GetUtcNow()))
                .OrderByDescending(m => m.ReceivedDateTime).ThenBy(m => m.Id, StringComparer.Ordinal)
                .ToList();
            return (record.Id, folderRecord?.Id, all.Skip(skip).Take(top).Select(m => MessageJson.Build(m, query.Select, expand)).ToList(), all.Count);
        });

        var entitySet = folderId is null ? $"users('{userId}')/messages" : $"users('{userId}')/mailFolders('{folderId}')/messages";
        return GraphJson.Page(context, entitySet + (query.Select is null ? "" : $"({string.Join(',', query.Select)})"), page, skip, top, total);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, string user, string? folder, SandboxStore store, TimeProvider clock)
    {
        var changes = await MessageChanges.ReadAsync(context.Request).ConfigureAwait(false);
        var (userId, json) = store.Write(state =>
        {
            var (record, mailbox) = UserLookup.Mailbox(state, user);
            var target = folder is null ? mailbox.WellKnown("drafts") : mailbox.FindFolder(folder) ?? throw GraphException.ItemNotFound();
            var now = clock.GetUtcNow();
            var message = new MessageRecord
            {
                Id = SandboxIds.NewMessageId(),
                ConversationId = SandboxIds.NewConversationId(),
                InternetMessageId = SandboxIds.NewInternetMessageId(DemoInstitution.Domain),
                CreatedDateTime = now,
                ReceivedDateTime = now,
                SentDateTime = now,
                IsDraft = true,
                IsRead = true,
                From = new RecipientRecord { Address = record.Mail, Name = record.DisplayName },
            };
            changes.ApplyTo(message, address => NameFor(state, address));
            mailbox.Messages[message.Id] = message;
            message.MoveTo(mailbox, target.Id, state, now);
            return (record.Id, MessageJson.Build(message, null));
        });
        json["@odata.context"] = GraphJson.Context(context, $"users('{userId}')/messages/$entity");
        return GraphJson.Created(Annotations.First(json));
    }

    private static IResult Get(HttpContext context, string user, string? folder, string messageId, SandboxStore store, TimeProvider clock)
    {
        var query = ODataQuery.Parse(context.Request, "$select", "$expand");
        query.RequireKnownSelect(MessageJson.Properties, "microsoft.graph.message");
        var expand = ExtendedPropertyExpand.Parse(query.Expand);
        var json = store.Read(state =>
        {
            var (record, mailbox) = UserLookup.Mailbox(state, user);
            var message = Find(mailbox, folder, messageId, clock.GetUtcNow());
            var json = MessageJson.Build(message, query.Select, expand,
                GraphJson.Context(context, $"users('{record.Id}')/messages('{Uri.EscapeDataString(message.Id)}')/singleValueExtendedProperties"));
            json["@odata.context"] = GraphJson.Context(context, $"users('{record.Id}')/messages/$entity");
            json["@odata.id"] = $"{GraphJson.Base(context)}/v1.0/users('{record.Id}')/messages('{Uri.EscapeDataString(message.Id)}')";
            return json;
        });
        return GraphJson.Ok(Annotations.First(json));
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string user, string? folder, string messageId, SandboxStore store, TimeProvider clock)
    {
        var changes = await MessageChanges.ReadAsync(context.Request).ConfigureAwait(false);
        var json = store.Write(state =>
        {
            var (record, mailbox) = UserLookup.Mailbox(state, user);
            var message = Find(mailbox, folder, messageId, clock.GetUtcNow());
            changes.RequireAllowedOn(message);
            changes.ApplyTo(message, address => NameFor(state, address));
            message.Touch(state, clock.GetUtcNow());
            var json = MessageJson.Build(message, null);
            json["@odata.context"] = GraphJson.Context(context, $"users('{record.Id}')/messages/$entity");
            return json;
        });
        return GraphJson.Ok(Annotations.First(json));
    }

    private static IResult Delete(string user, string? folder, string messageId, SandboxStore store, TimeProvider clock)
    {
        store.Write(state =>
        {
            var (_, mailbox) = UserLookup.Mailbox(state, user);
            var message = Find(mailbox, folder, messageId, clock.GetUtcNow());
            var deletedItems = mailbox.WellKnown("deleteditems");
            if (message.FolderId == deletedItems.Id)
            {
                message.Remove(mailbox, state);
            }
            else
            {
                message.MoveTo(mailbox, deletedItems.Id, state, clock.GetUtcNow());
            }

            return true;
        });
        return GraphJson.Empty(StatusCodes.Status204NoContent);
    }

    /// <summary>
    /// Sends a draft: it moves to Sent Items with the same id, isDraft false and sentDateTime now; every recipient the
    /// directory knows gets a copy in their Inbox (a new item with its own id, as in Exchange).
    /// </summary>
    private static IResult Send(string user, string? folder, string messageId, SandboxStore store, TimeProvider clock, MailboxLimits limits, SandboxReport report)
    {
        var senderId = store.Write(state =>
        {
            var (record, mailbox) = UserLookup.Mailbox(state, user);
            var message = Find(mailbox, folder, messageId, clock.GetUtcNow());
            if (!message.IsDraft)
            {
                throw GraphException.InvalidRequest("Only a draft can be sent; this message has already been sent.");
            }

            var recipients = message.ToRecipients.Concat(message.CcRecipients).Concat(message.BccRecipients).ToList();
            if (recipients.Count == 0)
            {
                throw new GraphException(StatusCodes.Status400BadRequest, "ErrorInvalidRecipients",
                    "At least one recipient isn't valid., A message can't be sent because it contains no recipients.");
            }

            if (limits.Enabled && recipients.Count > limits.MaxRecipientsPerMessage)
            {
                report.RecordViolation(ViolationKind.RecipientsPerMessage, record.Id);
                throw new GraphException(StatusCodes.Status400BadRequest, "ErrorInvalidRecipients",
                    $"The message has {recipients.Count} recipients; Exchange Online accepts at most {limits.MaxRecipientsPerMessage} per message.");
            }

            if (recipients.FirstOrDefault(r => !LooksLikeAddress(r.Address)) is not null)
            {
                throw new GraphException(StatusCodes.Status400BadRequest, "ErrorInvalidRecipients", "At least one recipient isn't valid.");
            }

            var now = clock.GetUtcNow();
            message.IsDraft = false;
            message.SentDateTime = now;
            message.ReceivedDateTime = now;
            message.MoveTo(mailbox, mailbox.WellKnown("sentitems").Id, state, now);
            Deliver(state, message, recipients, now);
            return record.Id;
        });
        report.RecordSend(senderId);
        return GraphJson.Empty(StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> MoveAsync(HttpContext context, string user, string? folder, string messageId, SandboxStore store, TimeProvider clock)
    {
        var payload = await GraphPayload.ReadAsync(context.Request, "move").ConfigureAwait(false);
        payload.RequireKnown(new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "destinationId" });
        var destination = payload.String("destinationId");
        if (string.IsNullOrWhiteSpace(destination))
        {
            throw GraphException.InvalidRequest("The destinationId parameter is required.");
        }

        var json = store.Write(state =>
        {
            var (record, mailbox) = UserLookup.Mailbox(state, user);
            var message = Find(mailbox, folder, messageId, clock.GetUtcNow());
            var target = mailbox.FindFolder(destination) ?? throw GraphException.ItemNotFound();
            if (target.WellKnownName == MailboxExtensions.RootName)
            {
                throw GraphException.InvalidRequest("Messages cannot be moved to the root folder.");
            }

            if (message.FolderId != target.Id)
            {
                message.MoveTo(mailbox, target.Id, state, clock.GetUtcNow());
            }

            var json = MessageJson.Build(message, null);
            json["@odata.context"] = GraphJson.Context(context, $"users('{record.Id}')/messages/$entity");
            return json;
        });
        return GraphJson.Created(Annotations.First(json));
    }

    private static MessageRecord Find(MailboxRecord mailbox, string? folder, string messageId, DateTimeOffset now)
    {
        if (!mailbox.Messages.TryGetValue(messageId, out var message) || !message.IsVisibleAt(now))
        {
            throw GraphException.ItemNotFound();
        }

        if (folder is not null && mailbox.FindFolder(folder)?.Id != message.FolderId)
        {
            throw GraphException.ItemNotFound();
        }

        return message;
    }

    private static void Deliver(SandboxState state, MessageRecord sent, List<RecipientRecord> recipients, DateTimeOffset now)
    {
        foreach (var address in recipients.Select(r => r.Address).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var user = state.Users.FirstOrDefault(u => string.Equals(u.Mail, address, StringComparison.OrdinalIgnoreCase));
            if (user is null || !state.Mailboxes.TryGetValue(user.Id, out var mailbox))
            {
                continue;
            }

            var copy = new MessageRecord
            {
                Id = SandboxIds.NewMessageId(),
                ConversationId = sent.ConversationId,
                InternetMessageId = sent.InternetMessageId,
                CreatedDateTime = now,
                ReceivedDateTime = now,
                SentDateTime = now,
                Subject = sent.Subject,
                BodyContentType = sent.BodyContentType,
                BodyContent = sent.BodyContent,
                Importance = sent.Importance,
                From = sent.From,
            };
            copy.ToRecipients.AddRange(sent.ToRecipients);
            copy.CcRecipients.AddRange(sent.CcRecipients);
            mailbox.Messages[copy.Id] = copy;
            copy.MoveTo(mailbox, mailbox.WellKnown("inbox").Id, state, now);
        }
    }

    private static string? NameFor(SandboxState state, string address) =>
        state.Users.FirstOrDefault(u => string.Equals(u.Mail, address, StringComparison.OrdinalIgnoreCase))?.DisplayName;

    private static bool LooksLikeAddress(string address)
    {
        var at = address.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == address.LastIndexOf('@') && at < address.Length - 1 && !address.Any(char.IsWhiteSpace);
    }
}

/// <summary>Marks the send endpoints, so the send-rate limit knows them without parsing paths.</summary>
internal sealed class SendOperation
{
    public static readonly SendOperation Instance = new();

    private SendOperation()
    {
    }
}
