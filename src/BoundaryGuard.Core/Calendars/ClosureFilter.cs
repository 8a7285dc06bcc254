namespace BoundaryGuard.Core.Calendars;

/// <summary>
/// Decides which calendar events close the institution. Real feeds mix days off with observances and deadlines
/// (the US feed lists 35 federal holidays among hundreds of state observances; a registrar's feed mixes recesses
/// with add/drop deadlines), so each <c>holidayCalendars</c> entry may narrow what it closes.
/// </summary>
/// <remarks>
/// An event closes when <see cref="Include"/> is absent or the event matches it, and the event does not match
/// <see cref="Exclude"/>. Policy-file form:
/// <c>{ "path": "calendars/us.ics", "include": { "categories": [], "text": ["Federal Holiday"], "summaries": [] }, "exclude": { ... } }</c>.
/// </remarks>
public sealed class ClosureFilter
{
    private ClosureFilter(ClosureCriteria? include, ClosureCriteria? exclude)
    {
        Include = include;
        Exclude = exclude;
    }

    /// <summary>Every event closes: a plain path in <c>holidayCalendars</c>.</summary>
    public static ClosureFilter All { get; } = new(null, null);

    /// <summary>Null when every event is a candidate.</summary>
    public ClosureCriteria? Include { get; }

    /// <summary>Null when nothing is excluded.</summary>
    public ClosureCriteria? Exclude { get; }

    /// <summary>
    /// Builds the filter from the policy file's <c>include</c> and <c>exclude</c> lists. A null or empty list means
    /// the key was absent; an <c>include</c> whose three lists are all empty restricts nothing, because closing
    /// nothing at all is never what an administrator who wrote an empty include meant.
    /// </summary>
    public static ClosureFilter Create(
        IEnumerable<string>? includeCategories,
        IEnumerable<string>? includeText,
        IEnumerable<string>? includeSummaries,
        IEnumerable<string>? excludeCategories,
        IEnumerable<string>? excludeText,
        IEnumerable<string>? excludeSummaries)
    {
        var include = new ClosureCriteria(includeCategories, includeText, includeSummaries);
        var exclude = new ClosureCriteria(excludeCategories, excludeText, excludeSummaries);
        if (include.IsEmpty && exclude.IsEmpty)
        {
            return All;
        }

        return new ClosureFilter(include.IsEmpty ? null : include, exclude.IsEmpty ? null : exclude);
    }

    /// <summary>Whether an event with these properties closes the institution.</summary>
    /// <param name="summary">The event's SUMMARY, unescaped (may be null).</param>
    /// <param name="description">The event's DESCRIPTION, unescaped (may be null).</param>
    /// <param name="categories">Every value of the event's CATEGORIES properties.</param>
    public bool Closes(string? summary, string? description, IReadOnlyCollection<string> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        return (Include is null || Include.Matches(summary, description, categories))
            && (Exclude is null || !Exclude.Matches(summary, description, categories));
    }
}

/// <summary>
/// One <c>include</c> or <c>exclude</c> object. An event matches when it matches any single value of any list;
/// every comparison ignores case.
/// </summary>
public sealed class ClosureCriteria
{
    /// <param name="categories">An event matches when one of its CATEGORIES equals one of these.</param>
    /// <param name="text">An event matches when its SUMMARY or DESCRIPTION contains one of these.</param>
    /// <param name="summaries">An event matches when its SUMMARY equals one of these: the explicit list.</param>
    public ClosureCriteria(IEnumerable<string>? categories, IEnumerable<string>? text, IEnumerable<string>? summaries)
    {
        Categories = Clean(categories);
        Text = Clean(text);
        Summaries = Clean(summaries);
    }

    public IReadOnlyList<string> Categories { get; }

    public IReadOnlyList<string> Text { get; }

    public IReadOnlyList<string> Summaries { get; }

    public bool IsEmpty => Categories.Count == 0 && Text.Count == 0 && Summaries.Count == 0;

    public bool Matches(string? summary, string? description, IReadOnlyCollection<string> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        var trimmedSummary = summary?.Trim();
        return categories.Any(c => Categories.Contains(c.Trim(), StringComparer.OrdinalIgnoreCase))
            || Text.Any(t => Contains(summary, t) || Contains(description, t))
            || (trimmedSummary is not null && Summaries.Contains(trimmedSummary, StringComparer.OrdinalIgnoreCase));
    }

    private static bool Contains(string? haystack, string needle) =>
        haystack is not null && haystack.Contains(needle, StringComparison.OrdinalIgnoreCase);

    // A blank value would match every event through "contains", silently turning an include into "everything";
    // feeds also pad values ("Neujahrstag "), so the values are compared trimmed.
    private static string[] Clean(IEnumerable<string>? values) =>
        values is null
            ? []
            : values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).ToArray();
}
