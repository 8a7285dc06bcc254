using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Limits;
using BoundaryGuard.GraphSandbox.Protocol;
using BoundaryGuard.GraphSandbox.Storage;

namespace BoundaryGuard.GraphSandbox.Reporting;

internal static class ReportingExtensions
{
    public static IServiceCollection AddSandboxReport(this IServiceCollection services) => services.AddSingleton<SandboxReport>();

    /// <summary>Counts every /v1.0 request, and those without <c>Prefer: IdType="ImmutableId"</c> (counted, never refused).</summary>
    public static IApplicationBuilder UseSandboxReportCounting(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var report = context.RequestServices.GetRequiredService<SandboxReport>();
            report.RecordRequest(PreferHeader.HasImmutableId(context.Request));
            await next(context).ConfigureAwait(false);
            if (context.Response.StatusCode == StatusCodes.Status401Unauthorized)
            {
                report.RecordUnauthorized();
            }
        });

    /// <summary>
    /// The admin side, no token needed: <c>GET /sandbox/report</c>, <c>POST /sandbox/report/reset</c> and
    /// <c>GET /sandbox/users</c> (the seeded directory: ids, UPNs, departments, roles, zones).
    /// </summary>
    public static IEndpointRouteBuilder MapSandboxReport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/sandbox/report", (SandboxReport report, MailboxLimits limits) => Results.Json(report.Snapshot(limits.InFlight)));
        endpoints.MapPost("/sandbox/report/reset", (SandboxReport report) =>
        {
            report.Reset();
            return Results.NoContent();
        });
        endpoints.MapGet("/sandbox/users", (SandboxStore store) => Results.Json(store.Read(state => new JsonArray([.. state.Users.Select(u => (JsonNode)new JsonObject
        {
            ["id"] = u.Id,
            ["userPrincipalName"] = u.UserPrincipalName,
            ["displayName"] = u.DisplayName,
            ["department"] = u.Department,
            ["jobTitle"] = u.JobTitle,
            ["mailboxTimeZone"] = state.Mailboxes.TryGetValue(u.Id, out var mailbox) ? mailbox.TimeZone : null,
            ["shared"] = mailbox?.IsShared ?? false,
        })]))));
        return endpoints;
    }
}
