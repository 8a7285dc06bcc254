using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BoundaryGuard.Service.Auth;

/// <summary>
/// Sign-in for the scorecard and admin pages in a browser, under <c>/auth</c>: who is signed in, sign-in with
/// Microsoft Entra ID (when configured), sign-out, and any sign-in its host adds (<see cref="SignInMethod"/>: the
/// demo's). The pages are static; these endpoints are what they ask.
/// </summary>
public static class SignInApi
{
    public const string PagesRoot = "/scorecard/";

    public const string SignInPage = "/scorecard/signin.html";

    /// <summary>Where sign-in may come back to: a page of the scorecard or of IT's admin pages.</summary>
    private static readonly string[] PageRoots = [PagesRoot, "/admin/"];

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var auth = endpoints.MapGroup("/auth").AllowAnonymous().ExcludeFromDescription();
        auth.MapGet("/session", SessionAsync);
        auth.MapGet("/signin", SignInAsync);
        auth.MapPost("/signout", SignOutAsync);
        // Only what the host added: the service adds none, so in a deployment nobody can sign in by picking a name.
        foreach (var method in endpoints.ServiceProvider.GetServices<SignInMethod>())
        {
            method.Map(auth);
        }

        return endpoints;
    }

    /// <summary>Who is signed in (if anyone), and which ways of signing in this deployment offers.</summary>
    private static async Task<Ok<SessionResponse>> SessionAsync(ClaimsPrincipal user, IAuthenticationSchemeProvider schemes, IServiceProvider services)
    {
        var methods = new SignInMethods(
            await schemes.GetSchemeAsync(OpenIdConnectDefaults.AuthenticationScheme).ConfigureAwait(false) is not null,
            services.GetServices<SignInMethod>().Any(m => m.Name == DemoIdentity.Method));
        var caller = user.Identity?.IsAuthenticated == true ? Caller.From(user) : null;
        return TypedResults.Ok(caller is null
            ? new SessionResponse(false, null, null, [], false, methods)
            : new SessionResponse(true, caller.Mailbox, user.FindFirst("name")?.Value ?? caller.Mailbox, [.. caller.Roles.Order(StringComparer.Ordinal)],
                user.HasClaim(DemoIdentity.ProviderClaim, DemoIdentity.Provider), methods));
    }

    /// <summary>Starts sign-in with Microsoft Entra ID, coming back to <paramref name="returnUrl"/> (a page of the scorecard).</summary>
    private static async Task<IResult> SignInAsync(string? returnUrl, IAuthenticationSchemeProvider schemes)
    {
        if (await schemes.GetSchemeAsync(OpenIdConnectDefaults.AuthenticationScheme).ConfigureAwait(false) is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = LocalPage(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]);
    }

    /// <summary>Ends the session: the cookie, and Entra's own session too when that is where it came from.</summary>
    private static async Task<IResult> SignOutAsync(HttpContext context, IAuthenticationSchemeProvider schemes)
    {
        var properties = new AuthenticationProperties { RedirectUri = $"{SignInPage}?signedout=1" };
        var fromEntra = context.User.Identity?.IsAuthenticated == true
            && !context.User.HasClaim(DemoIdentity.ProviderClaim, DemoIdentity.Provider)
            && await schemes.GetSchemeAsync(OpenIdConnectDefaults.AuthenticationScheme).ConfigureAwait(false) is not null
            && context.Request.Cookies.ContainsKey(AuthServiceCollectionExtensions.CookieName);
        return fromEntra
            ? TypedResults.SignOut(properties, [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme])
            : TypedResults.SignOut(properties, [CookieAuthenticationDefaults.AuthenticationScheme]);
    }

    /// <summary>A page of the scorecard or the admin pages to come back to, never another site (an open redirect) or another path.</summary>
    internal static string LocalPage(string? returnUrl) =>
        returnUrl is not null && PageRoots.Any(root => returnUrl.StartsWith(root, StringComparison.Ordinal))
            && !returnUrl.Contains('\\', StringComparison.Ordinal) && Uri.TryCreate(returnUrl, UriKind.Relative, out _)
            ? returnUrl
            : PagesRoot;
}

public sealed record SessionResponse(bool SignedIn, string? Mailbox, string? Name, IReadOnlyList<string> Roles, bool Demo, SignInMethods Methods);

/// <param name="Microsoft">Sign-in with Microsoft Entra ID is configured.</param>
/// <param name="Demo">The demo sign-in is on (the demo host, src/BoundaryGuard.Demo).</param>
public sealed record SignInMethods(bool Microsoft, bool Demo);
