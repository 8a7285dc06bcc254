using System.Text.Json.Nodes;

namespace BoundaryGuard.Tests;

/// <summary>
/// The shared test corpus (<c>shared/corpus</c>): real material read where it lives, never copied into the repo, so
/// an update there is tested without a second copy drifting. CI lays a copy of <c>shared/</c> next to its fresh
/// clone, so it is found by walking up from the test assembly until an ancestor has <c>shared/corpus</c>. Linked into
/// every test project that reads the corpus.
/// </summary>
internal static class SharedCorpus
{
    private static readonly Lazy<string> Root = new(Find);

    public static string IcsFolder => Path.Combine(Root.Value, "ics");

    public static string Ics(string fileName) => Path.Combine(IcsFolder, fileName);

    public static string Graph(string fileName) => Path.Combine(Root.Value, "graph", fileName);

    public static JsonNode GraphJson(string fileName) =>
        JsonNode.Parse(File.ReadAllText(Graph(fileName))) ?? throw new InvalidDataException($"{fileName} is empty");

    public static string Tz(string fileName) => Path.Combine(Root.Value, "tz", fileName);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "corpus");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No shared/corpus folder beside any ancestor of {AppContext.BaseDirectory}; put a copy of shared/ next to the repository.");
    }
}
