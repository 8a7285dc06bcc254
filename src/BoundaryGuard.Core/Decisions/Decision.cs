using NodaTime;

namespace BoundaryGuard.Core.Decisions;

public enum DecisionKind
{
    /// <summary>The mail may go now.</summary>
    Send,

    /// <summary>Hold the mail until <see cref="Decision.ReleaseAt"/>.</summary>
    Hold,

    /// <summary>
    /// No instant within <see cref="TimeZones.DstRule.Horizon"/> is inside the policy's window and every recipient's:
    /// their hours never meet. Nothing can be scheduled; the caller must say so rather than hold forever.
    /// </summary>
    NoCommonTime,
}

/// <summary>The answer to "may this mail go now, and if not, when?". A value type: deciding allocates nothing.</summary>
public readonly record struct Decision(DecisionKind Kind, Instant? ReleaseAt, HoldReasons Reasons)
{
    public static Decision Send => new(DecisionKind.Send, null, HoldReasons.None);
}
