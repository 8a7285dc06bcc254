using Azure.Core;
using Microsoft.Kiota.Abstractions.Authentication;

namespace BoundaryGuard.Graph.Credentials;

/// <summary>
/// Bearer tokens for Graph requests from one <see cref="TokenCredential"/>, for the configured Graph host only, with
/// the <c>.default</c> scope of application permissions. Azure.Identity caches and renews the tokens.
/// </summary>
internal sealed class TokenCredentialAccessTokenProvider(TokenCredential credential, Uri graphBaseUrl) : IAccessTokenProvider
{
    internal static readonly string[] Scopes = ["https://graph.microsoft.com/.default"];

    public AllowedHostsValidator AllowedHostsValidator { get; } = new([graphBaseUrl.Host]);

    public async Task<string> GetAuthorizationTokenAsync(
        Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!AllowedHostsValidator.IsUrlHostValid(uri))
        {
            // Never hand a Graph token to another host (e.g. a nextLink that points elsewhere).
            return string.Empty;
        }

        var token = await credential.GetTokenAsync(new TokenRequestContext(Scopes), cancellationToken).ConfigureAwait(false);
        return token.Token;
    }
}
