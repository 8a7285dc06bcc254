namespace BoundaryGuard.Graph.Telemetry;

/// <summary>
/// A request's URL as telemetry may keep it: Graph's URLs carry the mailbox (<c>/users/{address}/messages/...</c>) and
/// ids, so only the path names Graph and the identity platform define are kept, every other segment becomes
/// <c>{id}</c>, and the query is dropped. <c>https://graph.microsoft.com/v1.0/users/{id}/messages/{id}/send</c>.
/// </summary>
/// <remarks>
/// An allow-list rather than a pattern for addresses: a segment nobody listed (a UPN without <c>@</c>, a folder's
/// display name) is hidden too.
/// </remarks>
public static class GraphPaths
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        // Graph resources and actions the gateway uses (learn.microsoft.com/graph/api/resources/mail-api-overview).
        "v1.0", "beta", "users", "me", "messages", "mailFolders", "childFolders", "send", "delta", "delta()", "mailboxSettings",
        "workingHours", "calendars", "calendarView", "events", "$batch", "$value",
        // Well-known folder names (learn.microsoft.com/graph/api/resources/mailfolder): the same in every mailbox.
        "drafts", "sentitems", "deleteditems", "inbox", "outbox",
        // The identity platform's token and metadata endpoints (Azure.Identity, the bearer handler).
        "oauth2", "v2.0", "token", "authorize", ".well-known", "openid-configuration", "discovery", "keys",
    };

    /// <summary>The URL with its path templated and no query or fragment; null stays null.</summary>
    public static string? Template(Uri? url)
    {
        if (url is null || !url.IsAbsoluteUri)
        {
            return url is null ? null : TemplatePath(url.OriginalString.Split('?', '#')[0]);
        }

        return url.GetLeftPart(UriPartial.Authority) + TemplatePath(url.AbsolutePath);
    }

    /// <summary>A path alone, templated the same way: <c>/v1.0/users/{id}</c>.</summary>
    public static string TemplatePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i].Length > 0 && !Names.Contains(Uri.UnescapeDataString(segments[i])))
            {
                segments[i] = "{id}";
            }
        }

        return string.Join('/', segments);
    }
}
