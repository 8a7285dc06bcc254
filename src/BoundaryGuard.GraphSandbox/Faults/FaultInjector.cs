using BoundaryGuard.GraphSandbox.Hosting;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.GraphSandbox.Faults;

/// <summary>
/// Rolls the dice for each request. Three draws per request, always, so a seeded run meets the same faults whatever
/// the rates are; the draws are serialised, so the sequence follows the order requests arrive in.
/// </summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private FaultSettings _settings = new();
    private Random _random = new();

    public FaultInjector(IOptions<SandboxOptions> options) => Configure(options.Value.Faults);

    public FaultSettings Current
    {
        get
        {
            lock (_gate)
            {
                return _settings with { };
            }
        }
    }

    public void Configure(FaultSettings settings)
    {
        lock (_gate)
        {
            _settings = settings with { };

            // Not a security use: the dice only need to be repeatable for a given seed.
#pragma warning disable CA5394
            _random = settings.Seed is { } seed ? new Random(seed) : new Random(Random.Shared.Next());
#pragma warning restore CA5394
        }
    }

    public FaultDecision Next()
    {
        lock (_gate)
        {
#pragma warning disable CA5394 // see Configure
            var throttle = _random.NextDouble();
            var unavailable = _random.NextDouble();
            var lost = _random.NextDouble();
#pragma warning restore CA5394
            return new FaultDecision(
                _settings.Latency,
                Throttle: throttle < _settings.ThrottleRate,
                Unavailable: throttle >= _settings.ThrottleRate && unavailable < _settings.UnavailableRate / Math.Max(1e-9, 1 - _settings.ThrottleRate),
                LoseResponse: lost < _settings.LostResponseRate,
                _settings.RetryAfter);
        }
    }
}

internal readonly record struct FaultDecision(TimeSpan Latency, bool Throttle, bool Unavailable, bool LoseResponse, TimeSpan RetryAfter);
