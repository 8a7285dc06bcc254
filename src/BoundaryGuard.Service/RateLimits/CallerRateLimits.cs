using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using BoundaryGuard.Service.Auth;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.RateLimits;

/// <summary>
/// How many requests one caller may make in a minute (section <c>RateLimits</c>): the add-in's API (holds, deferrals, the
/// policy snapshot) and IT's admin API each have their own budget. A person sending mail makes a few requests per send;
/// the defaults are far above that and far below what a script hammering the service would make.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    [Range(1, 1_000_000)]
    public int AddinPerCallerPerMinute { get; set; } = 120;

    [Range(1, 1_000_000)]
    public int AdminPerCallerPerMinute { get; set; } = 120;
}

/// <summary>
/// ASP.NET Core rate limiting per caller (https://learn.microsoft.com/aspnet/core/performance/rate-limit): a fixed
/// window of a minute, partitioned by who is calling (the token's or cookie's object id, else its mailbox; an
/// unauthenticated request never gets this far, authorization answers it first). Over the limit: 429 with
/// <c>Retry-After</c> in seconds and a problem body, and nothing is done.
/// </summary>
public static class CallerRateLimits
{
    public const string Addin = "addin-per-caller";

    public const string Admin = "admin-per-caller";

    public static IServiceCollection AddCallerRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
        {
            limiter.AddPolicy(Addin, context => PerCaller(context, limits.Value.AddinPerCallerPerMinute));
            limiter.AddPolicy(Admin, context => PerCaller(context, limits.Value.AdminPerCallerPerMinute));
            limiter.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>The caller's key: never an address in clear (the object id when the identity has one, else a hash).</summary>
    internal static string CallerKey(HttpContext context) =>
        Caller.From(context.User) is { } caller
            ? caller.ObjectId ?? "mailbox:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes(caller.Mailbox.ToUpperInvariant())))
            : "ip:" + context.Connection.RemoteIpAddress;

    private static RateLimitPartition<string> PerCaller(HttpContext context, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(CallerKey(context), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var response = rejected.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? (int)Math.Ceiling(retryAfter.TotalSeconds)
            : 60;
        response.Headers.RetryAfter = Math.Max(1, seconds).ToString(CultureInfo.InvariantCulture);
        var problems = rejected.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = rejected.HttpContext,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This caller made too many requests in a minute; nothing was done. Try again in {Math.Max(1, seconds)} s.",
            },
        }).ConfigureAwait(false);
    }
}
