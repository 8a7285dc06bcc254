using System.Text.Json;
using System.Text.Json.Nodes;

namespace BoundaryGuard.GraphSandbox.Protocol;

/// <summary>
/// A JSON request body read the way Graph reads it: a malformed body or a value of the wrong kind is a 400 in Graph's
/// shape, never an exception that escapes. Property names match case-insensitively; OData annotations
/// (<c>@odata.type</c>, which the Graph SDK always sends) are skipped.
/// </summary>
internal sealed class GraphPayload
{
    private readonly Dictionary<string, JsonNode?> _properties;
    private readonly string _typeName;

    private GraphPayload(JsonObject json, string typeName)
    {
        _typeName = typeName;
        _properties = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in json)
        {
            if (!name.Contains('@', StringComparison.Ordinal))
            {
                _properties[name] = value;
            }
        }
    }

    public IEnumerable<string> Names => _properties.Keys;

    public static async Task<GraphPayload> ReadAsync(HttpRequest request, string typeName)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            throw Unreadable();
        }

        return node is JsonObject json ? new GraphPayload(json, typeName) : throw Unreadable();
    }

    public static GraphPayload Of(JsonObject json, string typeName) => new(json, typeName);

    /// <summary>Refuses names the type does not have; <paramref name="unsupported"/> exist in Graph but not here.</summary>
    public void RequireKnown(IReadOnlySet<string> known, IReadOnlySet<string>? unsupported = null)
    {
        foreach (var name in _properties.Keys)
        {
            if (unsupported is not null && unsupported.Contains(name))
            {
                throw GraphException.BodyRead($"The property '{name}' of '{_typeName}' is not supported by the sandbox.");
            }

            if (!known.Contains(name))
            {
                throw GraphException.BodyRead($"The property '{name}' does not exist on type '{_typeName}'. Make sure to only use property names that are defined by the type.");
            }
        }
    }

    public bool Has(string name) => _properties.ContainsKey(name);

    public string? String(string name) => _properties.TryGetValue(name, out var node) ? AsString(node, name) : null;

    public bool? Bool(string name)
    {
        if (!_properties.TryGetValue(name, out var node) || node is null)
        {
            return null;
        }

        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongKind(name, "Edm.Boolean"),
        };
    }

    public int? Int(string name)
    {
        if (!_properties.TryGetValue(name, out var node) || node is null)
        {
            return null;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number)
            ? number
            : throw WrongKind(name, "Edm.Int32");
    }

    public GraphPayload? Object(string name)
    {
        if (!_properties.TryGetValue(name, out var node) || node is null)
        {
            return null;
        }

        return node is JsonObject json ? new GraphPayload(json, name) : throw WrongKind(name, "an object");
    }

    public IReadOnlyList<GraphPayload>? Objects(string name)
    {
        var array = Array(name);
        return array?.Select((item, i) => item is JsonObject json
            ? new GraphPayload(json, name)
            : throw WrongKind($"{name}[{i}]", "an object")).ToList();
    }

    public IReadOnlyList<string>? Strings(string name)
    {
        var array = Array(name);
        return array?.Select((item, i) => AsString(item, $"{name}[{i}]") ?? throw WrongKind($"{name}[{i}]", "Edm.String")).ToList();
    }

    /// <summary>A string that must be present and not null.</summary>
    public string RequiredString(string name) =>
        String(name) ?? throw GraphException.BodyRead($"The property '{name}' of '{_typeName}' is required.");

    private JsonArray? Array(string name)
    {
        if (!_properties.TryGetValue(name, out var node) || node is null)
        {
            return null;
        }

        return node as JsonArray ?? throw WrongKind(name, "a collection");
    }

    private string? AsString(JsonNode? node, string name)
    {
        if (node is null)
        {
            return null;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw WrongKind(name, "Edm.String");
    }

    private GraphException WrongKind(string name, string expected) =>
        GraphException.BodyRead($"Cannot read the value of '{name}' on '{_typeName}': {expected} was expected.");

    private static GraphException Unreadable() =>
        new(StatusCodes.Status400BadRequest, "BadRequest",
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
}
