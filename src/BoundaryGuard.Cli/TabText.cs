namespace BoundaryGuard.Cli;

/// <summary>Output for scripts: one record per line, fields separated by tabs.</summary>
internal static class TabText
{
    /// <summary>
    /// A field with its control characters made spaces: an ICS SUMMARY may hold escaped tabs and newlines, and a
    /// department name is any JSON string, yet each record stays on one line with its fields apart.
    /// </summary>
    public static string Field(string text) =>
        string.Create(text.Length, text, static (span, t) =>
        {
            for (var i = 0; i < t.Length; i++)
            {
                span[i] = char.IsControl(t[i]) ? ' ' : t[i];
            }
        });

    /// <summary>A closure's name as the CLI prints it: a closure from a time of day says so.</summary>
    public static string ClosureName(string name, string? closedFrom) => closedFrom is null ? name : $"{name} (closed from {closedFrom})";
}
