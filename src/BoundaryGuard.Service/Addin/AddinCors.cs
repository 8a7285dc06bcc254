using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace BoundaryGuard.Service.Addin;

/// <summary>
/// Cross-origin access to the add-in's API (<c>/api/v1</c>) for the add-in's own origin, and only that one: the origin of
/// <see cref="AddinOptions.BaseUrl"/>. Without it no origin is allowed (fail closed). Only what the add-in's calls need:
/// its methods and headers, and no credentials, since it sends a bearer token and never a cookie.
/// </summary>
/// <remarks>
/// Outlook on the web and new Outlook load the add-in from its origin, so a call to an API on another origin
/// (<see cref="AddinOptions.ApiBaseUrl"/>) is a CORS request; so are classic Outlook's event handler's calls once the
/// add-in's origin lists the script in the well-known file (<see cref="AddinFiles.WellKnownPath"/>).
/// </remarks>
public static class AddinCors
{
    /// <summary>The policy the holds API's group requires (<c>RequireCors</c>).</summary>
    public const string PolicyName = "addin";

    // A send pays no preflight while the answer is cached: the send handler has about five seconds in all. Chromium keeps
    // a preflight two hours at the most (Firefox a day), so two hours is the most that helps.
    private static readonly TimeSpan PreflightMaxAge = TimeSpan.FromHours(2);

    public static IServiceCollection AddAddinCors(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<AddinOptions>>((cors, addin) => cors.AddPolicy(PolicyName, policy =>
        {
            if (addin.Value.AddinOrigin is { } origin)
            {
                policy.WithOrigins(origin);
            }

            policy.WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Delete)
                .WithHeaders(HeaderNames.Authorization, HeaderNames.ContentType, HeaderNames.Accept)
                .SetPreflightMaxAge(PreflightMaxAge);
        }));
        return services;
    }

    /// <summary>The CORS middleware, after routing (the policy is the endpoint's) and before authentication.</summary>
    public static IApplicationBuilder UseAddinCors(this IApplicationBuilder app)
    {
        app.Use((context, next) =>
        {
            // Whether a response carries Access-Control-Allow-Origin depends on the request's Origin: say so on every
            // response of the policy's endpoints, preflights and refused origins included, so no cache serves one
            // origin's answer to another. (The middleware says it itself only for a policy with several origins.)
            if (context.GetEndpoint()?.Metadata.GetMetadata<IEnableCorsAttribute>()?.PolicyName == PolicyName)
            {
                context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.Origin);
            }

            return next(context);
        });
        return app.UseCors();
    }
}
