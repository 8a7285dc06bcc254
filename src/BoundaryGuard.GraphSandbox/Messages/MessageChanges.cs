using System.Text.RegularExpressions;
using BoundaryGuard.GraphSandbox.Protocol;
using BoundaryGuard.GraphSandbox.Storage;

namespace BoundaryGuard.GraphSandbox.Messages;

/// <summary>
/// A create or PATCH body for a message, validated completely before anything is written, so a bad value leaves the
/// message as it was. Absent properties stay null and change nothing.
/// </summary>
internal sealed partial class MessageChanges
{
    private static readonly HashSet<string> Applied = new(StringComparer.OrdinalIgnoreCase)
    {
        "subject", "body", "importance", "toRecipients", "ccRecipients", "bccRecipients", "replyTo", "categories",
        "singleValueExtendedProperties", "internetMessageHeaders", "isRead", "isDeliveryReceiptRequested",
        "isReadReceiptRequested", "flag", "inferenceClassification",
    };

    // Server-assigned or read-only: Graph ignores them in a body, and an SDK model that round-trips a message sends
    // them. from/sender are ignored too: the sandbox always sends as the mailbox owner (no send-as).
    private static readonly HashSet<string> Ignored = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "createdDateTime", "lastModifiedDateTime", "changeKey", "parentFolderId", "conversationId",
        "conversationIndex", "isDraft", "webLink", "hasAttachments", "bodyPreview", "receivedDateTime", "sentDateTime",
        "internetMessageId", "from", "sender", "uniqueBody",
    };

    private static readonly HashSet<string> Unsupported = new(StringComparer.OrdinalIgnoreCase)
    {
        "attachments", "multiValueExtendedProperties", "extensions", "mentions",
    };

    private static readonly HashSet<string> Known = [.. Applied, .. Ignored];

    /// <summary>What Exchange refuses to change once a message has been sent.</summary>
    private static readonly string[] DraftOnly =
        ["subject", "body", "toRecipients", "ccRecipients", "bccRecipients", "replyTo", "internetMessageHeaders"];

    private readonly List<string> _present;

    private MessageChanges(GraphPayload payload)
    {
        payload.RequireKnown(Known, Unsupported);
        _present = payload.Names.Where(Applied.Contains).ToList();
        Subject = payload.String("subject");
        if (payload.Object("body") is { } body)
        {
            body.RequireKnown(new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "contentType", "content" });
            BodyContentType = Enum(body.String("contentType") ?? "text", "bodyType", "text", "html", "");
            if (BodyContentType.Length == 0)
            {
                BodyContentType = "text";
            }

            BodyContent = body.String("content") ?? "";
        }

        if (payload.String("importance") is { } importance)
        {
            Importance = Enum(importance, "importance", "low", "normal", "high");
        }

        ToRecipients = Recipients(payload, "toRecipients");
        CcRecipients = Recipients(payload, "ccRecipients");
        BccRecipients = Recipients(payload, "bccRecipients");
        ReplyTo = Recipients(payload, "replyTo");
        Categories = payload.Strings("categories");
        ExtendedProperties = payload.Objects("singleValueExtendedProperties")?.Select(ExtendedProperty).ToList();
        Headers = payload.Objects("internetMessageHeaders")?.Select(Header).ToList();
        IsRead = payload.Bool("isRead");
        IsDeliveryReceiptRequested = payload.Bool("isDeliveryReceiptRequested");
        IsReadReceiptRequested = payload.Bool("isReadReceiptRequested");
        if (payload.Object("flag") is { } flag && flag.String("flagStatus") is { } status)
        {
            FlagStatus = Enum(status, "followupFlagStatus", "notFlagged", "complete", "flagged");
        }

        if (payload.String("inferenceClassification") is { } classification)
        {
            InferenceClassification = Enum(classification, "inferenceClassificationType", "focused", "other");
        }
    }

    public string? Subject { get; }
    public string? BodyContentType { get; }
    public string? BodyContent { get; }
    public string? Importance { get; }
    public List<RecipientRecord>? ToRecipients { get; }
    public List<RecipientRecord>? CcRecipients { get; }
    public List<RecipientRecord>? BccRecipients { get; }
    public List<RecipientRecord>? ReplyTo { get; }
    public IReadOnlyList<string>? Categories { get; }
    public List<ExtendedPropertyRecord>? ExtendedProperties { get; }
    public List<HeaderRecord>? Headers { get; }
    public bool? IsRead { get; }
    public bool? IsDeliveryReceiptRequested { get; }
    public bool? IsReadReceiptRequested { get; }
    public string? FlagStatus { get; }
    public string? InferenceClassification { get; }

    public static async Task<MessageChanges> ReadAsync(HttpRequest request) =>
        new(await GraphPayload.ReadAsync(request, "microsoft.graph.message").ConfigureAwait(false));

    /// <summary>Refuses changes Exchange does not allow on a sent message (400 ErrorInvalidPropertyUpdateSentMessage).</summary>
    public void RequireAllowedOn(MessageRecord message)
    {
        if (message.IsDraft)
        {
            return;
        }

        var locked = _present.FirstOrDefault(name => DraftOnly.Contains(name, StringComparer.OrdinalIgnoreCase));
        if (locked is not null)
        {
            throw new GraphException(StatusCodes.Status400BadRequest, "ErrorInvalidPropertyUpdateSentMessage",
                $"Update operation is not supported for the property '{locked}' of a message that has been sent.");
        }
    }

    /// <summary>Applies the changes; <paramref name="nameFor"/> gives the display name of an address the directory knows.</summary>
    public void ApplyTo(MessageRecord message, Func<string, string?> nameFor)
    {
        if (Subject is not null)
        {
            message.Subject = Subject;
        }

        if (BodyContentType is not null)
        {
            message.BodyContentType = BodyContentType;
            message.BodyContent = BodyContent ?? "";
        }

        if (Importance is not null)
        {
            message.Importance = Importance;
        }

        Replace(message.ToRecipients, ToRecipients, nameFor);
        Replace(message.CcRecipients, CcRecipients, nameFor);
        Replace(message.BccRecipients, BccRecipients, nameFor);
        Replace(message.ReplyTo, ReplyTo, nameFor);
        if (Categories is not null)
        {
            message.Categories.Clear();
            message.Categories.AddRange(Categories);
        }

        // Upsert by id: a property not named keeps its value; an empty string is a value like any other.
        foreach (var property in ExtendedProperties ?? [])
        {
            var existing = message.ExtendedProperties.FirstOrDefault(p => string.Equals(p.Id, property.Id, StringComparison.OrdinalIgnoreCase));
            if (existing is null)
            {
                message.ExtendedProperties.Add(property);
            }
            else
            {
                existing.Value = property.Value;
            }
        }

        if (Headers is not null)
        {
            message.InternetMessageHeaders.Clear();
            message.InternetMessageHeaders.AddRange(Headers);
        }

        message.IsRead = IsRead ?? message.IsRead;
        message.IsDeliveryReceiptRequested = IsDeliveryReceiptRequested ?? message.IsDeliveryReceiptRequested;
        message.IsReadReceiptRequested = IsReadReceiptRequested ?? message.IsReadReceiptRequested;
        message.FlagStatus = FlagStatus ?? message.FlagStatus;
        message.InferenceClassification = InferenceClassification ?? message.InferenceClassification;
    }

    private static void Replace(List<RecipientRecord> target, List<RecipientRecord>? source, Func<string, string?> nameFor)
    {
        if (source is null)
        {
            return;
        }

        target.Clear();
        target.AddRange(source.Select(r => new RecipientRecord { Address = r.Address, Name = r.Name ?? nameFor(r.Address) }));
    }

    private static List<RecipientRecord>? Recipients(GraphPayload payload, string name) =>
        payload.Objects(name)?.Select(item =>
        {
            var address = item.Object("emailAddress")
                ?? throw GraphException.BodyRead($"Each item of '{name}' needs an emailAddress.");
            var text = address.String("address");
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new GraphException(StatusCodes.Status400BadRequest, "ErrorInvalidRecipients",
                    $"At least one recipient isn't valid: an item of '{name}' has no address.");
            }

            return new RecipientRecord { Address = text.Trim(), Name = address.String("name") };
        }).ToList();

    private static ExtendedPropertyRecord ExtendedProperty(GraphPayload item)
    {
        var id = item.RequiredString("id");
        if (!ExtendedPropertyId().IsMatch(id))
        {
            throw new GraphException(StatusCodes.Status400BadRequest, "ErrorInvalidExtendedPropertyValue",
                $"The extended property id '{id}' is not valid: expected e.g. 'String {{GUID}} Name X' or 'String 0x1234'.");
        }

        // Graph takes every value as a string, whatever the property's type; a SystemTime one must read as an instant
        // (e.g. PidTagDeferredSendTime, 'SystemTime 0x3FEF', which Outlook's delayed delivery sets).
        var value = item.String("value") ?? throw GraphException.BodyRead("An extended property needs a string value.");
        if (id.StartsWith("SystemTime", StringComparison.OrdinalIgnoreCase) &&
            !DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out _))
        {
            throw new GraphException(StatusCodes.Status400BadRequest, "ErrorInvalidExtendedPropertyValue",
                $"The value of the SystemTime extended property '{id}' is not a date and time.");
        }

        return new ExtendedPropertyRecord { Id = id, Value = value };
    }

    private static HeaderRecord Header(GraphPayload item)
    {
        var name = item.RequiredString("name");
        if (!name.StartsWith("x-", StringComparison.OrdinalIgnoreCase))
        {
            throw new GraphException(StatusCodes.Status400BadRequest, "InvalidInternetMessageHeader",
                $"The internet message header name '{name}' should start with 'x-' or 'X-'.");
        }

        return new HeaderRecord { Name = name, Value = item.String("value") ?? "" };
    }

    private static string Enum(string value, string enumName, params string[] allowed)
    {
        var match = allowed.FirstOrDefault(a => a.Equals(value, StringComparison.OrdinalIgnoreCase));
        return match ?? throw GraphException.BodyRead($"The value '{value}' is not valid for the enum type 'microsoft.graph.{enumName}'.");
    }

    [GeneratedRegex(@"^(String|Integer|Boolean|SystemTime|Binary|Double|Float|Long|Short|Currency|ApplicationTime|CLSID)\s+(\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}\s+(Name\s+\S.*|Id\s+0x[0-9a-fA-F]+)|0x[0-9a-fA-F]{1,4})$", RegexOptions.IgnoreCase)]
    private static partial Regex ExtendedPropertyId();
}
