using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>The default scheme: a bearer token when the request carries one, else the sign-in cookie.</summary>
    public const string BearerOrCookieScheme = "bearer-or-cookie";

    /// <summary>A folder for the keys that encrypt sign-in cookies, shared by the nodes of a clustered deployment.</summary>
    public const string KeysFolderSetting = "SignIn:KeysFolder";

    /// <summary>The sign-in cookie's name.</summary>
    public const string CookieName = "BoundaryGuard.SignIn";

    /// <summary>
    /// Who may call the service, two ways, both read by <see cref="Caller.From"/>:
    /// <list type="bullet">
    /// <item>JWT bearer tokens (the add-in, scripts), configured entirely from <c>Authentication:Schemes:Bearer</c>, the
    /// ASP.NET Core convention: in production the Entra ID authority and the API's app id as audience; in development
    /// the issuer, audiences and signing key that <c>dotnet user-jwts</c> writes (appsettings.Development.json and user
    /// secrets).</item>
    /// <item>A sign-in cookie for the scorecard pages in a browser, issued by OpenID Connect sign-in with Microsoft
    /// Entra ID when <c>Authentication:Schemes:OpenIdConnect</c> is configured (<see cref="EntraSignInOptions"/>), or by
    /// a <see cref="SignInMethod"/> its host adds (the demo's); the service refuses the demo's identities (<see cref="DemoIdentity"/>).</item>
    /// </list>
    /// </summary>
    public static TBuilder AddServiceAuth<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var authentication = services.AddAuthentication(BearerOrCookieScheme)
            .AddPolicyScheme(BearerOrCookieScheme, "Bearer token or sign-in cookie", policy =>
                policy.ForwardDefaultSelector = context => SchemeFor(context.Request))
            .AddJwtBearer(bearer =>
            {
                // Claims keep the names the token gives them (preferred_username, roles, oid), not WS-Federation URIs.
                bearer.MapInboundClaims = false;
            })
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                // Strict: the cookie never rides along on a request another site starts, so the API it opens cannot be
                // driven cross-site. The pages are static and fetch the API themselves, same-site, so they lose nothing.
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;
                // The cookie handler goes on to the sign-out's RedirectUri only from its logout path.
                cookie.LogoutPath = "/auth/signout";
                // The pages are plain files and the API answers in JSON: no request is ever sent to a login page.
                // The pages turn a 401 into their own sign-in page.
                cookie.Events.OnRedirectToLogin = context => Status(context, StatusCodes.Status401Unauthorized);
                cookie.Events.OnRedirectToAccessDenied = context => Status(context, StatusCodes.Status403Forbidden);
                cookie.Events.OnValidatePrincipal = RefuseDemoCookie;
            });

        if (builder.Configuration.GetSection(EntraSignInOptions.Section).Exists())
        {
            services.AddOptions<EntraSignInOptions>().BindConfiguration(EntraSignInOptions.Section).ValidateDataAnnotations().ValidateOnStart();
            authentication.AddOpenIdConnect();
            services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
                .Configure<IOptions<EntraSignInOptions>, IServiceProvider>((oidc, entra, provider) => EntraSignIn.Configure(oidc, entra.Value, provider));
        }

        // The cookie is encrypted with ASP.NET Core's data protection keys. With SignIn:KeysFolder every node of a
        // clustered deployment shares them (and a restart keeps them), so a cookie one node issued opens on the others.
        // The application name is the host's (BoundaryGuard.Service or BoundaryGuard.Demo): keys isolate by it, so a
        // cookie the demo encrypted never decrypts in the service, even from one keys folder.
        // https://learn.microsoft.com/aspnet/core/security/data-protection/configuration/overview#setapplicationname
        var keysFolder = builder.Configuration[KeysFolderSetting];
        var protection = services.AddDataProtection().SetApplicationName(builder.Environment.ApplicationName);
        if (!string.IsNullOrEmpty(keysFolder))
        {
            protection.PersistKeysToFileSystem(new DirectoryInfo(keysFolder));
        }

        // Session lifetimes are a person's real hours, even when a demo clock runs the service faster.
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IServiceProvider>((cookie, provider) => cookie.TimeProvider = EntraSignIn.RealClock(provider));

        services.AddAuthorizationBuilder()
            .AddPolicy(Caller.MailUserPolicy, policy => policy
                .RequireAuthenticatedUser()
                .RequireAssertion(context => Caller.From(context.User) is { IsMailUser: true }))
            .AddPolicy(Caller.ItAdminPolicy, policy => policy
                .RequireAuthenticatedUser()
                .RequireAssertion(context => Caller.From(context.User)?.Roles.Contains(Caller.ItAdmin) == true));
        return builder;
    }

    /// <summary>
    /// A bearer token when there is an Authorization header; the cookie when the browser sent one; otherwise the
    /// bearer scheme again, so an API client with no credentials gets the bearer's 401 and <c>WWW-Authenticate:
    /// Bearer</c>, as before there were cookies.
    /// </summary>
    internal static string SchemeFor(HttpRequest request) =>
        request.Headers.Authorization.Count == 0 && request.Cookies.ContainsKey(CookieName)
            ? CookieAuthenticationDefaults.AuthenticationScheme
            : JwtBearerDefaults.AuthenticationScheme;

    /// <summary>A cookie the demo's sign-in made opens nothing unless this host is the demo.</summary>
    private static Task RefuseDemoCookie(CookieValidatePrincipalContext context)
    {
        if (context.Principal?.HasClaim(DemoIdentity.ProviderClaim, DemoIdentity.Provider) == true && !DemoIdentity.Accepted(context.HttpContext.RequestServices))
        {
            context.RejectPrincipal();
        }

        return Task.CompletedTask;
    }

    private static Task Status(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
