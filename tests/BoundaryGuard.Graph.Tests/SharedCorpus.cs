namespace BoundaryGuard.Graph.Tests;

/// <summary>The shared Graph corpus (<c>shared/corpus/graph</c>), read where it lives beside the repository.</summary>
internal static class SharedCorpus
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "corpus");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No shared/corpus folder beside any ancestor of {AppContext.BaseDirectory}.");
    });

    public static string Graph(string fileName) => Path.Combine(Root.Value, "graph", fileName);
}
