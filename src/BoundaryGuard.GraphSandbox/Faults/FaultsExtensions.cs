using System.Text.Json;
using BoundaryGuard.GraphSandbox.Limits;
using BoundaryGuard.GraphSandbox.Protocol;
using BoundaryGuard.GraphSandbox.Reporting;
using Microsoft.AspNetCore.Http.Features;

namespace BoundaryGuard.GraphSandbox.Faults;

internal static class FaultsExtensions
{
    private static readonly JsonSerializerOptions AdminJson = new(JsonSerializerDefaults.Web);

    public static IServiceCollection AddSandboxFaults(this IServiceCollection services) => services.AddSingleton<FaultInjector>();

    /// <summary>
    /// Injects the configured faults into /v1.0 requests: latency first, then a 429 or 503 before the operation, or,
    /// for a lost response, the operation runs and commits and the connection is aborted before a byte of the answer
    /// leaves (the body goes to a null stream), so the client sees a transport error and cannot know it worked.
    /// </summary>
    public static IApplicationBuilder UseFaultInjection(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var decision = context.RequestServices.GetRequiredService<FaultInjector>().Next();
            var report = context.RequestServices.GetRequiredService<SandboxReport>();
            if (decision.Latency > TimeSpan.Zero)
            {
                var clock = context.RequestServices.GetRequiredService<TimeProvider>();
                await Task.Delay(decision.Latency, clock, context.RequestAborted).ConfigureAwait(false);
            }

            if (decision.Throttle)
            {
                report.RecordThrottled(injected: true);
                if (decision.RetryAfter > TimeSpan.Zero && context.Items[LimitsExtensions.MailboxIdItem] is string mailboxId)
                {
                    var seconds = MailboxLimits.RetryAfterSeconds(decision.RetryAfter);
                    var limits = context.RequestServices.GetRequiredService<MailboxLimits>();
                    limits.OpenRetryWindow(mailboxId, TimeSpan.FromSeconds(seconds));
                    context.Response.OnCompleted(() =>
                    {
                        limits.RetryWindowDelivered(mailboxId);
                        return Task.CompletedTask;
                    });
                }

                await LimitsExtensions.WriteTooManyRequestsAsync(context, MailboxLimits.RetryAfterSeconds(decision.RetryAfter)).ConfigureAwait(false);
                return;
            }

            if (decision.Unavailable)
            {
                report.RecordUnavailable();
                await GraphErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "serviceNotAvailable",
                    "The service is temporarily unavailable. Try the request again after a delay.").ConfigureAwait(false);
                return;
            }

            if (!decision.LoseResponse)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                // A failed operation (a 404 thrown as GraphException) loses its answer the same way: the error body
                // written outside this middleware goes to the null stream of a connection already aborted.
                report.RecordLostResponse();
                context.Abort();
            }
        });

    /// <summary><c>GET /sandbox/faults</c> and <c>PUT /sandbox/faults</c> (the whole setting; absent fields are zero).</summary>
    public static IEndpointRouteBuilder MapSandboxFaults(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/sandbox/faults", (FaultInjector injector) => Results.Json(injector.Current, AdminJson));
        endpoints.MapPut("/sandbox/faults", async (HttpContext context, FaultInjector injector) =>
        {
            FaultSettings? settings;
            try
            {
                settings = await JsonSerializer.DeserializeAsync<FaultSettings>(context.Request.Body, AdminJson, context.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The fault settings are not valid JSON.", detail: ex.Message);
            }

            if (settings is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The fault settings are missing.");
            }

            var problems = settings.Validate().ToArray();
            if (problems.Length > 0)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["faults"] = problems });
            }

            injector.Configure(settings);
            return Results.Json(injector.Current, AdminJson);
        });
        return endpoints;
    }
}
