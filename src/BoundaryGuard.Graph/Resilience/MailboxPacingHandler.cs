using System.Collections.Concurrent;
using System.Net;

namespace BoundaryGuard.Graph.Resilience;

/// <summary>
/// Keeps each mailbox inside Graph's and Exchange's limits before Graph has to say so: at most
/// <see cref="GraphOptions.MaxConcurrentRequestsPerMailbox"/> requests at once, at most
/// <see cref="GraphOptions.MaxSendsPerMinute"/> sends a minute and <see cref="GraphOptions.MaxRequestsPerTenMinutes"/>
/// requests per ten minutes; and once Graph answers a mailbox with <c>Retry-After</c>, no request goes to that
/// mailbox until it has passed, and then one request goes first: the others follow when it got through, so a
/// mailbox that is still throttled refuses one request, not four. Sits inside the resilience layer, so every
/// attempt is paced.
/// </summary>
internal sealed class MailboxPacingHandler(GraphOptions options, TimeProvider clock) : DelegatingHandler
{
    // A second of margin on each window: our clock starts a window when a request leaves, Graph's when it arrives.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, Mailbox> mailboxes = new(StringComparer.OrdinalIgnoreCase);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var id = MailboxOf(request.RequestUri);
        if (id is null)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

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
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                throttled = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;
                if (throttled && GraphResilience.RetryAfter(response, clock) is { } wait)
                {
                    mailbox.PauseFor(wait);
                }

                return response;
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

    /// <summary>The <c>{id}</c> of <c>.../users/{id}/...</c>; null for requests not about one mailbox.</summary>
    internal static string? MailboxOf(Uri? uri)
    {
        var segments = uri?.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var users = Array.FindIndex(segments, s => s.Equals("users", StringComparison.OrdinalIgnoreCase));
        return users >= 0 && users + 1 < segments.Length ? Uri.UnescapeDataString(segments[users + 1]) : null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var mailbox in mailboxes.Values)
            {
                mailbox.Dispose();
            }
        }

        base.Dispose(disposing);
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

        public void Dispose()
        {
            Concurrency.Dispose();
            probe.Dispose();
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
    }
}
