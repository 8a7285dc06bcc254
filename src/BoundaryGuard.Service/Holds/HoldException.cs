namespace BoundaryGuard.Service.Holds;

public enum HoldError
{
    /// <summary>The request itself is wrong (a missing field, an unknown reason).</summary>
    Invalid,

    /// <summary>No such hold, draft or mailbox.</summary>
    NotFound,

    /// <summary>The caller may not act on this hold or mailbox.</summary>
    Forbidden,

    /// <summary>The hold or draft is not in a state that allows it (already sent, already cancelled).</summary>
    Conflict,

    /// <summary>No policy applies: the service's policy folder has no entry for the department and no <c>"*"</c>.</summary>
    NoPolicy,
}

/// <summary>A hold request that cannot be done, with a message safe to show the caller (no mail content).</summary>
public sealed class HoldException : Exception
{
    public HoldException(HoldError error, string message)
        : base(message)
    {
        Error = error;
    }

    public HoldException()
    {
    }

    public HoldException(string message) : base(message)
    {
    }

    public HoldException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public HoldError Error { get; }
}
