using System.Collections.Concurrent;
using System.Net;
using Polly;

namespace BoundaryGuard.Graph.Resilience;

/// <summary>
/// Keeps each mailbox inside Graph's and Exchange's limits before Graph has to say so: at most
/// <see cref="GraphOptions.MaxConcurrentRequestsPerMailbox"/> requests at once, at most
/// <see cref="GraphOptions.MaxSendsPerMinute"/> sends a minute and <see cref="GraphOptions.MaxRequestsPerTenMinutes"/>
/// requests per ten minutes; and once Graph answers a mailbox with <c>Retry-After</c>, no request goes to that
/// mailbox until it has passed, and then one request goes first: the others follow when it got through, so a
/// mailbox that is still throttled refuses one request, not four.
/// </summary>
/// <remarks>
/// A strategy of the one resilience pipeline, inside retry (every attempt is paced) and outside the per-attempt
/// timeout (time spent waiting for the mailbox's turn is not Graph being slow).
/// </remarks>
public sealed class MailboxPacing(GraphOptions options, TimeProvider clock) : IDisposable
{
    // A second of margin on each window: our clock starts a window when a request leaves, Graph's when it arrives.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, Mailbox> mailboxes = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The <c>{id}</c> of <c>.../users/{id}/...</c>; null for requests not about one mailbox.</summary>
    internal static string? MailboxOf(Uri? uri)
    {
        var segments = uri?.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var users = Array.FindIndex(segments, s => s.Equals("users", StringComparison.OrdinalIgnoreCase));
        return users >= 0 && users + 1 < segments.Length ? Uri.UnescapeDataString(segments[users + 1]) : null;
    }

    internal async ValueTask<Outcome<HttpResponseMessage>> ExecuteAsync<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> attempt,
        ResilienceContext context,
        TState state)
    {
        if (!context.Properties.TryGetValue(GraphResilience.Request, out var request) || MailboxOf(request.RequestUri) is not { } id)
        {
            return await attempt(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        }

        var cancellationToken = context.CancellationToken;
        var mailbox = mailboxes.GetOrAdd(id, _ => new Mailbox(options, clock));
        await mailbox.Concurrency.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await mailbox.Requests.AcquireAsync(cancellationToken).ConfigureAwait(false);
            if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/send", StringComparison.OrdinalIgnoreCase))
            {
                await mailbox.Sends.AcquireAsync(cancellationToken).ConfigureAwait(false);
            }

            // Last, right before the request leaves: a pause may have begun while it waited for a rate limit.
            await mailbox.WaitWhilePausedAsync(cancellationToken).ConfigureAwait(false);
            var probing = await mailbox.WaitForProbeAsync(cancellationToken).ConfigureAwait(false);
            var throttled = true;
            try
            {
                var outcome = await attempt(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
                throttled = outcome.Result?.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;
                if (throttled && GraphResilience.RetryAfter(outcome.Result, clock) is { } wait)
                {
                    mailbox.PauseFor(wait);
                }

                return outcome;
            }
            finally
            {
                mailbox.EndProbe(probing, throttled);
            }
        }
        finally
        {
            mailbox.Concurrency.Release();
        }
    }

    public void Dispose()
    {
        foreach (var mailbox in mailboxes.Values)
        {
            mailbox.Dispose();
        }
    }

    private sealed class Mailbox(GraphOptions options, TimeProvider clock) : IDisposable
    {
        private readonly Lock gate = new();
        private readonly SemaphoreSlim probe = new(1);
        private DateTimeOffset pausedUntil;
        private volatile bool throttled;

        public SemaphoreSlim Concurrency { get; } = new(options.MaxConcurrentRequestsPerMailbox);

        public SlidingWindowLimit Sends { get; } = new(options.MaxSendsPerMinute, TimeSpan.FromMinutes(1) + Margin, clock);

        public SlidingWindowLimit Requests { get; } = new(options.MaxRequestsPerTenMinutes, TimeSpan.FromMinutes(10) + Margin, clock);

        /// <summary>After throttling, lets one request through at a time until one succeeds; true for that one.</summary>
        public async Task<bool> WaitForProbeAsync(CancellationToken cancellationToken)
        {
            if (!throttled)
            {
                return false;
            }

            await probe.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (throttled)
            {
                await WaitWhilePausedAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }

            probe.Release();
            return false;
        }

        public void EndProbe(bool probing, bool wasThrottled)
        {
            if (!wasThrottled)
            {
                throttled = false;
            }

            if (probing)
            {
                probe.Release();
            }
        }

        public void PauseFor(TimeSpan wait)
        {
            throttled = true;
            lock (gate)
            {
                var until = clock.GetUtcNow() + wait;
                if (until > pausedUntil)
                {
                    pausedUntil = until;
                }
            }
        }

        public async Task WaitWhilePausedAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                TimeSpan wait;
                lock (gate)
                {
                    wait = pausedUntil - clock.GetUtcNow();
                }

                if (wait <= TimeSpan.Zero)
                {
                    return;
                }

                await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
            }
        }

        public void Dispose()
        {
            Concurrency.Dispose();
            probe.Dispose();
        }
    }
}

/// <summary><see cref="MailboxPacing"/> as a strategy of the resilience pipeline.</summary>
internal sealed class MailboxPacingStrategy(MailboxPacing pacing) : ResilienceStrategy<HttpResponseMessage>
{
    protected override ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state) => pacing.ExecuteAsync(callback, context, state);
}

/// <summary>The pacing strategy's entry in a pipeline descriptor.</summary>
public sealed class MailboxPacingStrategyOptions : ResilienceStrategyOptions
{
    public MailboxPacingStrategyOptions()
    {
        Name = "MailboxPacing";
    }
}
