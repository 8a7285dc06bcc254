namespace BoundaryGuard.Core;

/// <summary>
/// Bad policy input: a field, a file or a value that cannot be used. The message is one plain line that names the
/// field (as a JSON path such as <c>holidays[1].date</c>) or the file, and is safe to show to IT as it is.
/// </summary>
public sealed class PolicyException : Exception
{
    public PolicyException(string message) : base(message)
    {
    }

    public PolicyException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public PolicyException()
    {
    }
}
