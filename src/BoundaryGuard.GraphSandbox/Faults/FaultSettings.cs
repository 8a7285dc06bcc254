namespace BoundaryGuard.GraphSandbox.Faults;

/// <summary>
/// Faults injected into <c>/v1.0</c> requests (<c>PUT /sandbox/faults</c>, or <c>Sandbox:Faults</c> at start). Rates
/// are probabilities per request; all default to zero. With a <see cref="Seed"/> the same sequence of requests meets
/// the same faults.
/// </summary>
public sealed record FaultSettings
{
    /// <summary>Share of requests answered 429 before the operation runs.</summary>
    public double ThrottleRate { get; set; }

    /// <summary>Share of requests answered 503 before the operation runs.</summary>
    public double UnavailableRate { get; set; }

    /// <summary>Delay before each request runs (measured by the injected clock).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Share of requests whose operation commits and whose connection is then aborted with no response.</summary>
    public double LostResponseRate { get; set; }

    /// <summary>Retry-After on injected 429s; a window of this length is opened for the mailbox (zero: none).</summary>
    public TimeSpan RetryAfter { get; set; }

    /// <summary>Seed for the fault dice; null draws a fresh seed.</summary>
    public int? Seed { get; set; }

    public IEnumerable<string> Validate()
    {
        foreach (var (name, rate) in new[] { ("throttleRate", ThrottleRate), ("unavailableRate", UnavailableRate), ("lostResponseRate", LostResponseRate) })
        {
            if (double.IsNaN(rate) || rate < 0 || rate > 1)
            {
                yield return $"{name} must be between 0 and 1.";
            }
        }

        if (ThrottleRate + UnavailableRate > 1)
        {
            yield return "throttleRate + unavailableRate must not exceed 1.";
        }

        if (Latency < TimeSpan.Zero || Latency > TimeSpan.FromMinutes(5))
        {
            yield return "latency must be between 00:00:00 and 00:05:00.";
        }

        if (RetryAfter < TimeSpan.Zero || RetryAfter > TimeSpan.FromHours(1))
        {
            yield return "retryAfter must be between 00:00:00 and 01:00:00.";
        }
    }
}
