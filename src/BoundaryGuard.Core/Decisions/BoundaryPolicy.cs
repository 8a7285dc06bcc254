using System.Diagnostics.CodeAnalysis;
using BoundaryGuard.Core.Calendars;
using BoundaryGuard.Core.Policies;
using BoundaryGuard.Core.TimeZones;
using NodaTime;

namespace BoundaryGuard.Core.Decisions;

/// <summary>
/// The boundary policy of one department: its working hours, its closures and the working hours of the people it
/// knows. Mail may go at an instant when that instant is inside the policy's window, not in a closure, and inside
/// the window of every listed recipient; otherwise it is held until the earliest such instant.
/// Immutable and thread-safe; deciding allocates nothing once a year's closures have been expanded.
/// </summary>
public sealed class BoundaryPolicy
{
    public BoundaryPolicy(
        WorkingHours workingHours,
        ClosureCalendar closures,
        IReadOnlyDictionary<string, WorkingHours>? people = null)
    {
        WorkingHours = workingHours ?? throw new ArgumentNullException(nameof(workingHours));
        Closures = closures ?? throw new ArgumentNullException(nameof(closures));
        var byAddress = new Dictionary<string, WorkingHours>(StringComparer.OrdinalIgnoreCase);
        foreach (var (address, hours) in people ?? new Dictionary<string, WorkingHours>())
        {
            byAddress.Add(address.Trim(), hours);
        }

        People = byAddress;
        peopleByAddress = byAddress.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private readonly Dictionary<string, WorkingHours>.AlternateLookup<ReadOnlySpan<char>> peopleByAddress;

    public WorkingHours WorkingHours { get; }

    public ClosureCalendar Closures { get; }

    /// <summary>Known recipients' working hours by address (case-insensitive); others are judged by the policy alone.</summary>
    public IReadOnlyDictionary<string, WorkingHours> People { get; }

    public DateTimeZone Zone => WorkingHours.Zone;

    /// <summary>The department's chairs (who get the weekly digest) and the leaders a chair may see by name.</summary>
    public ScorecardPeople Scorecard { get; init; } = ScorecardPeople.None;

    /// <summary>A known recipient's working hours, by address (case-insensitive, surrounding spaces ignored).</summary>
    public bool TryGetPerson(ReadOnlySpan<char> address, [MaybeNullWhen(false)] out WorkingHours hours) =>
        peopleByAddress.TryGetValue(address.Trim(), out hours);

    public Decision Evaluate(Instant at, ReadOnlySpan<WorkingHours> recipients) => Evaluate(at, recipients, out _);

    /// <param name="rounds">How many passes over the constraints the search took: each pass moves to the next
    /// window start or reopening of some constraint, never by a fixed step.</param>
    internal Decision Evaluate(Instant at, ReadOnlySpan<WorkingHours> recipients, out int rounds)
    {
        rounds = 0;
        var reasons = ReasonsAt(at, recipients);
        if (reasons == HoldReasons.None)
        {
            return Decision.Send;
        }

        var limit = at + DstRule.Horizon;
        var current = at;
        while (current < limit)
        {
            rounds++;
            var next = DstRule.NextOpen(new PolicyDays(this), Zone, current);
            foreach (var recipient in recipients)
            {
                if (next is null)
                {
                    break;
                }

                next = DstRule.NextOpen(recipient, recipient.Zone, next.Value);
            }

            if (next is null)
            {
                break;
            }

            if (next == current)
            {
                return new Decision(DecisionKind.Hold, current, reasons);
            }

            current = next.Value;
        }

        return new Decision(DecisionKind.NoCommonTime, null, reasons);
    }

    /// <summary>Why mail would be held at <paramref name="at"/>; <see cref="HoldReasons.None"/> when it may go.</summary>
    public HoldReasons ReasonsAt(Instant at, ReadOnlySpan<WorkingHours> recipients)
    {
        var reasons = HoldReasons.None;
        var local = at.InZone(Zone).LocalDateTime;
        if (!WorkingHours.Contains(local))
        {
            reasons |= WorkingHours.IsWorkingDay(local.DayOfWeek) ? HoldReasons.AfterHours : HoldReasons.Weekend;
        }

        if (Closures.IsClosed(local))
        {
            reasons |= HoldReasons.Holiday;
        }

        foreach (var recipient in recipients)
        {
            if (!recipient.Contains(at.InZone(recipient.Zone).LocalDateTime))
            {
                reasons |= HoldReasons.RecipientOffHours;
                break;
            }
        }

        return reasons;
    }

    public bool IsOpen(Instant at, ReadOnlySpan<WorkingHours> recipients) =>
        ReasonsAt(at, recipients) == HoldReasons.None;

    /// <summary>The policy and its known people as intervals for <paramref name="length"/> from <paramref name="now"/>.</summary>
    public PolicySnapshot Snapshot(Instant now, Duration length)
    {
        var until = now + length;
        var firstDay = now.InZone(Zone).Date;
        return new PolicySnapshot(
            now,
            until,
            Zone.Id,
            DstRule.OpenIntervals(new PolicyDays(this), Zone, now, until),
            Closures.Between(firstDay, until.InZone(Zone).Date),
            People.ToDictionary(
                p => p.Key,
                p => DstRule.OpenIntervals(p.Value, p.Value.Zone, now, until),
                StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The policy's own days: inside its window and not closed, in its zone.</summary>
    private readonly struct PolicyDays(BoundaryPolicy policy) : ILocalSchedule
    {
        public LocalDateTime? NextOpen(LocalDateTime local)
        {
            var limit = local.PlusDays(DstRule.Horizon.Days);
            LocalDateTime? candidate = local;
            while (candidate is { } from && from < limit)
            {
                var inWindow = policy.WorkingHours.NextOpen(from);
                candidate = inWindow is null ? null : policy.Closures.NextOpen(inWindow.Value);
                if (candidate == inWindow)
                {
                    return candidate;
                }
            }

            return null;
        }

        public LocalDateTime? NextClosed(LocalDateTime local)
        {
            var outsideWindow = policy.WorkingHours.NextClosed(local);
            var closed = policy.Closures.NextClosed(local);
            return outsideWindow is null ? closed : closed is null ? outsideWindow : LocalDateTime.Min(outsideWindow.Value, closed.Value);
        }
    }
}

/// <summary>
/// The policy file's <c>scorecard</c>: <see cref="Chairs"/> receive the department's weekly digest;
/// <see cref="Leaders"/> are the people whose own cards the chair may see by name, where the institution allows it.
/// Addresses compare case-insensitively.
/// </summary>
public sealed record ScorecardPeople(IReadOnlySet<string> Chairs, IReadOnlySet<string> Leaders)
{
    public static ScorecardPeople None { get; } = new(
        new HashSet<string>(StringComparer.OrdinalIgnoreCase), new HashSet<string>(StringComparer.OrdinalIgnoreCase));
}
