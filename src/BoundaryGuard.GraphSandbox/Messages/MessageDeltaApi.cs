using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Protocol;
using BoundaryGuard.GraphSandbox.Storage;
using BoundaryGuard.GraphSandbox.Users;

namespace BoundaryGuard.GraphSandbox.Messages;

/// <summary>
/// <c>GET /users/{id}/mailFolders/{folder}/messages/delta</c> (also spelled <c>delta()</c>, as the Graph SDK calls it).
/// The first round lists the folder's messages; pages end in <c>@odata.nextLink</c> ($skiptoken) and the last page in
/// <c>@odata.deltaLink</c> ($deltatoken). Following the deltaLink later gives the messages created or changed in the
/// folder since, and <c>{"id":...,"@removed":{"reason":"deleted"}}</c> for those that left it (moved, sent, deleted).
/// <c>$select</c> is kept inside the tokens, as Graph does. Page size: <c>Prefer: odata.maxpagesize=N</c>, default 10.
/// </summary>
internal static class MessageDeltaApi
{
    private const int DefaultPageSize = 10;

    public static IEndpointRouteBuilder MapMessageDelta(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1.0/users/{user}/mailFolders/{folder}/messages/delta", Delta);
        endpoints.MapGet("/v1.0/users/{user}/mailFolders/{folder}/messages/delta()", Delta);
        return endpoints;
    }

    private static IResult Delta(HttpContext context, string user, string folder, SandboxStore store)
    {
        var query = ODataQuery.Parse(context.Request, "$select", "$skiptoken", "$deltatoken");
        if (context.Request.Query.ContainsKey("changeType"))
        {
            throw GraphException.BadQuery("The changeType option of delta is not supported by the sandbox.");
        }

        query.RequireKnownSelect(MessageJson.Properties, "microsoft.graph.message");
        var skipToken = context.Request.Query["$skiptoken"].ToString();
        var deltaToken = context.Request.Query["$deltatoken"].ToString();
        if (skipToken.Length > 0 && deltaToken.Length > 0)
        {
            throw GraphException.BadQuery("Give either $skiptoken or $deltatoken, not both.");
        }

        var pageSize = PreferHeader.MaxPageSize(context.Request) ?? DefaultPageSize;
        var result = store.Read(state =>
        {
            var (record, mailbox) = UserLookup.Mailbox(state, user);
            var folderRecord = mailbox.FindFolder(folder) ?? throw GraphException.ItemNotFound();
            var position = Position(skipToken, deltaToken, query.Select, state, record.Id, folderRecord.Id);
            if (position is null)
            {
                return null;
            }

            var select = position.Select?.Split(',');
            var present = mailbox.Messages.Values
                .Where(m => m.FolderId == folderRecord.Id && m.Sequence > position.After && m.Sequence <= position.To)
                .Select(m => (m.Sequence, Item: Item(m, select)));

            // The first round is a snapshot of what is there; departures only matter to a client that saw an earlier round.
            var departed = position.From == 0 || !mailbox.Departures.TryGetValue(folderRecord.Id, out var departures)
                ? []
                : departures.Where(d => d.Value > position.After && d.Value <= position.To).Select(d => (Sequence: d.Value, Item: Removed(d.Key)));
            var ordered = present.Concat(departed).OrderBy(e => e.Sequence).Take(pageSize + 1).ToList();
            var more = ordered.Count > pageSize;
            var page = ordered.Take(pageSize).ToList();
            var next = more
                ? position with { After = page[^1].Sequence }
                : position with { From = position.To, After = position.To };
            return new DeltaPage(page.Select(e => e.Item).ToList(), next, more);
        });

        if (result is null)
        {
            // A token from another data set (the sandbox restarted without a data file): Graph's answer is 410 and a
            // fresh start, which a client handles by running a full round again.
            context.Response.Headers.Location = Links.WithQuery(context, new Dictionary<string, string?>(), keepOthers: false);
            throw new GraphException(StatusCodes.Status410Gone, "SyncStateNotFound",
                "The sync state for this delta token is not known to this sandbox data set; start again without a token.");
        }

        if (PreferHeader.MaxPageSize(context.Request) is { } applied)
        {
            context.Response.Headers["Preference-Applied"] = $"odata.maxpagesize={applied}";
        }

        var body = new JsonObject { ["@odata.context"] = GraphJson.Context(context, "Collection(message)") };
        var token = result.Next.Encode();
        body[result.More ? "@odata.nextLink" : "@odata.deltaLink"] = Links.WithQuery(context,
            new Dictionary<string, string?> { [result.More ? "$skiptoken" : "$deltatoken"] = token }, keepOthers: false);
        body["value"] = new JsonArray([.. result.Items]);
        return GraphJson.Ok(body);
    }

    /// <summary>Where this request starts: a new round, a page of a round, or the round after a deltaLink. Null: wrong data set.</summary>
    private static DeltaToken? Position(string skipToken, string deltaToken, IReadOnlyList<string>? select, SandboxState state, string userId, string folderId)
    {
        var text = skipToken.Length > 0 ? skipToken : deltaToken;
        if (text.Length == 0)
        {
            return new DeltaToken(state.Epoch, userId, folderId, 0, state.Sequence, 0, select is null ? null : string.Join(',', select));
        }

        var token = DeltaToken.TryDecode(text) ?? throw GraphException.BadQuery("The delta or skip token is not valid.");
        if (token.Epoch != state.Epoch)
        {
            return null;
        }

        if (!string.Equals(token.UserId, userId, StringComparison.OrdinalIgnoreCase) || token.FolderId != folderId)
        {
            throw GraphException.BadQuery("The token belongs to another mailbox or folder.");
        }

        // Query options on a link the client follows come from the token, as in Graph; an explicit $select wins.
        var chosenSelect = select is null ? token.Select : string.Join(',', select);
        return skipToken.Length > 0
            ? token with { Select = chosenSelect }
            : new DeltaToken(state.Epoch, userId, folderId, token.To, Math.Max(state.Sequence, token.To), token.To, chosenSelect);
    }

    private static JsonObject Item(MessageRecord message, IReadOnlyList<string>? select)
    {
        var json = MessageJson.Build(message, select);
        var item = new JsonObject { ["@odata.type"] = "#microsoft.graph.message" };
        foreach (var (name, value) in json.ToList())
        {
            json.Remove(name);
            item[name] = value;
        }

        return item;
    }

    private static JsonObject Removed(string id) => new()
    {
        ["@odata.type"] = "#microsoft.graph.message",
        ["id"] = id,
        ["@removed"] = new JsonObject { ["reason"] = "deleted" },
    };

    private sealed record DeltaPage(List<JsonObject> Items, DeltaToken Next, bool More);
}
