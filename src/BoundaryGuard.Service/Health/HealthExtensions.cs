using System.Text.Json;
using BoundaryGuard.Graph.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BoundaryGuard.Service.Health;

public static class HealthExtensions
{
    /// <summary>The process answers: what a liveness probe restarts the service on. No dependency is asked.</summary>
    public const string LivePath = "/healthz/live";

    /// <summary>The service can do its work: what a readiness probe sends traffic on.</summary>
    public const string ReadyPath = "/healthz/ready";

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
    /// Probes as Kubernetes and Azure App Service expect them, open to anyone (probes have no user token):
    /// <c>GET /healthz/live</c> is 200 while the process runs (a failing dependency must not get the process restarted,
    /// https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/), and
    /// <c>GET /healthz/ready</c> is 200 when every check is healthy or degraded (the database answers with its schema
    /// current, the scheduler runs, a Graph token is obtained), 503 otherwise: App Service's health check takes any
    /// 2xx as healthy (https://learn.microsoft.com/azure/app-service/monitor-instances-health-check). Both answer JSON
    /// naming each check; descriptions hold no secrets, and exceptions are logged, never returned.
    /// </summary>
    public static IEndpointRouteBuilder MapServiceHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions { ResponseWriter = WriteAsync }).AllowAnonymous();
        return endpoints;
    }

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
