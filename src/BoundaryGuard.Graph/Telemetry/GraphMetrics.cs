using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Polly.CircuitBreaker;

namespace BoundaryGuard.Graph.Telemetry;

/// <summary>
/// The Graph gateway's instruments, on the meter <see cref="MeterName"/>: what BoundaryGuard asked of Graph, how often
/// Graph answered 429, and what the one resilience layer retried. Tags are low-cardinality names (an HTTP method, an
/// outcome, a reason): never a mailbox, a message id or a URL.
/// </summary>
/// <remarks>
/// Names follow the OpenTelemetry semantic conventions' style (opentelemetry.io/docs/specs/semconv/general/metrics):
/// dot-separated namespaces, a unit in UCUM, counters counting a noun.
/// </remarks>
public sealed class GraphMetrics
{
    public const string MeterName = "BoundaryGuard.Graph";

    internal const string OutcomeTag = "boundaryguard.graph.outcome";
    internal const string ReasonTag = "boundaryguard.graph.retry.reason";
    internal const string MethodTag = "http.request.method";

    private readonly Counter<long> requests;
    private readonly Counter<long> throttled;
    private readonly Counter<long> retries;

    // learn.microsoft.com/dotnet/core/diagnostics/metrics-instrumentation: a library takes IMeterFactory, so each
    // container (and each test host) has meters of its own.
    public GraphMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        requests = meter.CreateCounter<long>(
            "boundaryguard.graph.requests", "{request}", "Graph requests BoundaryGuard made, by their final outcome after the resilience layer's retries.");
        throttled = meter.CreateCounter<long>(
            "boundaryguard.graph.throttled", "{response}", "Graph answers 429 Too Many Requests, each attempt counted.");
        retries = meter.CreateCounter<long>(
            "boundaryguard.graph.retries", "{retry}", "Attempts the resilience layer repeated, by why.");
    }

    /// <summary>One request BoundaryGuard made, after all its attempts.</summary>
    internal void Requested(HttpMethod method, Outcome outcome) =>
        requests.Add(1, new TagList { { MethodTag, method.Method }, { OutcomeTag, Name(outcome) } });

    /// <summary>One attempt answered 429.</summary>
    internal void Throttled(HttpMethod method) => throttled.Add(1, new TagList { { MethodTag, method.Method } });

    /// <summary>One attempt the retry strategy is about to repeat.</summary>
    internal void Retried(HttpMethod? method, Outcome reason) =>
        retries.Add(1, new TagList { { MethodTag, method?.Method ?? "_OTHER" }, { ReasonTag, Name(reason) } });

    /// <summary>What an attempt, or a whole request, came to.</summary>
    internal static Outcome Classify(HttpResponseMessage? response, Exception? exception) => (response, exception) switch
    {
        ({ StatusCode: HttpStatusCode.TooManyRequests }, _) => Outcome.Throttled,
        ({ IsSuccessStatusCode: true }, _) => Outcome.Success,
        ({ } r, _) when (int)r.StatusCode >= 500 => Outcome.ServerError,
        ({ }, _) => Outcome.ClientError,
        (_, BrokenCircuitException) => Outcome.CircuitOpen,
        (_, OperationCanceledException) => Outcome.Cancelled,
        _ => Outcome.NoAnswer,
    };

    private static string Name(Outcome outcome) => outcome switch
    {
        Outcome.Success => "success",
        Outcome.Throttled => "throttled",
        Outcome.ClientError => "client-error",
        Outcome.ServerError => "server-error",
        Outcome.CircuitOpen => "circuit-open",
        Outcome.Cancelled => "cancelled",
        _ => "no-answer",
    };

    internal enum Outcome
    {
        Success,
        Throttled,
        ClientError,
        ServerError,

        /// <summary>A lost response: a connection error, or the per-attempt timeout.</summary>
        NoAnswer,

        /// <summary>Refused by the open circuit breaker: Graph was not asked.</summary>
        CircuitOpen,
        Cancelled,
    }
}
