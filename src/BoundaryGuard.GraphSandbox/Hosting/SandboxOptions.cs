using System.ComponentModel.DataAnnotations;
using BoundaryGuard.GraphSandbox.Faults;

namespace BoundaryGuard.GraphSandbox.Hosting;

/// <summary>The sandbox's settings: section <c>Sandbox</c> in configuration, or passed to <see cref="SandboxServer.StartAsync"/>.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    /// <summary>
    /// The application permission docs/microsoft-365.md asks IT to grant in Entra ID, the default <c>roles</c> of a
    /// token. The mailbox permissions are granted in Exchange with RBAC for Applications (<see cref="MailboxScope"/>),
    /// which Exchange checks at each request: they never appear in Entra's token.
    /// </summary>
    public static readonly IReadOnlyList<string> GrantedPermissions = ["User.Read.All"];

    /// <summary>What issued tokens carry in <c>roles</c>: <see cref="ApplicationPermissions"/>, or <see cref="GrantedPermissions"/>.</summary>
    internal IReadOnlyList<string> Roles => ApplicationPermissions is { } given ? [.. given] : GrantedPermissions;

    /// <summary>
    /// JSON file holding the whole state (directory, mailboxes, delta bookkeeping, token key). Loaded at start when it
    /// exists, created otherwise, saved after every change. Null or empty: in memory only.
    /// </summary>
    public string? DataFile { get; set; }

    /// <summary>Seed the demo institution when the state is new (no data file yet). Default true.</summary>
    public bool SeedDemoInstitution { get; set; } = true;

    /// <summary>
    /// Extra faculty mailboxes seeded with the demo institution (<c>faculty001@med.example.edu</c>, ... in the
    /// Department of Medicine), for load tests that need many mailboxes.
    /// </summary>
    [Range(0, 10_000)]
    public int AdditionalFaculty { get; set; }

    /// <summary>
    /// Accepted app registrations. Empty (the default): any client id and secret get a token, as a developer expects
    /// from a local stand-in. Non-empty: only these pairs do, so a test can prove a wrong secret fails.
    /// </summary>
    public IList<SandboxClient> Clients { get; } = [];

    /// <summary>Lifetime of issued access tokens (AAD's default is one hour less one second, as expires_in says).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromSeconds(3599);

    /// <summary>
    /// The application permissions issued tokens carry in their <c>roles</c> claim, as Entra ID lists the ones an admin
    /// consented to. Null (the default): <see cref="GrantedPermissions"/>, exactly what docs/microsoft-365.md asks for.
    /// A test sets fewer or more to act as a misconfigured app registration; empty: no <c>roles</c> claim at all (no
    /// consent). The sandbox writes them into the token; it does not refuse requests a permission would not cover.
    /// </summary>
    public IList<string>? ApplicationPermissions { get; set; }

    /// <summary>
    /// The mailboxes the application may touch (ids, UPNs or addresses), as Exchange Online's RBAC for Applications
    /// scopes it. Empty (the default): every mailbox, as a tenant-wide grant reaches. Outside a non-empty scope every
    /// request for a mailbox's data (messages, folders, settings, calendars) is refused with 403 ErrorAccessDenied; the
    /// directory (<c>GET /users/{id}</c>) stays readable, as User.Read.All is granted in Entra ID, not in Exchange.
    /// </summary>
    public IList<string> MailboxScope { get; } = [];

    /// <summary>Graph and Exchange Online limits, enforced per mailbox.</summary>
    public SandboxLimitOptions Limits { get; set; } = new();

    /// <summary>Faults injected from the start (they can be changed at run time with <c>PUT /sandbox/faults</c>).</summary>
    public FaultSettings Faults { get; set; } = new();

    /// <summary>
    /// Only for <see cref="SandboxServer.StartAsync"/>: the loopback port to listen on, 0 for a free one. <c>dotnet run</c>
    /// takes <c>--urls</c> instead.
    /// </summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    internal void CopyTo(SandboxOptions target)
    {
        target.DataFile = DataFile;
        target.SeedDemoInstitution = SeedDemoInstitution;
        target.AdditionalFaculty = AdditionalFaculty;
        target.Clients.Clear();
        foreach (var client in Clients)
        {
            target.Clients.Add(new SandboxClient { ClientId = client.ClientId, ClientSecret = client.ClientSecret });
        }

        target.ApplicationPermissions = ApplicationPermissions is null ? null : [.. ApplicationPermissions];
        target.MailboxScope.Clear();
        foreach (var mailbox in MailboxScope)
        {
            target.MailboxScope.Add(mailbox);
        }

        target.TokenLifetime = TokenLifetime;
        target.Limits = Limits with { };
        target.Faults = Faults with { };
        target.Port = Port;
    }
}

/// <summary>One accepted app registration.</summary>
public sealed class SandboxClient
{
    [Required]
    public string ClientId { get; set; } = "";

    [Required]
    public string ClientSecret { get; set; } = "";
}

/// <summary>
/// Per-mailbox limits (learn.microsoft.com/graph/throttling-limits, Exchange Online limits). The defaults are the
/// real numbers; tests may lower them, but the service's own pacing is only proven against the defaults.
/// </summary>
public sealed record SandboxLimitOptions
{
    /// <summary>False turns every limit off (violations are then not counted either).</summary>
    public bool Enabled { get; set; } = true;

    [Range(1, 1000)]
    public int MaxConcurrentRequests { get; set; } = 4;

    [Range(1, int.MaxValue)]
    public int RequestsPerWindow { get; set; } = 10_000;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RequestWindow { get; set; } = TimeSpan.FromMinutes(10);

    [Range(1, int.MaxValue)]
    public int SendsPerWindow { get; set; } = 30;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SendWindow { get; set; } = TimeSpan.FromMinutes(1);

    [Range(1, int.MaxValue)]
    public int MaxRecipientsPerMessage { get; set; } = 500;

    /// <summary>
    /// How long after a 429 has reached the client a request in its window still counts as already on its way (the
    /// client's own latency in reacting, which on a loaded machine reaches hundreds of milliseconds) rather than as
    /// ignoring Retry-After. It is refused either way. Half the shortest Retry-After (1 s): a client that comes back
    /// before its Retry-After is over is still caught.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan RetryAfterGrace { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Retry-After given with a concurrency 429 (the rate limits compute theirs from the window).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ConcurrencyRetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}
