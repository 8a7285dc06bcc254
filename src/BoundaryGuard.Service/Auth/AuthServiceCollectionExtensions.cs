using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace BoundaryGuard.Service.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// JWT bearer authentication configured entirely from <c>Authentication:Schemes:Bearer</c>, the ASP.NET Core
    /// convention: in production the Entra ID authority and the API's app id as audience; in development the issuer,
    /// audiences and signing key that <c>dotnet user-jwts</c> writes (appsettings.Development.json and user secrets).
    /// </summary>
    public static IServiceCollection AddServiceAuth(this IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(bearer =>
            {
                // Claims keep the names the token gives them (preferred_username, roles, oid), not WS-Federation URIs.
                bearer.MapInboundClaims = false;
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(Caller.MailUserPolicy, policy => policy
                .RequireAuthenticatedUser()
                .RequireAssertion(context => Caller.From(context.User) is { IsMailUser: true }));
        return services;
    }
}
