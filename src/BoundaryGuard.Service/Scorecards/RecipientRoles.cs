using BoundaryGuard.Graph;
using BoundaryGuard.Graph.Mailboxes;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Scorecards;

/// <summary>
/// Counts a message's recipients by role from the directory's job titles: trainees, faculty, staff, and external
/// (not in the directory, or outside the application's scope). Addresses are looked up and forgotten; only counts
/// leave this class.
/// </summary>
public sealed class RecipientRoles(IMailboxGateway gateway, IMemoryCache cache, IOptions<ScorecardOptions> options, IOptions<Holds.HoldsOptions> holds)
{
    private enum Role
    {
        Trainee,
        Faculty,
        Staff,
        External,
    }

    public async Task<RecipientCounts> CountAsync(IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        int trainees = 0, faculty = 0, staff = 0, external = 0;
        foreach (var address in recipients.Select(r => r.Trim()).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            switch (await RoleOfAsync(address, cancellationToken).ConfigureAwait(false))
            {
                case Role.Trainee: trainees++; break;
                case Role.Faculty: faculty++; break;
                case Role.Staff: staff++; break;
                default: external++; break;
            }
        }

        return new RecipientCounts(trainees, faculty, staff, external);
    }

    private async Task<Role> RoleOfAsync(string address, CancellationToken cancellationToken)
    {
        // In memory only, like the directory lookups of the hold decision; never stored.
        var key = ("role", address.ToUpperInvariant());
        if (cache.TryGetValue(key, out Role role))
        {
            return role;
        }

        try
        {
            var user = await gateway.GetUserAsync(address, cancellationToken).ConfigureAwait(false);
            role = Classify(user.JobTitle);
        }
        catch (GraphGatewayException e) when (e.Kind is GraphErrorKind.NotFound or GraphErrorKind.AccessDenied or GraphErrorKind.Rejected)
        {
            role = Role.External;
        }

        return cache.Set(key, role, holds.Value.DirectoryCacheTime);
    }

    private Role Classify(string? jobTitle)
    {
        if (jobTitle is null)
        {
            return Role.Staff;
        }

        static bool Starts(string title, string[] prefixes) => prefixes.Any(p => title.StartsWith(p, StringComparison.OrdinalIgnoreCase));
        return Starts(jobTitle, options.Value.TraineeTitles) ? Role.Trainee
            : Starts(jobTitle, options.Value.FacultyTitles) ? Role.Faculty
            : Role.Staff;
    }
}
