using BoundaryGuard.Core;

namespace BoundaryGuard.Cli;

/// <summary><c>--name value</c> pairs; an option marked repeatable may occur more than once.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, List<string>> values = new(StringComparer.Ordinal);

    private Arguments()
    {
    }

    /// <param name="options">The options the command knows; a trailing <c>*</c> marks one as repeatable.</param>
    public static Arguments Parse(ReadOnlySpan<string> args, IReadOnlyList<string> options)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            var spec = options.FirstOrDefault(o => o.TrimEnd('*') == name)
                ?? throw new PolicyException($"{name}: unknown option (expected {string.Join(", ", options.Select(o => o.TrimEnd('*')))})");
            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new PolicyException($"{name}: a value is missing");
            }

            if (parsed.values.TryGetValue(name, out var list) && !spec.EndsWith('*'))
            {
                throw new PolicyException($"{name}: given more than once");
            }

            if (list is null)
            {
                parsed.values[name] = list = [];
            }

            list.Add(args[++i]);
        }

        return parsed;
    }

    public string? Optional(string name) => values.TryGetValue(name, out var list) ? list[0] : null;

    public string Required(string name) => Optional(name) ?? throw new PolicyException($"{name} is missing");

    public IReadOnlyList<string> All(string name) => values.TryGetValue(name, out var list) ? list : [];
}
