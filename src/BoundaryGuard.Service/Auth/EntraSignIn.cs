using System.Security.Cryptography.X509Certificates;
using BoundaryGuard.Graph;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace BoundaryGuard.Service.Auth;

/// <summary>
/// The OpenID Connect handler set up for Microsoft Entra ID: authorization code with PKCE, the ID token's claims kept
/// under their own names (<c>preferred_username</c>, <c>roles</c>) so <see cref="Caller.From"/> reads a signed-in
/// browser exactly as it reads a bearer token, and the result kept in the sign-in cookie. Nothing else is asked of
/// Entra: no access token, no user info call, no tokens stored.
/// </summary>
internal static class EntraSignIn
{
    private const string JwtBearerAssertion = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public static void Configure(OpenIdConnectOptions oidc, EntraSignInOptions entra, IServiceProvider provider)
    {
        oidc.Authority = entra.Authority!.ToString();
        oidc.RequireHttpsMetadata = !EntraSignInOptions.IsLoopbackHttp(entra.Authority);
        oidc.ClientId = entra.ClientId;
        oidc.ClientSecret = string.IsNullOrEmpty(entra.ClientSecret) ? null : entra.ClientSecret;
        oidc.ResponseType = OpenIdConnectResponseType.Code;
        oidc.UsePkce = true;
        oidc.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        oidc.MapInboundClaims = false;
        oidc.SaveTokens = false;
        oidc.GetClaimsFromUserInfoEndpoint = false;
        oidc.TokenValidationParameters.NameClaimType = "name";
        oidc.TokenValidationParameters.RoleClaimType = "roles";
        oidc.TimeProvider = RealClock(provider);
        oidc.Events.OnRemoteFailure = context =>
        {
            // Cancelled at Microsoft's page, no consent, a stale link: back to the sign-in page, which says so.
            context.Response.Redirect($"{SignInApi.SignInPage}?error=signin-failed");
            context.HandleResponse();
            return Task.CompletedTask;
        };

        if (!string.IsNullOrEmpty(entra.ClientCertificatePath))
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(entra.ClientCertificatePath, entra.ClientCertificatePassword);
            var clock = RealClock(provider);
            oidc.Events.OnAuthorizationCodeReceived = async context =>
            {
                // The code is redeemed with a signed assertion instead of a secret (Entra's certificate credentials).
                var configuration = await context.Options.ConfigurationManager!.GetConfigurationAsync(context.HttpContext.RequestAborted).ConfigureAwait(false);
                context.TokenEndpointRequest!.ClientAssertionType = JwtBearerAssertion;
                context.TokenEndpointRequest.ClientAssertion = ClientAssertion(certificate, entra.ClientId!, configuration.TokenEndpoint, clock);
            };
        }
    }

    /// <summary>
    /// Sign-in lifetimes are a person's real hours, and Entra checks an assertion's times against real time: with a
    /// demo clock running faster (<c>Demo:ClockSpeed</c>) they go by the real clock Graph's network waits use.
    /// </summary>
    public static TimeProvider RealClock(IServiceProvider provider) =>
        provider.GetKeyedService<TimeProvider>(GraphServiceCollectionExtensions.NetworkClockKey) ?? provider.GetRequiredService<TimeProvider>();

    /// <summary>A client assertion: a JWT about the client, for the token endpoint, signed with the certificate (its x5t in the header).</summary>
    internal static string ClientAssertion(X509Certificate2 certificate, string clientId, string tokenEndpoint, TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = tokenEndpoint,
            Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString("D") },
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            SigningCredentials = new X509SigningCredentials(certificate),
        });
    }
}
