namespace BoundaryGuard.Graph.Resilience;

/// <summary>
/// At most <c>limit</c> acquisitions in any <c>window</c>, measured exactly (a log of the last <c>limit</c> start
/// times) rather than by fixed buckets, which would allow twice the limit across a bucket edge.
/// </summary>
internal sealed class SlidingWindowLimit(int limit, TimeSpan window, TimeProvider clock)
{
    private readonly Queue<DateTimeOffset> starts = new();
    private readonly Lock gate = new();

    public async Task AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (gate)
            {
                var now = clock.GetUtcNow();
                while (starts.Count > 0 && now - starts.Peek() >= window)
                {
                    starts.Dequeue();
                }

                if (starts.Count < limit)
                {
                    starts.Enqueue(now);
                    return;
                }

                wait = starts.Peek() + window - now;
            }

            await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
        }
    }
}
