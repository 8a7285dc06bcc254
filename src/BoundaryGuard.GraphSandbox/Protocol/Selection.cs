using System.Text.Json.Nodes;

namespace BoundaryGuard.GraphSandbox.Protocol;

/// <summary><c>$select</c>: keep the named properties (any case), plus id and annotations, which Graph always returns.</summary>
internal static class Selection
{
    public static JsonObject Apply(JsonObject json, IReadOnlyList<string>? select)
    {
        if (select is null)
        {
            return json;
        }

        var keep = new HashSet<string>(select, StringComparer.OrdinalIgnoreCase) { "id" };
        foreach (var name in json.Select(p => p.Key).ToList())
        {
            if (!keep.Contains(name) && !name.StartsWith('@'))
            {
                json.Remove(name);
            }
        }

        return json;
    }
}

/// <summary>OData annotations come first in Graph's bodies; clients do not care, but people comparing bodies do.</summary>
internal static class Annotations
{
    public static JsonObject First(JsonObject json)
    {
        var ordered = new JsonObject();
        foreach (var (name, value) in json.Where(p => p.Key.StartsWith('@')).OrderBy(p => p.Key == "@odata.context" ? 0 : 1).ToList())
        {
            json.Remove(name);
            ordered[name] = value;
        }

        foreach (var (name, value) in json.ToList())
        {
            json.Remove(name);
            ordered[name] = value;
        }

        return ordered;
    }
}
