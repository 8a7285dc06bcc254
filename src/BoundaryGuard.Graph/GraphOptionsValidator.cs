using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Graph;

/// <summary>Each credential kind names what it needs; a development-only kind is refused in production.</summary>
public sealed class GraphOptionsValidator(IHostEnvironment environment) : IValidateOptions<GraphOptions>
{
    public ValidateOptionsResult Validate(string? name, GraphOptions options)
    {
        var failures = new List<string>();
        void Require(string? value, string field)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                failures.Add($"Graph:{field} is required for the {options.Credential} credential.");
            }
        }

        switch (options.Credential)
        {
            case GraphCredentialKind.ClientCertificate:
                Require(options.TenantId, nameof(options.TenantId));
                Require(options.ClientId, nameof(options.ClientId));
                Require(options.CertificatePath, nameof(options.CertificatePath));
                break;
            case GraphCredentialKind.ClientSecret:
                Require(options.TenantId, nameof(options.TenantId));
                Require(options.ClientId, nameof(options.ClientId));
                Require(options.ClientSecret, nameof(options.ClientSecret));
                if (!environment.IsDevelopment())
                {
                    failures.Add("Graph:Credential ClientSecret is for development only; use ClientCertificate, ManagedIdentity or WorkloadIdentity.");
                }

                break;
            case GraphCredentialKind.WorkloadIdentity:
                Require(options.TenantId, nameof(options.TenantId));
                Require(options.ClientId, nameof(options.ClientId));
                Require(options.TokenFilePath, nameof(options.TokenFilePath));
                break;
            case GraphCredentialKind.Sandbox:
                Require(options.TenantId, nameof(options.TenantId));
                Require(options.ClientId, nameof(options.ClientId));
                Require(options.ClientSecret, nameof(options.ClientSecret));
                if (!options.BaseUrl.IsLoopback)
                {
                    failures.Add("Graph:Credential Sandbox only talks to a sandbox on this machine (a loopback Graph:BaseUrl).");
                }

                break;
            case GraphCredentialKind.ManagedIdentity:
                break;
            default:
                failures.Add($"Graph:Credential '{options.Credential}' is not a known credential kind.");
                break;
        }

        if (options.AuthorityHost is { } authority && authority.Scheme != Uri.UriSchemeHttps &&
            options.Credential != GraphCredentialKind.Sandbox)
        {
            failures.Add("Graph:AuthorityHost must be https.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
