using System.Text;

namespace BoundaryGuard.Core.Calendars;

/// <summary>One unfolded content line: <c>NAME;PARAM=value:VALUE</c>, with the physical line it starts on.</summary>
internal sealed record IcsProperty(int Line, string Name, IReadOnlyDictionary<string, string> Parameters, string Value)
{
    public string? Parameter(string name) => Parameters.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A BEGIN/END block with its own properties and nested blocks.</summary>
internal sealed class IcsComponent(string name, int line)
{
    public string Name { get; } = name;

    public int Line { get; } = line;

    public List<IcsProperty> Properties { get; } = [];

    public List<IcsComponent> Children { get; } = [];

    public IEnumerable<IcsProperty> All(string name) =>
        Properties.Where(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    public IcsProperty? First(string name) => All(name).FirstOrDefault();
}

/// <summary>
/// A structural pass over the raw text. Ical.Net keeps no line numbers and silently drops values it cannot parse
/// (a malformed DTSTART simply becomes null), so this pass is where every error gets its line: unfolding (CRLF,
/// LF or CR; a continuation starts with a space or tab), BEGIN/END balance, and the content-line shape.
/// </summary>
internal static class IcsContent
{
    public static IReadOnlyList<IcsComponent> ReadCalendars(string text, string source)
    {
        var calendars = new List<IcsComponent>();
        var open = new Stack<IcsComponent>();
        foreach (var (line, content) in Unfold(text))
        {
            var property = ParseLine(content, line, source);
            if (property.Name.Equals("BEGIN", StringComparison.OrdinalIgnoreCase))
            {
                var component = new IcsComponent(property.Value.Trim().ToUpperInvariant(), line);
                if (open.Count == 0)
                {
                    if (component.Name != "VCALENDAR")
                    {
                        throw NotACalendar(source, line, content);
                    }

                    calendars.Add(component);
                }
                else
                {
                    open.Peek().Children.Add(component);
                }

                open.Push(component);
            }
            else if (property.Name.Equals("END", StringComparison.OrdinalIgnoreCase))
            {
                var name = property.Value.Trim().ToUpperInvariant();
                if (open.Count == 0)
                {
                    throw new PolicyException($"{source} line {line}: END:{property.Value} has no matching BEGIN");
                }

                var current = open.Peek();
                if (current.Name != name)
                {
                    throw new PolicyException(
                        $"{source} line {line}: END:{property.Value} does not close BEGIN:{current.Name} from line {current.Line}");
                }

                open.Pop();
            }
            else if (open.Count == 0)
            {
                throw calendars.Count == 0
                    ? NotACalendar(source, line, content)
                    : new PolicyException($"{source} line {line}: '{Shorten(content)}' comes after END:VCALENDAR");
            }
            else
            {
                open.Peek().Properties.Add(property);
            }
        }

        if (open.Count > 0)
        {
            var unclosed = open.Last();
            var innermost = open.Peek();
            throw new PolicyException(
                $"{source} line {innermost.Line}: BEGIN:{innermost.Name} is never closed (the file ends before END:{innermost.Name}"
                + (ReferenceEquals(unclosed, innermost) ? ")" : $" and END:{unclosed.Name})"));
        }

        if (calendars.Count == 0)
        {
            throw new PolicyException($"{source}: not an iCalendar file (no BEGIN:VCALENDAR)");
        }

        return calendars;
    }

    private static PolicyException NotACalendar(string source, int line, string content) =>
        new($"{source} line {line}: not an iCalendar file (expected BEGIN:VCALENDAR, found '{Shorten(content)}')");

    private static IEnumerable<(int Line, string Content)> Unfold(string text)
    {
        var current = new StringBuilder();
        var currentLine = 0;
        var lineNumber = 0;
        var position = 0;
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            position = 1;
        }

        while (position <= text.Length)
        {
            var end = text.IndexOfAny(['\r', '\n'], position);
            var physical = end < 0 ? text[position..] : text[position..end];
            lineNumber++;
            position = end < 0 ? text.Length + 1 : end + (text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? 2 : 1);

            if (physical.Length > 0 && (physical[0] == ' ' || physical[0] == '\t') && current.Length > 0)
            {
                current.Append(physical, 1, physical.Length - 1);
                continue;
            }

            if (current.Length > 0)
            {
                yield return (currentLine, current.ToString());
                current.Clear();
            }

            // Blank lines between components (EssentialPIM writes them) carry nothing.
            if (!string.IsNullOrWhiteSpace(physical))
            {
                current.Append(physical);
                currentLine = lineNumber;
            }
        }

        if (current.Length > 0)
        {
            yield return (currentLine, current.ToString());
        }
    }

    private static IcsProperty ParseLine(string content, int line, string source)
    {
        var inQuotes = false;
        var nameEnd = -1;
        var valueStart = -1;
        for (var i = 0; i < content.Length; i++)
        {
            var c = content[i];
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes && c == ';' && nameEnd < 0)
            {
                nameEnd = i;
            }
            else if (!inQuotes && c == ':')
            {
                valueStart = i + 1;
                if (nameEnd < 0)
                {
                    nameEnd = i;
                }

                break;
            }
        }

        var name = nameEnd < 0 ? content : content[..nameEnd];
        if (valueStart < 0 || name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new PolicyException($"{source} line {line}: '{Shorten(content)}' is not an iCalendar content line (NAME:value)");
        }

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (nameEnd < valueStart - 1)
        {
            foreach (var parameter in SplitOutsideQuotes(content[(nameEnd + 1)..(valueStart - 1)], ';'))
            {
                var equals = parameter.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new PolicyException($"{source} line {line}: {name} parameter '{parameter}' has no value");
                }

                // Exchange writes TZID=Eastern Standard Time unquoted and Outlook quotes it: both mean the same id.
                parameters[parameter[..equals].Trim()] = parameter[(equals + 1)..].Trim().Trim('"');
            }
        }

        return new IcsProperty(line, name.ToUpperInvariant(), parameters, content[valueStart..]);
    }

    private static IEnumerable<string> SplitOutsideQuotes(string text, char separator)
    {
        var inQuotes = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes && text[i] == separator)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    public static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}
