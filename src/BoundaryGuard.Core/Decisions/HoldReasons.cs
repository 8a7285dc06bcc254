namespace BoundaryGuard.Core.Decisions;

/// <summary>Why mail is held at an instant. Several can apply at once (a Saturday that is also a holiday).</summary>
[Flags]
public enum HoldReasons
{
    None = 0,

    /// <summary>A working day of the policy, outside its window.</summary>
    AfterHours = 1,

    /// <summary>A day that is not one of the policy's working days, outside any window.</summary>
    Weekend = 2,

    /// <summary>Inside a closure: an explicit holiday, an ICS calendar event or a national holiday.</summary>
    Holiday = 4,

    /// <summary>Outside the working hours of at least one listed recipient.</summary>
    RecipientOffHours = 8,
}

public static class HoldReasonsExtensions
{
    /// <summary>The contract's names, in the contract's order.</summary>
    public static IEnumerable<string> Names(this HoldReasons reasons)
    {
        if (reasons.HasFlag(HoldReasons.AfterHours))
        {
            yield return "after-hours";
        }

        if (reasons.HasFlag(HoldReasons.Weekend))
        {
            yield return "weekend";
        }

        if (reasons.HasFlag(HoldReasons.Holiday))
        {
            yield return "holiday";
        }

        if (reasons.HasFlag(HoldReasons.RecipientOffHours))
        {
            yield return "recipient-off-hours";
        }
    }
}
