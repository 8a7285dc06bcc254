using BoundaryGuard.Graph;
using BoundaryGuard.Service.Holds;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace BoundaryGuard.Service.Problems;

/// <summary>
/// Every error the API gives is a ProblemDetails made here. Messages are BoundaryGuard's own: a Graph error's text
/// never reaches a caller (the gateway already replaced it), and nothing about the mail's content is in any of them.
/// </summary>
internal sealed partial class ProblemDetailsExceptionHandler(IProblemDetailsService problems, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            HoldException e => (StatusOf(e.Error), TitleOf(e.Error), e.Message),
            GraphGatewayException e => GraphProblem(e),
            BadHttpRequestException e => (e.StatusCode, "Bad request", "The request body is not valid JSON of the expected shape."),
            _ => (StatusCodes.Status500InternalServerError, "Unexpected error", "The service failed; the error is logged."),
        };
        if (status >= StatusCodes.Status500InternalServerError && exception is not GraphGatewayException)
        {
            LogUnexpected(exception);
        }

        if (exception is GraphGatewayException { Kind: GraphErrorKind.Throttled or GraphErrorKind.Transient })
        {
            httpContext.Response.Headers.RetryAfter = "30";
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        }).ConfigureAwait(false);
    }

    private static int StatusOf(HoldError error) => error switch
    {
        HoldError.Invalid => StatusCodes.Status400BadRequest,
        HoldError.NotFound => StatusCodes.Status404NotFound,
        HoldError.Forbidden => StatusCodes.Status403Forbidden,
        HoldError.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static string TitleOf(HoldError error) => error switch
    {
        HoldError.Invalid => "Invalid request",
        HoldError.NotFound => "Not found",
        HoldError.Forbidden => "Forbidden",
        HoldError.Conflict => "Conflict",
        _ => "No policy applies",
    };

    private static (int, string, string) GraphProblem(GraphGatewayException e) => e.Kind switch
    {
        GraphErrorKind.NotFound => (StatusCodes.Status404NotFound, "Not found", "The mailbox or draft was not found in Microsoft 365."),
        GraphErrorKind.AccessDenied => (StatusCodes.Status502BadGateway, "Mailbox not accessible",
            "BoundaryGuard's app registration may not act on this mailbox; IT scopes it with RBAC for Applications."),
        GraphErrorKind.Rejected => (StatusCodes.Status502BadGateway, "Microsoft 365 refused the request", e.Message),
        _ => (StatusCodes.Status503ServiceUnavailable, "Microsoft 365 unavailable", "Microsoft 365 did not answer in time; try again shortly."),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in a request")]
    private partial void LogUnexpected(Exception exception);
}
