using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BoundaryGuard.GraphSandbox.Protocol;
using BoundaryGuard.GraphSandbox.Storage;
using BoundaryGuard.GraphSandbox.Users;

namespace BoundaryGuard.GraphSandbox.Folders;

/// <summary>
/// Mail folders: the top-level list (with <c>$filter=displayName eq '...'</c>), one folder by id or well-known name,
/// and creating a top-level folder such as "Send later" (a duplicate name is 409 ErrorFolderExists).
/// </summary>
internal static partial class FoldersApi
{
    private const int DefaultPageSize = 10;

    private static readonly HashSet<string> Properties = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "displayName", "parentFolderId", "childFolderCount", "unreadItemCount", "totalItemCount", "isHidden",
    };

    public static IEndpointRouteBuilder MapFolders(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1.0/users/{user}/mailFolders", List);
        endpoints.MapPost("/v1.0/users/{user}/mailFolders", CreateAsync);
        endpoints.MapGet("/v1.0/users/{user}/mailFolders/{folder}", Get);
        return endpoints;
    }

    private static IResult List(HttpContext context, string user, SandboxStore store)
    {
        var query = ODataQuery.Parse(context.Request, "$select", "$top", "$skip", "$filter");
        query.RequireKnownSelect(Properties, "microsoft.graph.mailFolder");
        var name = query.Filter is null ? null : DisplayNameFilter(query.Filter);
        var top = Math.Clamp(query.Top ?? DefaultPageSize, 1, 1000);
        var skip = query.Skip ?? 0;
        var (userId, page, total) = store.Read(state =>
        {
            var (record, mailbox) = UserLookup.Mailbox(state, user);
            var root = mailbox.Root();
            var folders = mailbox.Folders
                .Where(f => f.ParentFolderId == root.Id && !f.IsHidden)
                .Where(f => name is null || string.Equals(f.DisplayName, name, StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => f.DisplayName, StringComparer.OrdinalIgnoreCase)
                .ToList();
            return (record.Id, folders.Skip(skip).Take(top).Select(f => Selection.Apply(Json(mailbox, f), query.Select)).ToList(), folders.Count);
        });
        return GraphJson.Page(context, $"users('{userId}')/mailFolders", page, skip, top, total);
    }

    private static IResult Get(HttpContext context, string user, string folder, SandboxStore store)
    {
        var query = ODataQuery.Parse(context.Request, "$select");
        query.RequireKnownSelect(Properties, "microsoft.graph.mailFolder");
        var json = store.Read(state =>
        {
            var (record, mailbox) = UserLookup.Mailbox(state, user);
            var found = mailbox.FindFolder(folder) ?? throw GraphException.ItemNotFound();
            var json = Selection.Apply(Json(mailbox, found), query.Select);
            json["@odata.context"] = GraphJson.Context(context, $"users('{record.Id}')/mailFolders/$entity");
            return json;
        });
        return GraphJson.Ok(Annotations.First(json));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, string user, SandboxStore store)
    {
        var payload = await GraphPayload.ReadAsync(context.Request, "microsoft.graph.mailFolder").ConfigureAwait(false);
        payload.RequireKnown(new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "displayName", "isHidden" });
        var displayName = payload.String("displayName")?.Trim();
        if (string.IsNullOrEmpty(displayName))
        {
            throw new GraphException(StatusCodes.Status400BadRequest, "ErrorInvalidRequest", "The displayName of a folder is required.");
        }

        var isHidden = payload.Bool("isHidden") ?? false;
        var json = store.Write(state =>
        {
            var (record, mailbox) = UserLookup.Mailbox(state, user);
            var root = mailbox.Root();
            if (mailbox.Folders.Any(f => f.ParentFolderId == root.Id && string.Equals(f.DisplayName, displayName, StringComparison.OrdinalIgnoreCase)))
            {
                throw new GraphException(StatusCodes.Status409Conflict, "ErrorFolderExists", "A folder with the specified name already exists.");
            }

            var created = new FolderRecord { Id = SandboxIds.NewFolderId(), DisplayName = displayName, ParentFolderId = root.Id, IsHidden = isHidden };
            mailbox.Folders.Add(created);
            var json = Json(mailbox, created);
            json["@odata.context"] = GraphJson.Context(context, $"users('{record.Id}')/mailFolders/$entity");
            return json;
        });
        return GraphJson.Created(Annotations.First(json));
    }

    private static JsonObject Json(MailboxRecord mailbox, FolderRecord folder)
    {
        var messages = mailbox.Messages.Values.Where(m => m.FolderId == folder.Id).ToList();
        return new JsonObject
        {
            ["id"] = folder.Id,
            ["displayName"] = folder.DisplayName,
            ["parentFolderId"] = folder.ParentFolderId,
            ["childFolderCount"] = mailbox.Folders.Count(f => f.ParentFolderId == folder.Id),
            ["unreadItemCount"] = messages.Count(m => !m.IsRead),
            ["totalItemCount"] = messages.Count,
            ["isHidden"] = folder.IsHidden,
        };
    }

    /// <summary>The one filter the service needs: <c>displayName eq 'Send later'</c> ('' escapes a quote).</summary>
    private static string DisplayNameFilter(string filter)
    {
        var match = DisplayNameEq().Match(filter);
        return match.Success
            ? match.Groups["name"].Value.Replace("''", "'", StringComparison.Ordinal)
            : throw new GraphException(StatusCodes.Status400BadRequest, "ErrorInvalidUrlQueryFilter",
                "The sandbox supports $filter=displayName eq '...' on mailFolders only.");
    }

    [GeneratedRegex(@"^\s*displayName\s+eq\s+'(?<name>(?:[^']|'')*)'\s*$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex DisplayNameEq();
}
