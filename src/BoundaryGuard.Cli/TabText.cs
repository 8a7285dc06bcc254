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
}
