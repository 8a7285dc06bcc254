using System.Net;
using BoundaryGuard.Graph.Telemetry;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace BoundaryGuard.Graph.Resilience;

/// <summary>
/// The one resilience layer for Graph. The SDK's own RetryHandler is removed from its middleware (it would retry
/// <c>/send</c> blindly and stack a second layer of retries), so these strategies are all the retrying there is:
/// retry (outermost) → circuit breaker → per-mailbox pacing (<see cref="MailboxPacing"/>) → per-attempt timeout, so
/// that every attempt is paced and only Graph's own answer is timed.
/// <list type="bullet">
/// <item>429, 503 and 504 are retried for every request: Graph answers them before doing anything. The delay is
/// Graph's <c>Retry-After</c> when it gives one, otherwise exponential backoff with jitter. 429 has its own, larger
/// budget (<see cref="GraphOptions.MaxThrottledRetries"/>).</item>
/// <item>A lost response (connection error, timeout) is retried only for requests that are safe to repeat (GET,
/// PATCH, DELETE). A POST such as <c>/send</c> is never repeated here: the gateway first checks whether it took
/// effect.</item>
/// <item>The circuit opens when at least half of 20+ attempts within 30 seconds failed with 5xx or no answer;
/// throttling does not count, pacing handles it.</item>
/// </list>
/// <para><b>Two clocks.</b> Waiting that Graph's limits define (Retry-After, backoff, the breaker's windows, pacing)
/// runs on the service's clock, because Graph (or the sandbox, which may run on a simulated demo clock) counts its
/// limits on that clock too. The per-attempt timeout is about the network, which always runs in real time: it runs on
/// the network clock, so a demo clock at 3600x does not turn a 30-second timeout into 8 milliseconds.</para>
/// </summary>
public static class GraphResilience
{
    public const string PipelineName = "graph";

    internal static readonly ResiliencePropertyKey<HttpRequestMessage> Request = new("graph-request");

    // The two budgets are counted apart: waiting out throttling must not use up the retries for failures.
    private static readonly ResiliencePropertyKey<int> Throttled = new("graph-throttled-retries");
    private static readonly ResiliencePropertyKey<int> Failed = new("graph-failed-retries");

    /// <param name="builder">The pipeline to configure.</param>
    /// <param name="options">The Graph settings.</param>
    /// <param name="pacing">Per-mailbox pacing, on <paramref name="clock"/>.</param>
    /// <param name="clock">The service's clock: retries, Retry-After, the circuit breaker.</param>
    /// <param name="networkClock">Real time for the per-attempt timeout; the same as <paramref name="clock"/> unless a demo clock runs.</param>
    /// <param name="circuit">Where the circuit breaker's state can be read (health checks).</param>
    /// <param name="metrics">Counts each retry by its reason; none in tests of the pipeline alone.</param>
    public static void Configure(
        ResiliencePipelineBuilder<HttpResponseMessage> builder,
        GraphOptions options,
        MailboxPacing pacing,
        TimeProvider clock,
        TimeProvider networkClock,
        CircuitBreakerStateProvider circuit,
        GraphMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.TimeProvider = clock;
        var attemptTimeout = new TimeoutStrategyOptions { Timeout = options.AttemptTimeout };
        builder
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(options.MaxRetries + options.MaxThrottledRetries, 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = TimeSpan.FromMinutes(2),
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, options)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, clock)),
                OnRetry = args =>
                {
                    metrics?.Retried(
                        args.Context.Properties.TryGetValue(Request, out var request) ? request.Method : null,
                        GraphMetrics.Classify(args.Outcome.Result, args.Outcome.Exception));
                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = 0.5,
                MinimumThroughput = 20,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(15),
                StateProvider = circuit,
                ShouldHandle = args => ValueTask.FromResult(IsFailure(args.Outcome)),
            })
            .AddStrategy(_ => new MailboxPacingStrategy(pacing), new MailboxPacingStrategyOptions())
            // Polly gives every strategy of a pipeline the builder's one clock, so the timeout is Polly's own timeout
            // strategy in a pipeline of its own on the network clock, registered with its options so that the pipeline
            // still describes itself as retry, breaker, pacing, timeout.
            .AddStrategy(_ => new NetworkTimeoutStrategy(attemptTimeout, networkClock), attemptTimeout);
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, GraphOptions options)
    {
        if (outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return Spend(context, Throttled, options.MaxThrottledRetries);
        }

        bool retryable;
        if (outcome.Result is { } response)
        {
            retryable = response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
        }
        else
        {
            var repeatable = context.Properties.TryGetValue(Request, out var request) &&
                (request.Method == HttpMethod.Get || request.Method == HttpMethod.Patch || request.Method == HttpMethod.Delete);
            retryable = repeatable && outcome.Exception is HttpRequestException or TimeoutRejectedException or IOException;
        }

        return retryable && Spend(context, Failed, options.MaxRetries);
    }

    /// <summary>Takes one retry from a budget; false when it is used up.</summary>
    private static bool Spend(ResilienceContext context, ResiliencePropertyKey<int> budget, int limit)
    {
        var used = context.Properties.GetValue(budget, 0);
        if (used >= limit)
        {
            return false;
        }

        context.Properties.Set(budget, used + 1);
        return true;
    }

    private static bool IsFailure(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException or IOException ||
        (outcome.Result is { } response && (int)response.StatusCode >= 500);

    /// <summary>Graph's <c>Retry-After</c> (seconds or a date); null lets the backoff decide.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider clock)
    {
        var header = response?.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - clock.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}

/// <summary>Polly's timeout strategy, run on a clock other than the pipeline's.</summary>
internal sealed class NetworkTimeoutStrategy(TimeoutStrategyOptions options, TimeProvider networkClock) : ResilienceStrategy
{
    private readonly ResiliencePipeline timeout = new ResiliencePipelineBuilder { TimeProvider = networkClock }.AddTimeout(options).Build();

    protected override ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state) =>
        timeout.ExecuteOutcomeAsync(callback, context, state);
}
