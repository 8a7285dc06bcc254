using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Azure.Core;

namespace BoundaryGuard.Graph.Credentials;

/// <summary>
/// OAuth 2.0 client credentials against the local Graph sandbox's token endpoint. It exists only because
/// Azure.Identity refuses non-HTTPS authorities; it speaks the same form post as Entra ID does.
/// </summary>
internal sealed class SandboxCredential(HttpClient http, Uri tokenEndpoint, string clientId, string clientSecret, TimeProvider clock)
    : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
            ["scope"] = string.Join(' ', requestContext.Scopes),
        });
        using var response = await http.PostAsync(tokenEndpoint, form, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new GraphGatewayException(GraphErrorKind.AccessDenied, $"the token endpoint answered {(int)response.StatusCode}");
        }

        var token = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken).ConfigureAwait(false)
            ?? throw new GraphGatewayException(GraphErrorKind.Transient, "the token endpoint answered with no token");

        // Renew a little early so no request goes out with a token that expires on the way.
        return new AccessToken(token.AccessToken, clock.GetUtcNow().AddSeconds(token.ExpiresIn - 60));
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
