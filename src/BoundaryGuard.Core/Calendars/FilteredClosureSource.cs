namespace BoundaryGuard.Core.Calendars;

/// <summary>
/// The closures of another source that <see cref="ClosureFilter"/> lets close, each judged by its name as an event's
/// summary: how an institution that stays open on some national holiday (Columbus Day, say) leaves it out.
/// </summary>
public sealed class FilteredClosureSource(IClosureSource source, ClosureFilter filter) : IClosureSource
{
    public IEnumerable<Closure> ClosuresIn(int year) => source.ClosuresIn(year).Where(c => filter.Closes(c.Name, null, []));
}
