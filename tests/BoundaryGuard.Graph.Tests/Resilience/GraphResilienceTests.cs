using System.Net;
using BoundaryGuard.Graph.Resilience;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Testing;
using Polly.Timeout;

namespace BoundaryGuard.Graph.Tests.Resilience;

public class GraphResilienceTests
{
    /// <param name="networkClock">The per-attempt timeout's clock; by default <paramref name="clock"/>, so the timeout
    /// tests drive both with one fake clock.</param>
    private static ResiliencePipeline<HttpResponseMessage> Build(
        GraphOptions? options = null, TimeProvider? clock = null, TimeProvider? networkClock = null)
    {
        options ??= new GraphOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(10) };
        clock ??= TimeProvider.System;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        GraphResilience.Configure(
            builder, options, new MailboxPacing(options, clock), clock, networkClock ?? clock, new CircuitBreakerStateProvider());
        return builder.Build();
    }

    [Test]
    public void Configure_Always_RetryThenCircuitBreakerThenPacingThenPerAttemptTimeout()
    {
        var descriptor = Build().GetPipelineDescriptor();

        Assert.That(descriptor.Strategies.Select(s => s.Options?.GetType()), Is.EqualTo(new[]
        {
            typeof(RetryStrategyOptions<HttpResponseMessage>),
            typeof(CircuitBreakerStrategyOptions<HttpResponseMessage>),
            typeof(MailboxPacingStrategyOptions),
            typeof(TimeoutStrategyOptions),
        }));
        Assert.That(((TimeoutStrategyOptions)descriptor.Strategies[3].Options!).Timeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [TestCase("GET", HttpStatusCode.TooManyRequests, 3)]
    [TestCase("POST", HttpStatusCode.TooManyRequests, 3)]
    [TestCase("POST", HttpStatusCode.ServiceUnavailable, 3)]
    [TestCase("GET", HttpStatusCode.NotFound, 1)]
    [TestCase("POST", HttpStatusCode.BadRequest, 1)]
    public async Task Execute_StatusAnsweredBeforeAnyWork_RetriesOnlyThrottlingAndUnavailable(string method, HttpStatusCode status, int expectedAttempts)
    {
        var attempts = 0;
        var response = await Run(Build(), new HttpMethod(method), () =>
        {
            attempts++;
            return attempts < 3 ? new HttpResponseMessage(status) : new HttpResponseMessage(HttpStatusCode.OK);
        });

        Assert.That(attempts, Is.EqualTo(expectedAttempts));
        Assert.That(response.StatusCode, Is.EqualTo(expectedAttempts == 3 ? HttpStatusCode.OK : status));
    }

    [TestCase("GET", 2)]
    [TestCase("PATCH", 2)]
    [TestCase("POST", 1)]
    public void Execute_LostResponse_RepeatsOnlyRequestsSafeToRepeat(string method, int expectedAttempts)
    {
        var attempts = 0;

        Assert.That(async () => await Run(Build(), new HttpMethod(method), () =>
        {
            attempts++;
            return attempts < 2 ? throw new HttpRequestException("connection reset") : new HttpResponseMessage(HttpStatusCode.OK);
        }), expectedAttempts == 1 ? Throws.TypeOf<HttpRequestException>() : Throws.Nothing);
        Assert.That(attempts, Is.EqualTo(expectedAttempts));
    }

    [Test]
    public async Task Execute_LostResponseAfterLongThrottling_StillHasItsFailureRetries()
    {
        var attempts = 0;

        var response = await Run(Build(), HttpMethod.Get, () => ++attempts switch
        {
            <= 8 => new HttpResponseMessage(HttpStatusCode.TooManyRequests),
            9 => throw new HttpRequestException("connection reset"),
            _ => new HttpResponseMessage(HttpStatusCode.OK),
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(attempts, Is.EqualTo(10));
    }

    [Test]
    public async Task Execute_RetryAfterGiven_NeverRetriesBeforeIt()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var pipeline = Build(new GraphOptions(), clock);
        var attempts = new List<DateTimeOffset>();

        var run = Run(pipeline, HttpMethod.Post, () =>
        {
            attempts.Add(clock.GetUtcNow());
            var response = new HttpResponseMessage(attempts.Count == 1 ? HttpStatusCode.TooManyRequests : HttpStatusCode.Accepted);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return response;
        });
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!run.IsCompleted && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        // Never earlier than Retry-After (the backoff alone would come back after about half a second). Not "exactly":
        // the clock is advanced while the pipeline's continuation is scheduled, so under load it can run further first.
        Assert.That((await run).StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(attempts[1] - attempts[0], Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(7)));
    }

    [Test]
    public async Task Execute_QueuedBehindAThrottledMailbox_WaitIsNotTimedAsAnAttempt()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var pipeline = Build(new GraphOptions { AttemptTimeout = TimeSpan.FromSeconds(1) }, clock);
        var calls = 0;
        var throttled = Run(pipeline, HttpMethod.Get, () =>
        {
            var response = new HttpResponseMessage(++calls == 1 ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(5));
            return response;
        });
        await Task.Yield();

        // A send to the same mailbox now waits five seconds for its turn, longer than an attempt may take; a timed-out
        // POST would not be retried, so it must not be timed while it waits.
        var queued = Run(pipeline, HttpMethod.Post, () => new HttpResponseMessage(HttpStatusCode.Accepted));
        // Advance the fake clock until both finish; the real-time bound keeps a broken pipeline from hanging the run.
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!(queued.IsCompleted && throttled.IsCompleted) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        Assert.That(queued.IsCompleted && throttled.IsCompleted, Is.True, "the requests did not finish");

        Assert.That((await queued).StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That((await throttled).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Execute_DemoClockRunsAhead_AttemptTimedOnTheNetworkClockOnly()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-04T23:00:00-05:00", System.Globalization.CultureInfo.InvariantCulture));
        var network = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var pipeline = Build(new GraphOptions { AttemptTimeout = TimeSpan.FromSeconds(30) }, clock, network);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://graph.microsoft.com/v1.0/users/a/messages/b/send");
        var context = ResilienceContextPool.Shared.Get();
        context.Properties.Set(GraphResilience.Request, request);
        var send = pipeline.ExecuteAsync(
            async attempt =>
            {
                started.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, attempt.CancellationToken);
                return new HttpResponseMessage(HttpStatusCode.Accepted);
            },
            context).AsTask();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // An hour of demo time is no reason to abandon an answer that is still on its way.
        clock.Advance(TimeSpan.FromHours(1));
        await Task.Delay(50);
        Assert.That(send.IsCompleted, Is.False);

        network.Advance(TimeSpan.FromSeconds(30));
        Assert.That(async () => await send.WaitAsync(TimeSpan.FromSeconds(10)), Throws.TypeOf<TimeoutRejectedException>());
        ResilienceContextPool.Shared.Return(context);
    }

    private static async Task<HttpResponseMessage> Run(
        ResiliencePipeline<HttpResponseMessage> pipeline, HttpMethod method, Func<HttpResponseMessage> attempt)
    {
        using var request = new HttpRequestMessage(method, "https://graph.microsoft.com/v1.0/users/a/messages/b/send");
        var context = ResilienceContextPool.Shared.Get();
        context.Properties.Set(GraphResilience.Request, request);
        try
        {
            return await pipeline.ExecuteAsync(_ => ValueTask.FromResult(attempt()), context);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
