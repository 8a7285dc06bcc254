using BenchmarkDotNet.Attributes;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Core.Policies;
using NodaTime;

namespace BoundaryGuard.Benchmarks;

/// <summary>One decision: 30-closure calendar, three recipients in three other zones, instants spread over a year.</summary>
[MemoryDiagnoser]
public class DecisionBenchmarks
{
    private const int Instants = 1024;
    private readonly Instant[] instants = new Instant[Instants];
    private BoundaryPolicy policy = null!;
    private WorkingHours[] recipients = null!;

    [GlobalSetup]
    public void Setup()
    {
        policy = BenchmarkPolicy.Load();
        recipients = [.. BenchmarkPolicy.Recipients.Select(r => policy.People[r])];
        var random = new Random(42);
        var start = Instant.FromUtc(2026, 1, 1, 0, 0);
        for (var i = 0; i < Instants; i++)
        {
            instants[i] = start + Duration.FromMinutes(random.Next(0, 365 * 24 * 60));
        }

        // Expand the years the instants and their releases touch before measuring.
        foreach (var at in instants)
        {
            policy.Evaluate(at, recipients);
        }
    }

    [Benchmark(OperationsPerInvoke = Instants)]
    public Instant? Decide()
    {
        Instant? last = null;
        foreach (var at in instants)
        {
            last = policy.Evaluate(at, recipients).ReleaseAt;
        }

        return last;
    }
}
