namespace BoundaryGuard.Core.Calendars;

/// <summary>
/// A source of closed days (explicit list, ICS calendar, national holidays). Sources are immutable once built:
/// every parse error is thrown as <see cref="PolicyException"/> at construction, never while expanding a year.
/// </summary>
public interface IClosureSource
{
    /// <summary>Every closure whose <see cref="Closure.Date"/> falls in <paramref name="year"/> (ISO calendar).</summary>
    IEnumerable<Closure> ClosuresIn(int year);
}
