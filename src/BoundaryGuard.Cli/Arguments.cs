using BoundaryGuard.Core;

namespace BoundaryGuard.Cli;

/// <summary>
/// <c>--name value</c> pairs; an option marked repeatable may occur more than once. A command may also take a few
/// plain arguments (a file), anywhere among the options.
/// </summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, List<string>> values = new(StringComparer.Ordinal);
    private readonly List<string> plain = [];

    private Arguments()
    {
    }

    /// <param name="options">The options the command knows; a trailing <c>*</c> marks one as repeatable.</param>
    /// <param name="plainArguments">How many arguments that are not options the command takes.</param>
    public static Arguments Parse(ReadOnlySpan<string> args, IReadOnlyList<string> options, int plainArguments = 0)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (parsed.plain.Count < plainArguments && !name.StartsWith("--", StringComparison.Ordinal))
            {
                parsed.plain.Add(name);
                continue;
            }

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

    /// <summary>The plain arguments, in order.</summary>
    public IReadOnlyList<string> Plain => plain;
}
