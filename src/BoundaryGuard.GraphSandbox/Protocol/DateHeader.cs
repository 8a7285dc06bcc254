using System.Globalization;

namespace BoundaryGuard.GraphSandbox.Protocol;

internal static class DateHeader
{
    /// <summary>
    /// Every answer's <c>Date</c> (RFC 9110 section 6.6.1, as Graph and Entra ID send it) comes from the injected clock rather
    /// than Kestrel's, so a test can put the sandbox's time away from the machine's, as a client whose clock drifted sees Graph.
    /// </summary>
    public static IApplicationBuilder UseDateHeader(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var clock = context.RequestServices.GetRequiredService<TimeProvider>();
                context.Response.Headers.Date = clock.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
                return Task.CompletedTask;
            });
            return next(context);
        });
}
