using System.ComponentModel.DataAnnotations;

namespace BoundaryGuard.Service.Addin;

/// <summary>
/// The Outlook add-in the service serves at <c>/addin/</c> (section <c>Addin</c>): where its files are, the address
/// Outlook reaches it at, its Microsoft Entra registration for Nested App Authentication, and the Smart Alerts mode.
/// </summary>
public sealed class AddinOptions : IValidatableObject
{
    public const string Section = "Addin";

    /// <summary>The built add-in (manifest/dist, copied beside the service by the build).</summary>
    public string Folder { get; set; } = Path.Combine(AppContext.BaseDirectory, "addin");

    /// <summary>
    /// The service's public address, as Outlook reaches it (HTTPS, e.g. <c>https://boundaryguard.med.example.edu</c>).
    /// Null: the address of each request, which is right unless a proxy in front of the service rewrites it.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>
    /// Where the add-in calls the API (<c>{ApiBaseUrl}/api/v1/...</c>), when it is not the add-in's own address: an
    /// institution may serve the add-in and the API from different origins. Null: the add-in's address. Needs
    /// <see cref="BaseUrl"/>, the one origin the API lets call it across origins.
    /// </summary>
    public Uri? ApiBaseUrl { get; set; }

    /// <summary>The add-in's app registration (application id) in Microsoft Entra ID, for Nested App Authentication.</summary>
    public Guid? ClientId { get; set; }

    /// <summary>The scope of the service's API the add-in asks for, e.g. <c>api://boundaryguard.med.example.edu/{api app id}/access_as_user</c>.</summary>
    [RegularExpression("^[A-Za-z0-9:/._-]+$", ErrorMessage = "Addin:ApiScope must be a scope URI (letters, digits and : / . _ -).")]
    public string? ApiScope { get; set; }

    /// <summary>The sign-in authority: <c>https://login.microsoftonline.com/{tenant id}</c> for a single-tenant registration.</summary>
    public Uri? Authority { get; set; }

    /// <summary>What Outlook does when the add-in holds a send: see <see cref="AddinSendMode"/>.</summary>
    public AddinSendMode SendMode { get; set; } = AddinSendMode.SoftBlock;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, uri) in new[] { (nameof(BaseUrl), BaseUrl), (nameof(ApiBaseUrl), ApiBaseUrl), (nameof(Authority), Authority) })
        {
            if (uri is not null && (!uri.IsAbsoluteUri || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.Query)))
            {
                yield return new ValidationResult($"Addin:{name} must be an absolute http(s) address without a query.", [name]);
            }
            else if (uri is { Scheme: "http", IsLoopback: false } && name != nameof(Authority))
            {
                // learn.microsoft.com/office/dev/add-ins/concepts/requirements-for-running-office-add-ins: an add-in for
                // Office on the web must be SSL-secured, and the unified manifest's schema takes only https URLs.
                yield return new ValidationResult($"Addin:{name} must be https: Outlook on the web loads add-ins only over HTTPS (http only on a loopback address).", [name]);
            }
        }

        if (ApiBaseUrl is not null && BaseUrl is null)
        {
            // Without BaseUrl no origin may call the API across origins, so an API elsewhere could never be reached.
            yield return new ValidationResult(
                "Addin:ApiBaseUrl needs Addin:BaseUrl: the API lets only the add-in's own origin call it from another origin.",
                [nameof(ApiBaseUrl)]);
        }
    }

    /// <summary>The configured <see cref="BaseUrl"/> as the add-in's files name it (no trailing slash), or null.</summary>
    internal string? ConfiguredBase => Base(BaseUrl);

    /// <summary>The origin (scheme, host and port) of <see cref="BaseUrl"/>, or null when it is not configured.</summary>
    internal string? AddinOrigin => BaseUrl is { IsAbsoluteUri: true } url ? url.GetLeftPart(UriPartial.Authority) : null;

    /// <summary>The add-in's address for one request: <see cref="BaseUrl"/>, or the request's own address.</summary>
    internal string BaseFor(HttpRequest request) => ConfiguredBase ?? $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>An address as the add-in's files name it: its path kept, no trailing slash.</summary>
    internal static string? Base(Uri? url) => url?.GetLeftPart(UriPartial.Path).TrimEnd('/');
}

/// <summary>Smart Alerts' send modes (the manifest's <c>SendMode</c>).</summary>
public enum AddinSendMode
{
    /// <summary>The user may send anyway from Outlook's dialog (recorded by the service as sent by the user).</summary>
    PromptUser,

    /// <summary>The user cannot send while the add-in holds; if the add-in is unavailable, the send goes.</summary>
    SoftBlock,

    /// <summary>Nothing is sent without the add-in's consent, even when it is unavailable. Admin deployment only.</summary>
    Block,
}
