using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Protocol;
using BoundaryGuard.GraphSandbox.Storage;

namespace BoundaryGuard.GraphSandbox.Users;

/// <summary><c>GET /v1.0/users</c> and <c>GET /v1.0/users/{id}</c>: the directory, with department and job title.</summary>
internal static class UsersApi
{
    private static readonly HashSet<string> Properties = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation",
        "preferredLanguage", "surname", "userPrincipalName", "department", "accountEnabled", "mailboxSettings",
    };

    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1.0/users", (HttpContext context, SandboxStore store) =>
        {
            var query = ODataQuery.Parse(context.Request, "$select", "$top");
            query.RequireKnownSelect(Properties, "microsoft.graph.user");
            var users = store.Read(state => state.Users.Select(u => Json(u, query.Select)).ToList());
            var top = Math.Clamp(query.Top ?? 100, 1, 999);
            var body = new JsonObject
            {
                ["@odata.context"] = GraphJson.Context(context, "users"),
                ["value"] = new JsonArray([.. users.Take(top)]),
            };
            return GraphJson.Ok(body);
        });

        endpoints.MapGet("/v1.0/users/{user}", (HttpContext context, string user, SandboxStore store) =>
        {
            var query = ODataQuery.Parse(context.Request, "$select");
            query.RequireKnownSelect(Properties, "microsoft.graph.user");
            var record = store.Read(state => UserLookup.Find(state, user))
                ?? throw new GraphException(StatusCodes.Status404NotFound, "Request_ResourceNotFound",
                    $"Resource '{user}' does not exist or one of its queried reference-property objects are not present.");
            var json = Json(record, query.Select);
            json["@odata.context"] = GraphJson.Context(context, "users/$entity");
            return GraphJson.Ok(Annotations.First(json));
        });
        return endpoints;
    }

    public static JsonObject Json(UserRecord user, IReadOnlyList<string>? select)
    {
        var json = new JsonObject
        {
            ["businessPhones"] = new JsonArray(),
            ["displayName"] = user.DisplayName,
            ["givenName"] = user.GivenName,
            ["jobTitle"] = user.JobTitle,
            ["mail"] = user.Mail,
            ["mobilePhone"] = null,
            ["officeLocation"] = user.OfficeLocation,
            ["preferredLanguage"] = "en-US",
            ["surname"] = user.Surname,
            ["userPrincipalName"] = user.UserPrincipalName,
            ["id"] = user.Id,
            ["department"] = user.Department,
        };
        return Selection.Apply(json, select);
    }
}
