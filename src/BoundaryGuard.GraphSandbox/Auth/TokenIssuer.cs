using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.GraphSandbox.Storage;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.GraphSandbox.Auth;

/// <summary>
/// Issues and checks access tokens: JWTs with the claims of an Entra ID app-only token for Graph, signed HMAC-SHA256
/// with the key kept in the sandbox state, so a token is valid exactly when this sandbox (or its data file) issued it
/// and the injected clock says it has not expired. No token store: nothing to lose on restart, nothing to grow.
/// </summary>
/// <remarks>
/// A client may read the claims as it would read Entra's (the doctor reads <c>roles</c>); only this sandbox can check
/// the signature, as only Entra ID can check its own.
/// </remarks>
internal sealed class TokenIssuer(SandboxStore store, TimeProvider clock, IOptions<SandboxOptions> options)
{
    // The header is fixed: a token with any other (another algorithm, "none") is not one of ours.
    private static readonly string Header = Base64Url.EncodeToString("""{"typ":"JWT","alg":"HS256"}"""u8);

    private readonly Lazy<byte[]> _key = new(() => Convert.FromBase64String(store.Read(state => state.TokenKey)));

    public TimeSpan Lifetime => options.Value.TokenLifetime;

    public string Issue(string clientId, string tenant)
    {
        var now = clock.GetUtcNow();
        // learn.microsoft.com/entra/identity-platform/access-token-claims-reference: an app-only token names the app
        // (appid), says it is one (idtyp app) and carries the application permissions consented to in roles.
        var claims = new JsonObject
        {
            ["aud"] = "https://graph.microsoft.com",
            ["iss"] = $"https://sts.windows.net/{tenant}/",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.Add(Lifetime).ToUnixTimeSeconds(),
            ["appid"] = clientId,
            ["idtyp"] = "app",
            ["tid"] = tenant,
            ["uti"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12)),
            ["ver"] = "1.0",
        };
        var roles = options.Value.Roles;
        if (roles.Count > 0)
        {
            // Entra leaves the claim out when the app has no application permission at all.
            claims["roles"] = new JsonArray([.. roles.Select(role => (JsonNode)role)]);
        }

        var signed = $"{Header}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()))}";
        return $"{signed}.{Sign(signed)}";
    }

    public TokenCheck Check(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0] != Header)
        {
            return TokenCheck.Invalid;
        }

        var expected = Encoding.ASCII.GetBytes(Sign($"{parts[0]}.{parts[1]}"));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[2])))
        {
            return TokenCheck.Invalid;
        }

        long expires;
        try
        {
            using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            expires = claims.RootElement.GetProperty("exp").GetInt64();
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return TokenCheck.Invalid;
        }

        return clock.GetUtcNow().ToUnixTimeSeconds() < expires ? TokenCheck.Valid : TokenCheck.Expired;
    }

    private string Sign(string signed) => Base64Url.EncodeToString(HMACSHA256.HashData(_key.Value, Encoding.UTF8.GetBytes(signed)));
}

internal enum TokenCheck
{
    Valid,
    Invalid,
    Expired,
}
