using System.Net;
using Microsoft.Graph.Models.ODataErrors;

namespace BoundaryGuard.Graph;

public enum GraphErrorKind
{
    /// <summary>The message, folder or mailbox does not exist (any more).</summary>
    NotFound,

    /// <summary>The mailbox is outside the application's scope (RBAC for Applications) or the token was refused.</summary>
    AccessDenied,

    /// <summary>Graph kept throttling after every retry the resilience layer allows.</summary>
    Throttled,

    /// <summary>A failure worth trying again later: network, timeout, 5xx, an open circuit.</summary>
    Transient,

    /// <summary>Graph refused the request as invalid (e.g. sending a message that is not a draft).</summary>
    Rejected,
}

/// <summary>
/// A Graph failure in BoundaryGuard's terms. The message is ours and safe to show; Graph's own text is never copied
/// into it (it can carry addresses and internal details), only its error code.
/// </summary>
public sealed class GraphGatewayException : Exception
{
    public GraphGatewayException(GraphErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public GraphGatewayException()
    {
    }

    public GraphGatewayException(string message) : base(message)
    {
    }

    public GraphGatewayException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public GraphErrorKind Kind { get; }

    /// <summary>Graph's error code (e.g. <c>ErrorItemNotFound</c>) when Graph gave one.</summary>
    public string? GraphCode { get; init; }

    /// <summary>Translates an SDK or transport failure at the gateway boundary.</summary>
    internal static GraphGatewayException From(Exception exception, string operation) => exception switch
    {
        GraphGatewayException translated => translated,
        ODataError error => FromStatus((HttpStatusCode)error.ResponseStatusCode, error.Error?.Code, operation, error),
        Polly.CircuitBreaker.BrokenCircuitException => new(GraphErrorKind.Transient, $"{operation}: Graph is failing; the circuit is open", exception),
        Polly.Timeout.TimeoutRejectedException => new(GraphErrorKind.Transient, $"{operation}: Graph did not answer in time", exception),
        HttpRequestException or IOException or TaskCanceledException => new(GraphErrorKind.Transient, $"{operation}: Graph could not be reached", exception),
        _ => new(GraphErrorKind.Transient, $"{operation}: unexpected failure ({exception.GetType().Name})", exception),
    };

    private static GraphGatewayException FromStatus(HttpStatusCode status, string? code, string operation, Exception inner)
    {
        var kind = (status, code) switch
        {
            (_, "ErrorItemNotFound" or "ErrorNonExistentMailbox" or "ErrorInvalidUser" or "ResourceNotFound") => GraphErrorKind.NotFound,
            (HttpStatusCode.NotFound, _) => GraphErrorKind.NotFound,
            (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized, _) => GraphErrorKind.AccessDenied,
            (_, "ErrorAccessDenied" or "ErrorSendAsDenied" or "InvalidAuthenticationToken") => GraphErrorKind.AccessDenied,
            (HttpStatusCode.TooManyRequests, _) => GraphErrorKind.Throttled,
            (>= HttpStatusCode.InternalServerError, _) => GraphErrorKind.Transient,
            _ => GraphErrorKind.Rejected,
        };
        var what = kind switch
        {
            GraphErrorKind.NotFound => "not found",
            GraphErrorKind.AccessDenied => "access denied (is the mailbox in the application's scope?)",
            GraphErrorKind.Throttled => "still throttled after retries",
            GraphErrorKind.Transient => "Graph failed",
            _ => "Graph refused the request",
        };
        return new(kind, $"{operation}: {what} ({(int)status}{(code is null ? string.Empty : " " + code)})", inner) { GraphCode = code };
    }
}
