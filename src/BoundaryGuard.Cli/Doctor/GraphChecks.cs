using System.Buffers.Text;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Core;
using BoundaryGuard.Graph;
using BoundaryGuard.Graph.Credentials;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Scorecards;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace BoundaryGuard.Cli.Doctor;

/// <summary>
/// The checks that talk to Microsoft Graph, as the service will: its <see cref="GraphOptions"/>, its credential
/// (<see cref="GraphCredentials"/>), its base URL. Only GET requests; one attempt each (a diagnosis reports what it
/// sees rather than retrying it away). Graph's own error text is never printed, only its status and code.
/// </summary>
internal sealed partial class GraphChecks : IDisposable
{
    /// <summary>
    /// What docs/microsoft-365.md asks IT to grant in Entra ID: the token's <c>roles</c> should be exactly these. The
    /// mailbox permissions are granted in Exchange with RBAC for Applications, scoped to faculty, and Exchange checks them
    /// at each request: they are not in Entra's token, and <c>mailbox-scope</c> and <c>mailboxes</c> prove them.
    /// </summary>
    public static readonly IReadOnlyList<string> RequiredPermissions = ["User.Read.All"];

    /// <summary>
    /// Mailbox permissions that, granted in Entra ID, reach every mailbox in the tenant whatever the RBAC scope: Entra
    /// grants and RBAC for Applications grants add up
    /// (https://learn.microsoft.com/exchange/permissions-exo/application-rbac).
    /// </summary>
    private static readonly string[] TenantWideMailbox =
        ["Mail.ReadWrite", "Mail.Send", "Mail.Read", "Mail.ReadBasic", "Mail.ReadBasic.All", "MailboxSettings.Read", "MailboxSettings.ReadWrite", "Calendars.Read", "Calendars.ReadWrite"];

    private const string NoToken = "no Graph token (see graph-token)";

    private readonly HttpClient? graph;
    private readonly string? token;
    private readonly TimeProvider clock;
    private TimeSpan? skew;

    private GraphChecks(Finding tokenFinding, HttpClient? graph, string? token, TimeProvider clock)
    {
        Token = tokenFinding;
        this.graph = graph;
        this.token = token;
        this.clock = clock;
    }

    /// <summary>The <c>graph-token</c> check's result.</summary>
    public Finding Token { get; }

    /// <summary>Binds and validates the Graph settings as the service's start does, and gets a token with them.</summary>
    public static async Task<GraphChecks> ConnectAsync(IConfiguration configuration, string environment, TimeProvider clock)
    {
        const string name = "graph-token";
        var options = configuration.GetSection(GraphOptions.Section).Get<GraphOptions>() ?? new GraphOptions();
        var invalid = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), invalid, validateAllProperties: true);
        var failures = invalid.Select(r => r.ErrorMessage ?? "")
            .Concat(new GraphOptionsValidator(new HostingEnvironment { EnvironmentName = environment }).Validate(null, options).Failures ?? [])
            .ToList();
        if (failures.Count > 0)
        {
            return new(Finding.Skipped(name, $"the Graph settings are incomplete: {string.Join(" ", failures)}"), null, null, clock);
        }

        // Ids survive moves only with this header on every request (learn.microsoft.com/graph/outlook-immutable-id).
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false })
        {
            BaseAddress = new Uri(options.BaseUrl.ToString().TrimEnd('/') + "/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.Add("Prefer", "IdType=\"ImmutableId\"");
        try
        {
            using var tokenHttp = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var credential = GraphCredentials.Create(options, tokenHttp, clock);
            var token = (await credential.GetTokenAsync(new TokenRequestContext(TokenCredentialAccessTokenProvider.Scopes), timeout.Token)
                .ConfigureAwait(false)).Token;
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return new(Finding.Ok(name, $"obtained with the {options.Credential} credential"), http, token, clock);
        }
#pragma warning disable CA1031 // Whatever the credential throws (Azure.Identity's own types, a certificate file) is this check's finding.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // The clock check still works without a token: Graph dates its 401 too.
            return new(Finding.Fail(name,
                $"no token with the {options.Credential} credential ({Reason(e)}): check Graph:TenantId, Graph:ClientId and the credential's settings " +
                "(a wrong or expired secret or certificate, or one not registered on the app)"), http, null, clock);
        }
    }

    /// <summary>The token's <c>roles</c> against <see cref="RequiredPermissions"/>: too few fail, too many warn.</summary>
    public Finding Permissions()
    {
        const string name = "permissions";
        if (token is null)
        {
            return Finding.Skipped(name, NoToken);
        }

        // learn.microsoft.com/entra/identity-platform/access-token-claims-reference: an app-only token lists the
        // application permissions granted to the app in roles (absent when there are none).
        if (Roles(token) is not { } roles)
        {
            return Finding.Warning(name, "the token is not a JWT, so its permissions cannot be read: check them on the app registration in Entra ID");
        }

        var missing = RequiredPermissions.Except(roles, StringComparer.OrdinalIgnoreCase).ToList();
        var extra = roles.Except(RequiredPermissions, StringComparer.OrdinalIgnoreCase).ToList();
        var tenantWide = extra.Intersect(TenantWideMailbox, StringComparer.OrdinalIgnoreCase).ToList();
        var tooMany = extra.Count == 0 ? "" : $"it also carries {string.Join(", ", extra)}, which BoundaryGuard does not need in Entra ID: remove {(extra.Count == 1 ? "it" : "them")} (least privilege)" +
            (tenantWide.Count == 0 ? "" : $"; {string.Join(", ", tenantWide)} granted in Entra ID reach every mailbox whatever the RBAC scope: grant {(tenantWide.Count == 1 ? "it" : "them")} in Exchange only (docs/microsoft-365.md, step 3)");
        return missing.Count > 0
            ? Finding.Fail(name, $"the token lacks {string.Join(", ", missing)}: grant {(missing.Count == 1 ? "it" : "them")} in Entra ID as application permissions with admin consent " +
                $"(docs/microsoft-365.md, step 2){(tooMany.Length == 0 ? "" : "; " + tooMany)}")
            : extra.Count > 0
                ? Finding.Warning(name, $"the token has every permission needed, but {tooMany}")
                : Finding.Ok(name, $"exactly {string.Join(", ", RequiredPermissions)}");
    }

    /// <summary>RBAC for Applications in force: the mailbox inside the scope can be read, the one outside cannot.</summary>
    public async Task<Finding> MailboxScopeAsync(string? inside, string? outside)
    {
        const string name = "mailbox-scope";
        if (graph is null || token is null)
        {
            return Finding.Skipped(name, NoToken);
        }

        if (inside is null || outside is null)
        {
            var options = string.Join(" and ", new[] { inside is null ? "--in-scope" : null, outside is null ? "--out-of-scope" : null }.OfType<string>());
            return Finding.Warning(name, $"not checked: give {options} (a faculty mailbox, and one the application must not reach) to prove RBAC for Applications is in force");
        }

        var read = await GetAsync(MailboxPath(inside)).ConfigureAwait(false);
        if (read.Status != HttpStatusCode.OK)
        {
            return Finding.Fail(name, read.Status switch
            {
                HttpStatusCode.Forbidden => $"the --in-scope mailbox cannot be read ({read}): add it to the application's management scope (docs/microsoft-365.md)",
                HttpStatusCode.NotFound => $"the --in-scope mailbox was not found ({read}): give one that exists",
                _ => $"reading the --in-scope mailbox failed ({read})",
            });
        }

        // learn.microsoft.com/graph/auth-limit-mailbox-access: outside the management scope Exchange answers 403 ErrorAccessDenied.
        var denied = await GetAsync(MailboxPath(outside)).ConfigureAwait(false);
        return denied.Status switch
        {
            HttpStatusCode.Forbidden => Finding.Ok(name, $"the --in-scope mailbox can be read and the --out-of-scope one cannot ({denied})"),
            HttpStatusCode.OK => Finding.Fail(name,
                "the --out-of-scope mailbox can be read: the application reaches every mailbox: scope it with RBAC for Applications " +
                "(and no tenant-wide Mail or MailboxSettings grant in Entra ID on top, which would widen it; docs/microsoft-365.md)"),
            HttpStatusCode.NotFound => Finding.Fail(name, $"the --out-of-scope mailbox was not found ({denied}): give one that exists outside the scope"),
            _ => Finding.Fail(name, $"reading the --out-of-scope mailbox failed ({denied})"),
        };
    }

    /// <summary>Each "Send later" mailbox and the digest sender: in the directory, with a mailbox the application reaches.</summary>
    public async Task<Finding> MailboxesAsync(IConfiguration configuration)
    {
        const string name = "mailboxes";
        // Named by their settings, never by their addresses.
        var settings = configuration.GetSection($"{SendLaterOptions.Section}:{nameof(SendLaterOptions.Mailboxes)}").GetChildren()
            .Append(configuration.GetSection($"{ScorecardOptions.Section}:{nameof(ScorecardOptions.DigestSender)}"))
            .Where(setting => !string.IsNullOrWhiteSpace(setting.Value))
            .ToList();
        if (settings.Count == 0)
        {
            return Finding.Ok(name, "none configured (no \"Send later\" folder is watched, no weekly digest is sent)");
        }

        if (graph is null || token is null)
        {
            return Finding.Skipped(name, NoToken);
        }

        var problems = new List<string>();
        foreach (var setting in settings)
        {
            var mailbox = setting.Value!.Trim();
            var user = await GetAsync($"users/{Uri.EscapeDataString(mailbox)}?$select=id").ConfigureAwait(false);
            var read = user.Status == HttpStatusCode.OK ? await GetAsync(MailboxPath(mailbox)).ConfigureAwait(false) : user;
            var problem = (user.Status, read.Status) switch
            {
                (HttpStatusCode.OK, HttpStatusCode.OK) => null,
                (HttpStatusCode.NotFound, _) => $"{setting.Path} is not in the directory ({user})",
                (HttpStatusCode.OK, HttpStatusCode.Forbidden) => $"{setting.Path} is outside the application's scope ({read}): add it to the management scope",
                (HttpStatusCode.OK, HttpStatusCode.NotFound) => $"{setting.Path} has no mailbox ({read})",
                _ => $"{setting.Path} could not be looked up ({read})",
            };
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        return problems.Count == 0
            ? Finding.Ok(name, $"{string.Join(", ", settings.Select(s => s.Path))}: in the directory and in the application's scope")
            : Finding.Fail(name, $"{string.Join("; ", problems)}. Correct the setting, or create the mailbox and scope it");
    }

    /// <summary>This machine's clock against the <c>Date</c> of a Graph answer (RFC 9110 section 6.6.1; whole seconds).</summary>
    public async Task<Finding> ClockAsync()
    {
        const string name = "clock";
        if (graph is null)
        {
            return Finding.Skipped(name, "no Graph settings to reach Graph with (see graph-token)");
        }

        if (skew is null)
        {
            // Any answer will do, a 401 or 403 included: only its Date is read.
            await GetAsync("users?$top=1&$select=id").ConfigureAwait(false);
        }

        if (skew is not { } difference)
        {
            return Finding.Fail(name, "Graph did not answer with a Date: cannot compare this machine's clock with it");
        }

        var off = difference.Duration();
        var seconds = off.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        return off > TimeSpan.FromMinutes(1)
            ? Finding.Fail(name, $"this machine's clock is {seconds} s {(difference > TimeSpan.Zero ? "behind" : "ahead of")} Graph's: " +
                "synchronise it (NTP); release times and token lifetimes depend on it")
            : Finding.Ok(name, $"within {seconds} s of Graph's Date");
    }

    public void Dispose() => graph?.Dispose();

    private static string MailboxPath(string mailbox) => $"users/{Uri.EscapeDataString(mailbox.Trim())}/mailFolders/inbox?$select=id";

    /// <summary>One GET; the first answer's Date sets the clock skew (measured against the request's midpoint).</summary>
    private async Task<Answer> GetAsync(string path)
    {
        var sent = clock.GetUtcNow();
        HttpResponseMessage response;
        try
        {
            response = await graph!.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new Answer(0, $"no answer: {e.GetType().Name}");
        }

        using (response)
        {
            if (skew is null && response.Headers.Date is { } date)
            {
                var received = clock.GetUtcNow();
                skew = date - (sent + ((received - sent) / 2));
            }

            return new Answer(response.StatusCode, response.IsSuccessStatusCode ? null : await ErrorCodeAsync(response).ConfigureAwait(false));
        }
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
            return body.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                ? TabText.Field(code.GetString()!)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The <c>roles</c> claim of a JWT (none: empty), or null when the token is not a readable JWT.</summary>
    private static IReadOnlyList<string>? Roles(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return claims.RootElement.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array
                ? [.. roles.EnumerateArray().Select(role => role.GetString() ?? "")]
                : [];
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Why a credential failed, safe to print: our own message, or the exception's type and Entra's AADSTS code (the
    /// full text of Azure.Identity's exceptions names the tenant and app, and may quote a file path).
    /// </summary>
    private static string Reason(Exception e) =>
        e is GraphGatewayException ours ? ours.Message
        : AadstsCode().Match(e.Message) is { Success: true } code ? $"{e.GetType().Name} {code.Value}"
        : e.GetType().Name;

    [GeneratedRegex(@"AADSTS\d+")]
    private static partial Regex AadstsCode();

    private readonly record struct Answer(HttpStatusCode Status, string? Code)
    {
        public override string ToString() => Status == 0 ? Code! : $"{(int)Status}{(Code is null ? "" : " " + Code)}";
    }
}
