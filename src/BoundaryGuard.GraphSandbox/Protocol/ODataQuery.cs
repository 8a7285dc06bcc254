using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace BoundaryGuard.GraphSandbox.Protocol;

/// <summary>
/// The OData query options the sandbox honours. An option it does not implement is refused with a 400 naming it,
/// never silently ignored: a client that relies on <c>$orderby</c> must learn here, not in production.
/// </summary>
internal sealed class ODataQuery
{
    private ODataQuery(HttpRequest request, IReadOnlySet<string> allowed)
    {
        foreach (var key in request.Query.Keys)
        {
            if (key.StartsWith('$') && !allowed.Contains(key))
            {
                throw GraphException.BadQuery($"The query option '{key}' is not supported by the sandbox on this operation.");
            }
        }

        Select = ParseSelect(Single(request, "$select"));
        Top = ParseCount(Single(request, "$top"), "$top");
        Skip = ParseCount(Single(request, "$skip"), "$skip");
        Filter = Single(request, "$filter");
        Expand = Single(request, "$expand");
    }

    /// <summary>Property names from <c>$select</c>, or null for the default set.</summary>
    public IReadOnlyList<string>? Select { get; }

    public int? Top { get; }

    public int? Skip { get; }

    public string? Filter { get; }

    public string? Expand { get; }

    public static ODataQuery Parse(HttpRequest request, params string[] allowed) =>
        new(request, new HashSet<string>(allowed, StringComparer.OrdinalIgnoreCase));

    /// <summary>Checks every <c>$select</c> name against the type's properties, as Graph does.</summary>
    public void RequireKnownSelect(IReadOnlySet<string> known, string typeName)
    {
        foreach (var name in Select ?? [])
        {
            if (!known.Contains(name))
            {
                throw GraphException.BadQuery($"Could not find a property named '{name}' on type '{typeName}'.");
            }
        }
    }

    private static string? Single(HttpRequest request, string name)
    {
        // Query keys are matched case-insensitively by ASP.NET Core, as OData does for the $ options.
        StringValues values = request.Query[name];
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw GraphException.BadQuery($"The query option '{name}' was specified more than once."),
        };
    }

    private static List<string>? ParseSelect(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        if (names.Count == 0)
        {
            throw GraphException.BadQuery("$select is empty.");
        }

        return names;
    }

    private static int? ParseCount(string? text, string name)
    {
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw GraphException.BadQuery($"Invalid value '{text}' for the query option {name}: a non-negative integer is expected.");
        }

        return value;
    }
}

/// <summary>The <c>Prefer</c> header: <c>IdType="ImmutableId"</c>, <c>odata.maxpagesize=N</c>, <c>outlook.timezone="..."</c>.</summary>
internal static class PreferHeader
{
    public static string? Get(HttpRequest request, string preference)
    {
        foreach (var header in request.Headers["Prefer"])
        {
            foreach (var part in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? part : part[..equals].Trim();
                if (name.Equals(preference, StringComparison.OrdinalIgnoreCase))
                {
                    return equals < 0 ? "" : part[(equals + 1)..].Trim().Trim('"');
                }
            }
        }

        return null;
    }

    public static bool HasImmutableId(HttpRequest request) =>
        string.Equals(Get(request, "IdType"), "ImmutableId", StringComparison.OrdinalIgnoreCase);

    /// <summary>odata.maxpagesize, or null when absent; a value that is not a positive integer is ignored, as a preference may be.</summary>
    public static int? MaxPageSize(HttpRequest request)
    {
        var text = Get(request, "odata.maxpagesize");
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0 ? size : null;
    }
}
