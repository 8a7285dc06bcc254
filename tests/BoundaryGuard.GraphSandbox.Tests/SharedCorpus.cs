using System.Text.Json.Nodes;

namespace BoundaryGuard.GraphSandbox.Tests;

/// <summary>
/// The shared test corpus (<c>shared/corpus</c>), read where it lives, never copied into the repo: found by walking up
/// from the test assembly until an ancestor has <c>shared/corpus</c> (CI lays a copy of <c>shared/</c> beside its clone).
/// </summary>
internal static class SharedCorpus
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Graph(string fileName) => Path.Combine(Root.Value, "graph", fileName);

    public static JsonNode GraphJson(string fileName) =>
        JsonNode.Parse(File.ReadAllText(Graph(fileName))) ?? throw new InvalidDataException($"{fileName} is empty");

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
