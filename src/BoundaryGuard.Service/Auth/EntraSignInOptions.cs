using System.ComponentModel.DataAnnotations;
using System.Net;

namespace BoundaryGuard.Service.Auth;

/// <summary>
/// Browser sign-in to the scorecard pages with Microsoft Entra ID (OpenID Connect, authorization code with PKCE), in
/// the section <c>Authentication:Schemes:OpenIdConnect</c> beside the bearer scheme's. Its presence turns the sign-in
/// on. The app registration is the API's own, with a Web redirect URI <c>https://{service}/signin-oidc</c>, so the ID
/// token carries the same app roles (<c>roles</c>) as the add-in's access tokens.
/// </summary>
public sealed class EntraSignInOptions : IValidatableObject
{
    public const string Section = "Authentication:Schemes:OpenIdConnect";

    /// <summary><c>https://login.microsoftonline.com/{tenant id}/v2.0</c>.</summary>
    [Required(ErrorMessage = "Authentication:Schemes:OpenIdConnect:Authority is required (https://login.microsoftonline.com/{tenant id}/v2.0).")]
    public Uri? Authority { get; set; }

    /// <summary>The API's app registration (application id).</summary>
    [Required(ErrorMessage = "Authentication:Schemes:OpenIdConnect:ClientId is required (the API's application id).")]
    public string? ClientId { get; set; }

    /// <summary>A client secret of the registration; or a certificate, below (preferred in production).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>A PFX file with the certificate (and private key) uploaded to the registration.</summary>
    public string? ClientCertificatePath { get; set; }

    public string? ClientCertificatePassword { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Authority is not null && !(Authority.IsAbsoluteUri && (Authority.Scheme == "https" || IsLoopbackHttp(Authority))))
        {
            // Plain http only for an identity provider on this machine (tests, a local mock).
            yield return new ValidationResult($"{Section}:Authority must be an https address.", [nameof(Authority)]);
        }

        if (string.IsNullOrEmpty(ClientSecret) == string.IsNullOrEmpty(ClientCertificatePath))
        {
            yield return new ValidationResult(
                $"{Section} needs exactly one of ClientSecret and ClientCertificatePath.", [nameof(ClientSecret), nameof(ClientCertificatePath)]);
        }
        else if (!string.IsNullOrEmpty(ClientCertificatePath) && !File.Exists(ClientCertificatePath))
        {
            yield return new ValidationResult($"{Section}:ClientCertificatePath: {ClientCertificatePath} does not exist.", [nameof(ClientCertificatePath)]);
        }
    }

    internal static bool IsLoopbackHttp(Uri uri) =>
        uri.Scheme == "http" && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address)));
}
