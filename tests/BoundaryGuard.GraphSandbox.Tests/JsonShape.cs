using System.Text.Json;
using System.Text.Json.Nodes;

namespace BoundaryGuard.GraphSandbox.Tests;

/// <summary>
/// Compares a sandbox body with a documented one by shape: every documented property must be there with the same JSON
/// kind (the sandbox may have more). A documented null matches anything. Arrays: item by item when both have the same
/// length, else every actual item against the first documented one; an empty side has nothing to compare.
/// </summary>
internal static class JsonShape
{
    public static IReadOnlyList<string> Differences(JsonNode? documented, JsonNode? actual, params string[] excludedPaths)
    {
        var differences = new List<string>();
        Compare(documented, actual, "$", new HashSet<string>(excludedPaths, StringComparer.Ordinal), differences);
        return differences;
    }

    private static void Compare(JsonNode? documented, JsonNode? actual, string path, HashSet<string> excluded, List<string> differences)
    {
        if (documented is null || excluded.Contains(path))
        {
            return;
        }

        var expectedKind = Kind(documented);
        var actualKind = actual is null ? "null" : Kind(actual);
        if (expectedKind != actualKind)
        {
            differences.Add($"{path}: documented {expectedKind}, sandbox {actualKind}");
            return;
        }

        switch (documented)
        {
            case JsonObject expectedObject:
                var actualObject = actual!.AsObject();
                foreach (var (name, value) in expectedObject)
                {
                    var childPath = $"{path}.{name}";
                    if (excluded.Contains(childPath))
                    {
                        continue;
                    }

                    if (!actualObject.TryGetPropertyValue(name, out var actualValue))
                    {
                        differences.Add($"{childPath}: documented, missing in the sandbox's body");
                        continue;
                    }

                    Compare(value, actualValue, childPath, excluded, differences);
                }

                break;
            case JsonArray expectedArray:
                var actualArray = actual!.AsArray();
                if (expectedArray.Count == 0 || actualArray.Count == 0)
                {
                    return;
                }

                for (var i = 0; i < actualArray.Count; i++)
                {
                    var model = expectedArray.Count == actualArray.Count ? expectedArray[i] : expectedArray[0];
                    Compare(model, actualArray[i], $"{path}[{i}]", excluded, differences);
                }

                break;
        }
    }

    private static string Kind(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => "number",
        JsonValueKind.String => "string",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };
}
