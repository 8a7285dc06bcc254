using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BoundaryGuard.Service.Tests.Auth;

/// <summary>
/// Just enough of Microsoft Entra ID's OpenID Connect endpoints, on a loopback port, for the service's sign-in to run
/// against: discovery, signing keys, a token endpoint that redeems codes it was told about for an ID token with app
/// roles, and an end-session address. The authorize step (a person at Microsoft's page) is the test's: it calls
/// <see cref="Approve"/> with what the service's redirect asked for.
/// </summary>
internal sealed class FakeEntra : IAsyncDisposable
{
    public const string ClientId = "5b0e3f9a-8d3c-4b7e-9a51-2c6d7e8f9a10";
    public const string ClientSecret = "fake-entra-secret";

    private readonly WebApplication app;
    private readonly RsaSecurityKey key = new(RSA.Create(2048)) { KeyId = "fake-entra-key" };
    private readonly ConcurrentDictionary<string, (string Nonce, ClaimsIdentity Who)> codes = new();

    private FakeEntra(WebApplication app) => this.app = app;

    /// <summary>https://login.microsoftonline.com/{tenant}/v2.0, here.</summary>
    public Uri Authority { get; private set; } = null!;

    /// <summary>What the token endpoint was sent, last: the client's credentials are checked from it.</summary>
    public IFormCollection? LastTokenRequest { get; private set; }

    /// <summary>Entra's idea of now, which the client's assertion must be valid at: the test's clock.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Why the last client assertion was refused, if it was.</summary>
    public string? Rejection { get; private set; }

    /// <summary>The certificate the registration holds: a client may prove itself with an assertion it signed.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    public static async Task<FakeEntra> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var entra = new FakeEntra(builder.Build());
        entra.Map();
        await entra.app.StartAsync();
        var address = entra.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        entra.Authority = new Uri($"{address}/fake-tenant/v2.0");
        return entra;
    }

    /// <summary>The person at the authorize page signs in: the code the service will redeem for them.</summary>
    public string Approve(string nonce, string mailbox, string name, params string[] roles)
    {
        var code = Guid.NewGuid().ToString("N");
        var who = new ClaimsIdentity([
            new Claim("sub", Guid.NewGuid().ToString("N")),
            new Claim("preferred_username", mailbox),
            new Claim("name", name),
            new Claim("oid", Guid.NewGuid().ToString("D")),
            new Claim("tid", "fake-tenant"),
            .. roles.Select(role => new Claim("roles", role)),
        ]);
        codes[code] = (nonce, who);
        return code;
    }

    private void Map()
    {
        app.MapGet("/fake-tenant/v2.0/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority.ToString().TrimEnd('/'),
            ["authorization_endpoint"] = $"{Authority}/authorize",
            ["token_endpoint"] = $"{Authority}/token",
            ["jwks_uri"] = $"{Authority}/keys",
            ["end_session_endpoint"] = $"{Authority}/logout",
            ["response_types_supported"] = new[] { "code" },
            ["response_modes_supported"] = new[] { "query", "form_post" },
            ["subject_types_supported"] = new[] { "pairwise" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["scopes_supported"] = new[] { "openid", "profile", "email", "offline_access" },
        }));
        app.MapGet("/fake-tenant/v2.0/keys", () =>
        {
            var parameters = key.Rsa.ExportParameters(false);
            return Results.Json(new
            {
                keys = new[]
                {
                    new { kty = "RSA", use = "sig", kid = key.KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
                },
            });
        });
        app.MapPost("/fake-tenant/v2.0/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            LastTokenRequest = form;
            if (form["grant_type"] != "authorization_code" || form["client_id"] != ClientId || !await AuthenticatedAsync(form)
                || !codes.TryRemove(form["code"].ToString(), out var granted))
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: (int)HttpStatusCode.BadRequest);
            }

            // Generous times: the service may validate on its test clock, days away from the real one.
            var now = TimeProvider.System.GetUtcNow().UtcDateTime;
            var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = Authority.ToString().TrimEnd('/'),
                Audience = ClientId,
                Subject = granted.Who,
                Claims = new Dictionary<string, object> { ["nonce"] = granted.Nonce },
                IssuedAt = now.AddDays(-30),
                NotBefore = now.AddDays(-30),
                Expires = now.AddDays(30),
                SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
            });
            return Results.Json(new { token_type = "Bearer", id_token = idToken, access_token = "unused", expires_in = 3600 });
        });
    }

    /// <summary>The client's secret, or an assertion about it, for this token endpoint, signed with its certificate.</summary>
    private async Task<bool> AuthenticatedAsync(IFormCollection form)
    {
        if (form.ContainsKey("client_secret"))
        {
            Rejection = form["client_secret"] == ClientSecret ? null : $"client_secret '{form["client_secret"]}'";
            return Rejection is null;
        }

        if (ClientCertificate is null || form["client_assertion_type"] != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        {
            Rejection = $"no client credential: {string.Join(", ", form.Keys)}";
            return false;
        }

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(form["client_assertion"].ToString(), new TokenValidationParameters
        {
            ValidIssuer = ClientId,
            ValidAudience = $"{Authority}/token",
            IssuerSigningKey = new X509SecurityKey(ClientCertificate),
            LifetimeValidator = (notBefore, expires, _, _) =>
                notBefore <= Clock.GetUtcNow().UtcDateTime.AddMinutes(5) && expires > Clock.GetUtcNow().UtcDateTime && expires - notBefore <= TimeSpan.FromHours(1),
        });
        Rejection = result.Exception?.Message;
        return result.IsValid && ((JsonWebToken)result.SecurityToken).Subject == ClientId
            && ((JsonWebToken)result.SecurityToken).TryGetHeaderValue<string>("x5t", out var thumbprint)
            && thumbprint == Base64UrlEncoder.Encode(ClientCertificate.GetCertHash());
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        key.Rsa.Dispose();
    }
}
