using System.Security.Claims;

namespace BoundaryGuard.Service.Auth;

/// <summary>
/// Who is calling, from a validated bearer token or the sign-in cookie of the scorecard pages. Microsoft Entra ID
/// access tokens and ID tokens name the user in <c>preferred_username</c> (and <c>oid</c>) and carry app roles in
/// <c>roles</c>, and the cookie keeps those claims as they came (the demo sign-in writes the same ones); tokens from
/// <c>dotnet user-jwts</c> use <c>unique_name</c>/<c>sub</c> and <c>role</c>. All are read the same way.
/// </summary>
public sealed record Caller(string Mailbox, string? ObjectId, IReadOnlySet<string> Roles, string? Department)
{
    public const string Faculty = "faculty";
    public const string Chair = "chair";
    public const string ItAdmin = "it-admin";

    /// <summary>The authorization policy of the mail endpoints: faculty, chairs and IT admins hold their own mail.</summary>
    public const string MailUserPolicy = "mail-user";

    /// <summary>The authorization policy of the admin API: IT administrators only.</summary>
    public const string ItAdminPolicy = "it-admin";

    private static readonly string[] MailboxClaims = ["preferred_username", "upn", "email", "unique_name", "sub"];

    public bool Owns(string mailbox) => string.Equals(Mailbox, mailbox?.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>The caller of an authenticated request; null when the token names no mailbox.</summary>
    public static Caller? From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var mailbox = MailboxClaims.Select(type => principal.FindFirst(type)?.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        if (mailbox is null)
        {
            return null;
        }

        var roles = principal.Claims
            .Where(c => c.Type is "roles" or "role" or ClaimTypes.Role)
            .Select(c => c.Value)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new Caller(mailbox.Trim(), principal.FindFirst("oid")?.Value, roles, principal.FindFirst("department")?.Value);
    }

    public bool IsMailUser => Roles.Contains(Faculty) || Roles.Contains(Chair) || Roles.Contains(ItAdmin);
}
