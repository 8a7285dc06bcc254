namespace BoundaryGuard.GraphSandbox.Protocol;

/// <summary>
/// A request Graph would refuse, with Graph's status and error code. Thrown by parsing and validation anywhere in a
/// handler and written as Graph's error body in one place (<see cref="GraphErrorsMiddleware"/>).
/// </summary>
public sealed class GraphException : Exception
{
    public GraphException()
        : this(StatusCodes.Status400BadRequest, "BadRequest", "Bad request.")
    {
    }

    public GraphException(string message)
        : this(StatusCodes.Status400BadRequest, "BadRequest", message)
    {
    }

    public GraphException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = StatusCodes.Status400BadRequest;
        Code = "BadRequest";
    }

    public GraphException(int statusCode, string code, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Code = code;
    }

    public int StatusCode { get; }

    public string Code { get; }

    public static GraphException ItemNotFound() =>
        new(StatusCodes.Status404NotFound, "ErrorItemNotFound", "The specified object was not found in the store.");

    public static GraphException InvalidUser(string user) =>
        new(StatusCodes.Status404NotFound, "ErrorInvalidUser", $"The requested user '{user}' is invalid.");

    public static GraphException BodyRead(string message) =>
        new(StatusCodes.Status400BadRequest, "RequestBodyRead", message);

    public static GraphException InvalidRequest(string message) =>
        new(StatusCodes.Status400BadRequest, "ErrorInvalidRequest", message);

    public static GraphException BadQuery(string message) =>
        new(StatusCodes.Status400BadRequest, "BadRequest", message);
}
