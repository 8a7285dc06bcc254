using Microsoft.AspNetCore.WebUtilities;

namespace BoundaryGuard.GraphSandbox.Protocol;

/// <summary>Builds @odata.nextLink / @odata.deltaLink: absolute, on the host the client called, other query options kept.</summary>
internal static class Links
{
    public static string WithQuery(HttpContext context, IReadOnlyDictionary<string, string?> replace, bool keepOthers = true)
    {
        var query = new List<KeyValuePair<string, string?>>();
        var replaced = new HashSet<string>(replace.Keys, StringComparer.OrdinalIgnoreCase);
        if (keepOthers)
        {
            query.AddRange(context.Request.Query
                .Where(pair => !replaced.Contains(pair.Key))
                .SelectMany(pair => pair.Value.Select(value => new KeyValuePair<string, string?>(pair.Key, value))));
        }

        query.AddRange(replace.Where(pair => pair.Value is not null));
        return QueryHelpers.AddQueryString($"{GraphJson.Base(context)}{context.Request.PathBase}{context.Request.Path}", query);
    }

    public static string At(HttpContext context, string path, IReadOnlyDictionary<string, string?> query) =>
        QueryHelpers.AddQueryString($"{GraphJson.Base(context)}{path}", query.Where(p => p.Value is not null));
}
