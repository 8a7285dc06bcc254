using System.ComponentModel.DataAnnotations;

namespace BoundaryGuard.Graph;

public enum GraphCredentialKind
{
    /// <summary>An app registration's certificate (production).</summary>
    ClientCertificate,

    /// <summary>An app registration's secret: development only, refused in production.</summary>
    ClientSecret,

    /// <summary>An Azure managed identity (production on Azure compute).</summary>
    ManagedIdentity,

    /// <summary>A federated workload identity token file, e.g. on Kubernetes (production).</summary>
    WorkloadIdentity,

    /// <summary>
    /// The local Graph sandbox's client-credentials endpoint over plain HTTP. Azure.Identity refuses authority hosts
    /// that are not HTTPS, so the sandbox has its own credential; it is refused unless the base URL is loopback.
    /// </summary>
    Sandbox,
}

/// <summary>How BoundaryGuard reaches Microsoft Graph. Bound from the <c>Graph</c> section and validated at start.</summary>
public sealed class GraphOptions
{
    public const string Section = "Graph";

    /// <summary>The Graph v1.0 root, e.g. <c>https://graph.microsoft.com/v1.0</c> or the sandbox's <c>http://127.0.0.1:5190/v1.0</c>.</summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("https://graph.microsoft.com/v1.0");

    public GraphCredentialKind Credential { get; set; } = GraphCredentialKind.ClientCertificate;

    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    /// <summary>For <see cref="GraphCredentialKind.ClientSecret"/> and <see cref="GraphCredentialKind.Sandbox"/>.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>A PFX or PEM file with the private key, for <see cref="GraphCredentialKind.ClientCertificate"/>.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>A user-assigned managed identity's client id; empty for the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The federated token file for <see cref="GraphCredentialKind.WorkloadIdentity"/>.</summary>
    public string? TokenFilePath { get; set; }

    /// <summary>The token authority, e.g. <c>https://login.microsoftonline.com</c>; the sandbox's own root for the sandbox.</summary>
    public Uri? AuthorityHost { get; set; }

    /// <summary>How long one HTTP attempt may take before it is abandoned.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after a failure (5xx, a lost answer of a request safe to repeat).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 6;

    /// <summary>
    /// Retries after 429: Graph did nothing and said when to come back, so waiting it out is always right; the budget
    /// is larger because one mailbox's concurrent requests are refused together while it is throttled.
    /// </summary>
    [Range(0, 100)]
    public int MaxThrottledRetries { get; set; } = 20;

    /// <summary>The first backoff delay when Graph gives no Retry-After; it doubles each retry, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Graph allows 4 concurrent requests per app per mailbox.</summary>
    [Range(1, 4)]
    public int MaxConcurrentRequestsPerMailbox { get; set; } = 4;

    /// <summary>Exchange Online allows 30 messages a minute per mailbox.</summary>
    [Range(1, 30)]
    public int MaxSendsPerMinute { get; set; } = 30;

    /// <summary>Graph allows 10,000 requests per 10 minutes per app per mailbox.</summary>
    [Range(1, 10_000)]
    public int MaxRequestsPerTenMinutes { get; set; } = 10_000;

    /// <summary>How long to look for the Sent Items copy after a send before calling it unconfirmed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SendConfirmationTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
