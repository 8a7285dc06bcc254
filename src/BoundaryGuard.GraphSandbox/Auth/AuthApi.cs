using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.GraphSandbox.Protocol;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.GraphSandbox.Auth;

/// <summary>
/// The Microsoft identity platform's client-credentials token endpoint, <c>POST /{tenant}/oauth2/v2.0/token</c>, with
/// AAD's error shape (<c>{"error":"invalid_client","error_description":"AADSTS...",...}</c>).
/// </summary>
internal static class AuthApi
{
    public static IServiceCollection AddSandboxAuth(this IServiceCollection services) => services.AddSingleton<TokenIssuer>();

    public static IEndpointRouteBuilder MapSandboxAuth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/{tenant}/oauth2/v2.0/token", TokenAsync);
        return endpoints;
    }

    private static async Task<IResult> TokenAsync(HttpContext context, string tenant, TokenIssuer issuer, IOptions<SandboxOptions> options, TimeProvider clock)
    {
        if (!context.Request.HasFormContentType)
        {
            return Error(clock, StatusCodes.Status400BadRequest, "invalid_request", 900144,
                "The request body must contain the following parameter: 'grant_type'.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var grantType = form["grant_type"].ToString();
        var clientId = form["client_id"].ToString();
        var secret = form["client_secret"].ToString();
        var assertion = form["client_assertion"].ToString();
        var scope = form["scope"].ToString();
        if (grantType.Length == 0)
        {
            return Error(clock, StatusCodes.Status400BadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
        }

        if (grantType != "client_credentials")
        {
            return Error(clock, StatusCodes.Status400BadRequest, "unsupported_grant_type", 70003,
                "The app requested an unsupported grant type; the sandbox serves client_credentials only.");
        }

        if (clientId.Length == 0)
        {
            return Error(clock, StatusCodes.Status400BadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
        }

        if (scope.Length == 0)
        {
            return Error(clock, StatusCodes.Status400BadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'.");
        }

        if (!scope.EndsWith("/.default", StringComparison.Ordinal))
        {
            return Error(clock, StatusCodes.Status400BadRequest, "invalid_scope", 1002012,
                "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
        }

        var clients = options.Value.Clients;
        if (clients.Count == 0 ? secret.Length == 0 && assertion.Length == 0 : !clients.Any(c => c.ClientId == clientId && SecretEquals(c.ClientSecret, secret)))
        {
            return Error(clock, StatusCodes.Status401Unauthorized, "invalid_client", 7000215,
                "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.");
        }

        var lifetime = (int)issuer.Lifetime.TotalSeconds;
        context.Response.Headers.CacheControl = "no-store, no-cache";
        return Results.Json(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = lifetime,
            ["ext_expires_in"] = lifetime,
            ["access_token"] = issuer.Issue(clientId, tenant),
        });
    }

    private static bool SecretEquals(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    private static IResult Error(TimeProvider clock, int status, string error, int code, string description)
    {
        var traceId = Guid.NewGuid().ToString();
        var now = clock.GetUtcNow().UtcDateTime;
        return Results.Json(new JsonObject
        {
            ["error"] = error,
            ["error_description"] = $"AADSTS{code}: {description} Trace ID: {traceId} Correlation ID: {traceId} Timestamp: {now.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}",
            ["error_codes"] = new JsonArray(code),
            ["timestamp"] = now.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["trace_id"] = traceId,
            ["correlation_id"] = traceId,
        }, statusCode: status);
    }
}

/// <summary>
/// Every <c>/v1.0</c> request needs a bearer token this sandbox issued and that has not expired by the injected clock;
/// otherwise 401 <c>InvalidAuthenticationToken</c>, as Graph answers.
/// </summary>
internal sealed class GraphAuthenticationMiddleware(RequestDelegate next, TokenIssuer issuer)
{
    public Task InvokeAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        string? failure = null;
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= "Bearer ".Length)
        {
            failure = "Access token is empty.";
        }
        else
        {
            switch (issuer.Check(header["Bearer ".Length..].Trim()))
            {
                case TokenCheck.Invalid:
                    failure = "Access token validation failure. Invalid audience or signature.";
                    break;
                case TokenCheck.Expired:
                    failure = "Lifetime validation failed, the token is expired.";
                    break;
            }
        }

        if (failure is null)
        {
            return next(context);
        }

        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"";
        return GraphErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, "InvalidAuthenticationToken", failure);
    }
}

internal static class GraphAuthenticationExtensions
{
    public static IApplicationBuilder UseGraphAuthentication(this IApplicationBuilder app) => app.UseMiddleware<GraphAuthenticationMiddleware>();
}
