using System.Globalization;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Messages;
using BoundaryGuard.GraphSandbox.Protocol;
using BoundaryGuard.GraphSandbox.Reporting;
using BoundaryGuard.GraphSandbox.Storage;
using BoundaryGuard.GraphSandbox.Users;

namespace BoundaryGuard.GraphSandbox.Limits;

internal static class LimitsExtensions
{
    public const string MailboxIdItem = "sandbox.mailboxId";

    public static IServiceCollection AddSandboxLimits(this IServiceCollection services) => services.AddSingleton<MailboxLimits>();

    /// <summary>
    /// Applies the per-mailbox limits to requests addressed to a user (<c>/v1.0/users/{user}/...</c>, id or UPN alike).
    /// Beyond a limit: 429 with Retry-After and Graph's TooManyRequests body, counted as a violation.
    /// </summary>
    public static IApplicationBuilder UseMailboxLimits(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.GetRouteValue("user") is not string user)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var store = context.RequestServices.GetRequiredService<SandboxStore>();
            var mailboxId = store.Read(state => UserLookup.Find(state, user)?.Id);
            if (mailboxId is null)
            {
                // Unknown user: the endpoint answers 404; there is no mailbox to count against.
                await next(context).ConfigureAwait(false);
                return;
            }

            context.Items[MailboxIdItem] = mailboxId;
            var limits = context.RequestServices.GetRequiredService<MailboxLimits>();
            var report = context.RequestServices.GetRequiredService<SandboxReport>();
            report.RecordMailboxRequest(mailboxId);
            var isSend = context.GetEndpoint()?.Metadata.GetMetadata<SendOperation>() is not null;
            var admission = limits.Admit(mailboxId, isSend);
            if (!admission.IsAdmitted)
            {
                if (admission.Violation is { } violation)
                {
                    report.RecordViolation(violation, mailboxId);
                }

                if (admission.OpensWindow)
                {
                    context.Response.OnCompleted(() =>
                    {
                        limits.RetryWindowDelivered(mailboxId);
                        return Task.CompletedTask;
                    });
                }

                report.RecordThrottled(injected: false);
                await WriteTooManyRequestsAsync(context, MailboxLimits.RetryAfterSeconds(admission.RetryAfter)).ConfigureAwait(false);
                return;
            }

            // A request stops being in flight when its response starts: from then on the client may see it and send
            // its next one, so the slot must already be free (the finally covers a response that never starts).
            var left = 0;
            void Leave()
            {
                if (Interlocked.Exchange(ref left, 1) == 0)
                {
                    limits.Leave(mailboxId, admission, isSend, context.Response.StatusCode == StatusCodes.Status202Accepted);
                }
            }

            context.Response.OnStarting(() =>
            {
                Leave();
                return Task.CompletedTask;
            });
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                Leave();
            }
        });

    /// <summary>Graph's 429 (corpus error-429-TooManyRequests.response.json) with a whole-second Retry-After.</summary>
    public static Task WriteTooManyRequestsAsync(HttpContext context, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return GraphErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests, "TooManyRequests", "Please retry again later.",
            new JsonObject { ["code"] = "429", ["message"] = "Please retry after", ["status"] = "429" });
    }
}
