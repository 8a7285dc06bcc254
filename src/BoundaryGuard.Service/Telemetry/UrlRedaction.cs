using System.Diagnostics;
using BoundaryGuard.Graph.Telemetry;

namespace BoundaryGuard.Service.Telemetry;

/// <summary>
/// Keeps addresses out of HTTP spans. Graph's URLs carry the mailbox (<c>/users/{address}/messages/{id}</c>) and the
/// admin API has a mailbox in one route, so a span keeps only a templated URL: the route template for a request to
/// the service, <see cref="GraphPaths"/>' template for a request it makes; query strings are dropped, not redacted.
/// </summary>
internal static class UrlRedaction
{
    // Semantic convention attribute names: opentelemetry.io/docs/specs/semconv/http/http-spans
    private const string UrlFull = "url.full";
    private const string UrlPath = "url.path";
    private const string UrlQuery = "url.query";

    /// <summary>
    /// An outgoing request's span: called at start and again at the end, since on .NET 9+ HttpClient writes its own
    /// <c>url.full</c> (the instrumentation package's README, "Starting with .NET 9, trace instrumentation is natively
    /// implemented"), and whichever writes last wins.
    /// </summary>
    public static void Outgoing(Activity activity, Uri? url)
    {
        ArgumentNullException.ThrowIfNull(activity);
        activity.SetTag(UrlFull, GraphPaths.Template(url));
    }

    /// <summary>An incoming request's span, at its end, when routing has chosen the endpoint.</summary>
    public static void Incoming(Activity activity, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(context);
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        activity.SetTag(UrlPath, route is null ? GraphPaths.TemplatePath(context.Request.Path.Value ?? "/") : "/" + route.TrimStart('/'));
        activity.SetTag(UrlQuery, null);
    }
}
