using System.Text.Json;
using BoundaryGuard.Graph.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BoundaryGuard.Service.Health;

public static class HealthExtensions
{
    public const string Path = "/healthz";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Each check opens a connection or asks for a token; a hung dependency must not hang the probe.
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Health checks: the scheduling database, the Quartz scheduler, and Graph (circuit and token).</summary>
    public static IServiceCollection AddServiceHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", timeout: CheckTimeout)
            .AddCheck<SchedulerHealthCheck>("scheduler", timeout: CheckTimeout)
            .AddCheck<GraphHealthCheck>("graph", timeout: CheckTimeout);
        return services;
    }

    /// <summary>
    /// <c>GET /healthz</c>, open to anyone (load balancers and IT's monitoring have no user token): 200 when every
    /// check is healthy or degraded, 503 otherwise, with a JSON body naming each check. Descriptions are written to
    /// hold no secrets, and exceptions are logged, never returned.
    /// </summary>
    public static IEndpointConventionBuilder MapServiceHealth(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthChecks(Path, new HealthCheckOptions { ResponseWriter = WriteAsync }).AllowAnonymous();

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new HealthBody(
            report.Status.ToString(),
            report.Entries.Select(entry => new CheckBody(entry.Key, entry.Value.Status.ToString(), entry.Value.Description)).ToList());
        return JsonSerializer.SerializeAsync(context.Response.Body, body, Json, context.RequestAborted);
    }

    private sealed record HealthBody(string Status, IReadOnlyList<CheckBody> Checks);

    private sealed record CheckBody(string Name, string Status, string? Description);
}
