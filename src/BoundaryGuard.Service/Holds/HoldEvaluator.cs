using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Core.Policies;
using BoundaryGuard.Graph;
using BoundaryGuard.Graph.Mailboxes;
using BoundaryGuard.Service.Policies;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using NodaTime;

namespace BoundaryGuard.Service.Holds;

/// <summary>
/// The hold decision with the service's inputs: the sender's department policy, and each recipient's working hours
/// from the policy's <c>people</c> or else from Graph. The maths is Core's <see cref="BoundaryPolicy"/>.
/// </summary>
/// <remarks>
/// Product rule where Core has no answer: when a recipient's hours never meet the policy's (a night-float resident
/// working 19:00–07:00 under a 07:00–19:00 policy), the mail goes at the policy's next window start, still counted
/// with the reason <c>recipient-off-hours</c>. Holding it for ever would lose it; sending it at night would break
/// the sender's own boundary.
/// </remarks>
public sealed class HoldEvaluator(PolicyCatalog catalog, IMailboxGateway gateway, IMemoryCache cache, IOptions<HoldsOptions> options)
{
    private readonly TimeSpan cacheTime = options.Value.DirectoryCacheTime;

    /// <summary>The policy of a department (or the <c>"*"</c> policy).</summary>
    public BoundaryPolicy PolicyFor(string? department) =>
        catalog.For(department)
        ?? throw new HoldException(HoldError.NoPolicy, $"No policy applies to the department '{department}' and there is no \"*\" policy.");

    public async Task<string?> DepartmentOfAsync(string mailbox, CancellationToken cancellationToken)
    {
        var key = ("department", mailbox.ToUpperInvariant());
        if (cache.TryGetValue(key, out string? department))
        {
            return department;
        }

        try
        {
            department = (await gateway.GetUserAsync(mailbox, cancellationToken).ConfigureAwait(false)).Department;
        }
        catch (GraphGatewayException e) when (e.Kind == GraphErrorKind.NotFound)
        {
            throw new HoldException(HoldError.NotFound, "The mailbox was not found in the directory.");
        }

        return cache.Set(key, department, cacheTime);
    }

    /// <summary>
    /// Whether <paramref name="sender"/>'s mail may go at <paramref name="at"/> (the policy, the closures and every
    /// known recipient's hours), or when it may. An exempt sender's mail always goes.
    /// </summary>
    public async Task<Decision> EvaluateAsync(
        string? department, string sender, IReadOnlyList<string> recipients, Instant at, CancellationToken cancellationToken)
    {
        var policy = PolicyFor(department);
        if (ExemptUntil(sender) is { } until && at.InZone(policy.Zone).Date <= until)
        {
            return Decision.Send;
        }

        var hours = await RecipientHoursAsync(policy, recipients, cancellationToken).ConfigureAwait(false);
        var decision = policy.Evaluate(at, hours);
        if (decision.Kind != DecisionKind.NoCommonTime)
        {
            return decision;
        }

        var alone = policy.Evaluate(at, []);
        return alone.Kind switch
        {
            DecisionKind.Send => alone,
            DecisionKind.Hold => alone with { Reasons = decision.Reasons },
            _ => throw new HoldException(HoldError.NoPolicy, "The department's policy has no working time at all."),
        };
    }

    /// <summary>The working hours of each recipient BoundaryGuard knows; unknown ones are judged by the policy alone.</summary>
    /// <summary>The last day of the sender's exemption from holds, or null when they have none.</summary>
    public LocalDate? ExemptUntil(string sender) => catalog.Exemptions.TryGetValue(sender.Trim(), out var until) ? until : null;

    public async Task<WorkingHours[]> RecipientHoursAsync(BoundaryPolicy policy, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        var hours = new List<WorkingHours>(recipients.Count);
        foreach (var address in recipients.Select(r => r.Trim()).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (policy.TryGetPerson(address, out var listed))
            {
                hours.Add(listed);
            }
            else if (await DirectoryHoursAsync(address, cancellationToken).ConfigureAwait(false) is { } known)
            {
                hours.Add(known);
            }
        }

        return [.. hours];
    }

    private async Task<WorkingHours?> DirectoryHoursAsync(string address, CancellationToken cancellationToken)
    {
        // Kept in memory only, keyed by address, for deciding; never written to the database or a log.
        var key = ("hours", address.ToUpperInvariant());
        if (cache.TryGetValue(key, out WorkingHours? hours))
        {
            return hours;
        }

        try
        {
            hours = await gateway.GetWorkingHoursAsync(address, cancellationToken).ConfigureAwait(false);
        }
        catch (GraphGatewayException e) when (e.Kind is GraphErrorKind.NotFound or GraphErrorKind.AccessDenied or GraphErrorKind.Rejected)
        {
            // Outside the institution, outside the app's scope, or hours Graph gave in a shape no one can read:
            // the policy alone decides for this recipient.
            hours = null;
        }

        return cache.Set(key, hours, cacheTime);
    }
}
