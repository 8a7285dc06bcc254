using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.GraphSandbox.Storage;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.GraphSandbox.Auth;

/// <summary>
/// Issues and checks access tokens: <c>bg1.{payload}.{HMAC-SHA256}</c> with the key kept in the sandbox state, so a
/// token is valid exactly when this sandbox (or its data file) issued it and the injected clock says it has not
/// expired. No token store: nothing to lose on restart, nothing to grow.
/// </summary>
internal sealed class TokenIssuer(SandboxStore store, TimeProvider clock, IOptions<SandboxOptions> options)
{
    private const string Prefix = "bg1";

    private readonly Lazy<byte[]> _key = new(() => Convert.FromBase64String(store.Read(state => state.TokenKey)));

    public TimeSpan Lifetime => options.Value.TokenLifetime;

    public string Issue(string clientId)
    {
        var expires = clock.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds();
        var payload = string.Join('.',
            expires.ToString(CultureInfo.InvariantCulture),
            Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
            Base64Url.EncodeToString(Encoding.UTF8.GetBytes(clientId)));
        return $"{Prefix}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{Sign(payload)}";
    }

    public TokenCheck Check(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0] != Prefix)
        {
            return TokenCheck.Invalid;
        }

        string payload;
        try
        {
            payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        }
        catch (FormatException)
        {
            return TokenCheck.Invalid;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(payload));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[2])))
        {
            return TokenCheck.Invalid;
        }

        var fields = payload.Split('.');
        if (fields.Length != 3 || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return TokenCheck.Invalid;
        }

        return clock.GetUtcNow().ToUnixTimeSeconds() < expires ? TokenCheck.Valid : TokenCheck.Expired;
    }

    private string Sign(string payload) => Base64Url.EncodeToString(HMACSHA256.HashData(_key.Value, Encoding.UTF8.GetBytes(payload)));
}

internal enum TokenCheck
{
    Valid,
    Invalid,
    Expired,
}
