using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Identity;

namespace BoundaryGuard.Graph.Credentials;

/// <summary>
/// The one place that turns validated options into a credential. No <c>DefaultAzureCredential</c>: production picks
/// one credential explicitly, so a developer's cached login can never be used by the service.
/// </summary>
internal static class GraphCredentials
{
    public static TokenCredential Create(GraphOptions options, HttpClient sandboxHttp, TimeProvider clock) => options.Credential switch
    {
        GraphCredentialKind.ClientCertificate => new ClientCertificateCredential(
            options.TenantId,
            options.ClientId,
            X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath!, options.CertificatePassword),
            Authority(options)),
        GraphCredentialKind.ClientSecret => new ClientSecretCredential(
            options.TenantId, options.ClientId, options.ClientSecret, Authority(options)),
        GraphCredentialKind.ManagedIdentity => new ManagedIdentityCredential(
            string.IsNullOrWhiteSpace(options.ManagedIdentityClientId)
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId)),
        GraphCredentialKind.WorkloadIdentity => new WorkloadIdentityCredential(new WorkloadIdentityCredentialOptions
        {
            TenantId = options.TenantId,
            ClientId = options.ClientId,
            TokenFilePath = options.TokenFilePath,
            AuthorityHost = options.AuthorityHost ?? AzureAuthorityHosts.AzurePublicCloud,
        }),
        GraphCredentialKind.Sandbox => new SandboxCredential(
            sandboxHttp,
            new Uri(options.AuthorityHost ?? new Uri(options.BaseUrl, "/"), $"{options.TenantId}/oauth2/v2.0/token"),
            options.ClientId!,
            options.ClientSecret!,
            clock),
        _ => throw new InvalidOperationException($"Unknown credential kind {options.Credential}."),
    };

    private static TokenCredentialOptions Authority(GraphOptions options) => new()
    {
        AuthorityHost = options.AuthorityHost ?? AzureAuthorityHosts.AzurePublicCloud,
    };
}
