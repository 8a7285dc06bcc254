using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;

namespace BoundaryGuard.GraphSandbox.Protocol;

/// <summary>Graph's error body: <c>{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}</c>.</summary>
internal static class GraphErrors
{
    public static Task WriteAsync(HttpContext context, int statusCode, string code, string message, JsonObject? innerExtras = null)
    {
        var clock = context.RequestServices.GetRequiredService<TimeProvider>();
        var inner = new JsonObject();
        if (innerExtras is not null)
        {
            foreach (var (name, value) in innerExtras)
            {
                inner[name] = value?.DeepClone();
            }
        }

        inner["date"] = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        inner["request-id"] = GraphJson.RequestId(context);
        inner["client-request-id"] = GraphJson.ClientRequestId(context);
        var body = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = inner,
            },
        };
        context.Response.StatusCode = statusCode;
        return GraphJson.WriteAsync(context, body);
    }
}

/// <summary>
/// Turns every failure under <c>/v1.0</c> into Graph's error shape: a <see cref="GraphException"/> into its 4xx,
/// a request the framework refused (bad encoding, oversized body) into a 400, an empty error status into a body,
/// and, only as a last resort, an unexpected exception into a Graph-shaped 500. Tests prove the known bad inputs
/// never reach the last case. The exception is logged by type and stack only: its message may quote an address.
/// </summary>
internal sealed partial class GraphErrorsMiddleware(RequestDelegate next, ILogger<GraphErrorsMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
            if (context.Response.StatusCode >= 400 && !context.Response.HasStarted && context.Response.ContentLength is null
                && context.Features.Get<IHttpResponseBodyFeature>() is not null && IsGraph(context))
            {
                await GraphErrors.WriteAsync(context, context.Response.StatusCode, CodeFor(context.Response.StatusCode),
                    "The request could not be served.").ConfigureAwait(false);
            }
        }
        catch (GraphException ex) when (!context.Response.HasStarted)
        {
            await GraphErrors.WriteAsync(context, ex.StatusCode, ex.Code, ex.Message).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            await GraphErrors.WriteAsync(context, ex.StatusCode, "BadRequest", "The request could not be read.").ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            LogUnexpected(logger, ex.GetType().FullName ?? "?", context.Request.Method, ex.StackTrace ?? "");
            context.Response.Clear();
            await GraphErrors.WriteAsync(context, StatusCodes.Status500InternalServerError, "generalException",
                "An unexpected error occurred in the sandbox.").ConfigureAwait(false);
        }
    }

    private static bool IsGraph(HttpContext context) => context.Request.Path.StartsWithSegments("/v1.0");

    private static string CodeFor(int status) => status switch
    {
        StatusCodes.Status404NotFound => "ResourceNotFound",
        StatusCodes.Status405MethodNotAllowed => "MethodNotAllowed",
        StatusCodes.Status415UnsupportedMediaType => "UnsupportedMediaType",
        _ => "BadRequest",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected {ExceptionType} serving a {Method} request; answered 500. {StackTrace}")]
    private static partial void LogUnexpected(ILogger logger, string exceptionType, string method, string stackTrace);
}

internal static class GraphErrorsExtensions
{
    public static IApplicationBuilder UseGraphErrors(this IApplicationBuilder app) => app.UseMiddleware<GraphErrorsMiddleware>();

    /// <summary>Any other path or method under /v1.0: Graph answers 400 for a segment it does not know.</summary>
    public static IEndpointRouteBuilder MapGraphFallback(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapFallback("/v1.0/{**rest}", (HttpContext context) =>
            throw new GraphException(StatusCodes.Status400BadRequest, "BadRequest",
                $"The sandbox serves no {context.Request.Method} operation at this path; see the sandbox README for the supported subset."));
        return endpoints;
    }
}
