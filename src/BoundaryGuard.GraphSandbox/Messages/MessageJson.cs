using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BoundaryGuard.GraphSandbox.Protocol;
using BoundaryGuard.GraphSandbox.Storage;

namespace BoundaryGuard.GraphSandbox.Messages;

/// <summary>A message as Graph v1.0 writes it (corpus message-get / message-create-draft responses).</summary>
internal static partial class MessageJson
{
    /// <summary>Every property of microsoft.graph.message that <c>$select</c> may name.</summary>
    public static readonly HashSet<string> Properties = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "createdDateTime", "lastModifiedDateTime", "changeKey", "categories", "receivedDateTime", "sentDateTime",
        "hasAttachments", "internetMessageId", "subject", "bodyPreview", "importance", "parentFolderId", "conversationId",
        "conversationIndex", "isDeliveryReceiptRequested", "isReadReceiptRequested", "isRead", "isDraft", "webLink",
        "inferenceClassification", "body", "sender", "from", "toRecipients", "ccRecipients", "bccRecipients", "replyTo",
        "flag", "uniqueBody", "internetMessageHeaders",
    };

    public static JsonObject Build(MessageRecord message, IReadOnlyList<string>? select, ExtendedPropertyExpand? expand = null, string? extendedContext = null)
    {
        var json = new JsonObject
        {
            ["@odata.etag"] = GraphJson.ETag(SandboxIds.ChangeKey(message.Sequence)),
            ["id"] = message.Id,
            ["createdDateTime"] = GraphJson.Seconds(message.CreatedDateTime),
            ["lastModifiedDateTime"] = GraphJson.Seconds(message.LastModifiedDateTime),
            ["changeKey"] = SandboxIds.ChangeKey(message.Sequence),
            ["categories"] = new JsonArray([.. message.Categories.Select(c => (JsonNode)c)]),
            ["receivedDateTime"] = GraphJson.Seconds(message.ReceivedDateTime),
            ["sentDateTime"] = GraphJson.Seconds(message.SentDateTime),
            ["hasAttachments"] = false,
            ["internetMessageId"] = message.InternetMessageId,
            ["subject"] = message.Subject,
            ["bodyPreview"] = Preview(message),
            ["importance"] = message.Importance,
            ["parentFolderId"] = message.FolderId,
            ["conversationId"] = message.ConversationId,
            ["conversationIndex"] = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(message.ConversationId))[..22]),
            ["isDeliveryReceiptRequested"] = message.IsDeliveryReceiptRequested,
            ["isReadReceiptRequested"] = message.IsReadReceiptRequested,
            ["isRead"] = message.IsRead,
            ["isDraft"] = message.IsDraft,
            ["webLink"] = $"https://outlook.office365.com/owa/?ItemID={Uri.EscapeDataString(message.Id)}&exvsurl=1&viewmodel=ReadMessageItem",
            ["inferenceClassification"] = message.InferenceClassification,
            ["body"] = new JsonObject { ["contentType"] = message.BodyContentType, ["content"] = message.BodyContent },
            ["sender"] = Recipient(message.From),
            ["from"] = Recipient(message.From),
            ["toRecipients"] = Recipients(message.ToRecipients),
            ["ccRecipients"] = Recipients(message.CcRecipients),
            ["bccRecipients"] = Recipients(message.BccRecipients),
            ["replyTo"] = Recipients(message.ReplyTo),
            ["flag"] = new JsonObject { ["flagStatus"] = message.FlagStatus },
        };

        // Graph returns internetMessageHeaders only when asked for by $select.
        if (select is not null && select.Contains("internetMessageHeaders", StringComparer.OrdinalIgnoreCase))
        {
            json["internetMessageHeaders"] = new JsonArray([.. message.InternetMessageHeaders.Select(h => (JsonNode)new JsonObject { ["name"] = h.Name, ["value"] = h.Value })]);
        }

        Selection.Apply(json, select);
        if (expand is not null)
        {
            var matching = message.ExtendedProperties.Where(p => expand.Matches(p.Id)).ToList();

            // Graph leaves singleValueExtendedProperties out when no property matches the filter.
            if (matching.Count > 0)
            {
                if (extendedContext is not null)
                {
                    json["singleValueExtendedProperties@odata.context"] = extendedContext;
                }

                json["singleValueExtendedProperties"] = new JsonArray([.. matching.Select(p => (JsonNode)new JsonObject { ["id"] = p.Id, ["value"] = p.Value })]);
            }
        }

        return json;
    }

    public static JsonObject Recipient(RecipientRecord recipient) =>
        new() { ["emailAddress"] = new JsonObject { ["name"] = recipient.Name ?? recipient.Address, ["address"] = recipient.Address } };

    private static JsonArray Recipients(IEnumerable<RecipientRecord> recipients) =>
        new([.. recipients.Select(r => (JsonNode)Recipient(r))]);

    /// <summary>bodyPreview: the first 255 characters of the body as text (tags stripped, whitespace collapsed).</summary>
    private static string Preview(MessageRecord message)
    {
        var text = message.BodyContentType == "html" ? Tags().Replace(message.BodyContent, " ") : message.BodyContent;
        text = System.Net.WebUtility.HtmlDecode(Spaces().Replace(text, " ").Trim());
        return text.Length <= 255 ? text : text[..255];
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}

/// <summary>
/// <c>$expand=singleValueExtendedProperties($filter=id eq '...')</c>, with <c>or</c> between ids; without a filter,
/// every property.
/// </summary>
internal sealed partial class ExtendedPropertyExpand
{
    private readonly HashSet<string>? _ids;

    private ExtendedPropertyExpand(HashSet<string>? ids) => _ids = ids;

    public bool Matches(string id) => _ids is null || _ids.Contains(id);

    public static ExtendedPropertyExpand? Parse(string? expand)
    {
        if (expand is null)
        {
            return null;
        }

        var match = ExpandPattern().Match(expand);
        if (!match.Success)
        {
            throw GraphException.BadQuery($"The sandbox supports $expand=singleValueExtendedProperties($filter=id eq '...') only, not '{expand}'.");
        }

        if (!match.Groups["filter"].Success)
        {
            return new ExtendedPropertyExpand(null);
        }

        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var clause in OrPattern().Split(match.Groups["filter"].Value))
        {
            var idMatch = IdEqPattern().Match(clause);
            if (!idMatch.Success)
            {
                throw GraphException.BadQuery($"Invalid filter clause '{clause.Trim()}': the sandbox supports id eq '...' joined by or.");
            }

            ids.Add(idMatch.Groups["id"].Value.Replace("''", "'", StringComparison.Ordinal));
        }

        return new ExtendedPropertyExpand(ids);
    }

    [GeneratedRegex(@"^\s*singleValueExtendedProperties\s*(\(\s*\$filter\s*=\s*(?<filter>.*)\)\s*)?$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ExpandPattern();

    [GeneratedRegex(@"\s+or\s+", RegexOptions.IgnoreCase)]
    private static partial Regex OrPattern();

    [GeneratedRegex(@"^\s*id\s+eq\s+'(?<id>(?:[^']|'')*)'\s*$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex IdEqPattern();
}
