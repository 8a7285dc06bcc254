namespace BoundaryGuard.Core.Calendars;

/// <summary>The policy's own <c>holidays</c> list.</summary>
public sealed class ExplicitClosureSource(IReadOnlyList<Closure> closures) : IClosureSource
{
    private readonly ILookup<int, Closure> byYear = closures.ToLookup(c => c.Date.Year);

    public IEnumerable<Closure> ClosuresIn(int year) => byYear[year];
}
