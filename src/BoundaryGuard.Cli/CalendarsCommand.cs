using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BoundaryGuard.Core;

namespace BoundaryGuard.Cli;

/// <summary>
/// <c>calendars list|preview|import</c>: the closure calendars IT keeps in the service, through its admin API, for
/// scripts. Nothing is decided here: the service checks a file as it would store it, and its 400 detail (file, line,
/// field) is the one line of a bad input.
/// </summary>
internal static class CalendarsCommand
{
    private const string Synopsis = "calendars list|preview|import --service URL ..., see --help";
    private const string FileSynopsis = "--service URL --calendar ID FILE.ics [filter options] [--name NAME]";

    /// <summary>The filter options and the admin API's query keys for them; each may repeat.</summary>
    private static readonly (string Option, string Query)[] Filters =
    [
        ("--include-category", "includeCategory"), ("--include-text", "includeText"), ("--include-summary", "includeSummary"),
        ("--exclude-category", "excludeCategory"), ("--exclude-text", "excludeText"), ("--exclude-summary", "excludeSummary"),
    ];

    private static readonly string[] FileOptions = [.. AdminClient.Options, "--calendar", "--name", .. Filters.Select(f => f.Option + "*")];

    /// <param name="tokenVariable">The value of <see cref="AdminClient.TokenVariable"/>, if set.</param>
    public static Task<int> RunAsync(string[] args, TextWriter output, string? tokenVariable) => args.FirstOrDefault() switch
    {
        null => throw new PolicyException($"calendars: what to do is missing (expected {Synopsis})"),
        "list" => ListAsync(Arguments.Parse(args.AsSpan(1), AdminClient.Options), output, tokenVariable),
        "preview" => PreviewAsync(Arguments.Parse(args.AsSpan(1), FileOptions, plainArguments: 1), output, tokenVariable),
        "import" => ImportAsync(Arguments.Parse(args.AsSpan(1), FileOptions, plainArguments: 1), output, tokenVariable),
        var other => throw new PolicyException($"calendars: unknown subcommand '{other}' (expected {Synopsis})"),
    };

    /// <summary>One line per calendar: id, name, national codes, closures by hand, files ("-" for none).</summary>
    private static async Task<int> ListAsync(Arguments args, TextWriter output, string? tokenVariable)
    {
        using var client = AdminClient.Connect(args, tokenVariable);
        var calendars = await client.SendAsync<CalendarListing[]>(HttpMethod.Get, "api/v1/admin/calendars", null, "--service").ConfigureAwait(false);
        var lines = new StringBuilder();
        foreach (var calendar in calendars)
        {
            lines.Append(CultureInfo.InvariantCulture,
                $"{TabText.Field(calendar.Id)}\t{TabText.Field(calendar.Name)}\t{List(calendar.NationalHolidays)}\t{calendar.Closures.Count}\t{List(calendar.Files.Select(f => f.Name))}\n");
        }

        return Print(output, lines.ToString());

        static string List(IEnumerable<string> items) => TabText.Field(string.Join(',', items)) is { Length: > 0 } list ? list : "-";
    }

    /// <summary>The closures the file would add in the next twelve months: date, name. Nothing is stored.</summary>
    private static async Task<int> PreviewAsync(Arguments args, TextWriter output, string? tokenVariable)
    {
        using var client = AdminClient.Connect(args, tokenVariable);
        var upload = await UploadAsync(args, "preview").ConfigureAwait(false);
        var preview = await client.SendAsync<FilePreview>(HttpMethod.Post,
            $"{upload.Calendar}/files/preview?{string.Join('&', upload.Filter.Prepend($"name={Uri.EscapeDataString(upload.Name)}"))}",
            upload.Content, "--calendar").ConfigureAwait(false);
        var lines = new StringBuilder();
        foreach (var closure in preview.Closures)
        {
            lines.Append(CultureInfo.InvariantCulture, $"{TabText.Field(closure.Date)}\t{TabText.Field(TabText.ClosureName(closure.Name, closure.ClosedFrom))}\n");
        }

        return Print(output, lines.ToString());
    }

    /// <summary>Adds or replaces the file in the calendar, then prints what the service keeps of it: name, closures, SHA-256.</summary>
    private static async Task<int> ImportAsync(Arguments args, TextWriter output, string? tokenVariable)
    {
        using var client = AdminClient.Connect(args, tokenVariable);
        var upload = await UploadAsync(args, "import").ConfigureAwait(false);
        var calendar = await client.SendAsync<CalendarListing>(HttpMethod.Put,
            $"{upload.Calendar}/files/{Uri.EscapeDataString(upload.Name)}{(upload.Filter.Count == 0 ? string.Empty : "?" + string.Join('&', upload.Filter))}",
            upload.Content, "--calendar").ConfigureAwait(false);
        // The service trims the name it keeps.
        var file = calendar.Files.FirstOrDefault(f => f.Name == upload.Name.Trim())
            ?? throw new InvalidOperationException($"the service accepted {upload.Name} but does not list it in calendar '{calendar.Id}'");
        return Print(output, string.Create(CultureInfo.InvariantCulture, $"{TabText.Field(file.Name)}\t{file.Closures}\t{file.Sha256}\n"));
    }

    /// <summary>What preview and import send: the calendar's path, the file's name and bytes, and the filter as query pairs.</summary>
    private static async Task<(string Calendar, string Name, HttpContent Content, List<string> Filter)> UploadAsync(Arguments args, string command)
    {
        var path = args.Plain.Count > 0 ? args.Plain[0]
            : throw new PolicyException($"calendars {command}: FILE.ics is missing (expected calendars {command} {FileSynopsis})");
        var calendar = $"api/v1/admin/calendars/{Uri.EscapeDataString(args.Required("--calendar"))}";
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw InputFile.Unreadable(path, e);
        }

        if (bytes.Length == 0)
        {
            throw new PolicyException($"{path}: the file is empty");
        }

        var name = args.Optional("--name") ?? Path.GetFileName(path);
        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal))
        {
            throw new PolicyException($"--name: '{name}' has a slash; the service names a file without one");
        }

        var filter = Filters.SelectMany(f => args.All(f.Option).Select(value => $"{f.Query}={Uri.EscapeDataString(value)}")).ToList();
        var content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("text/calendar") } };
        return (calendar, name, content, filter);
    }

    private static int Print(TextWriter output, string lines)
    {
        output.Write(lines);
        output.Flush();
        return 0;
    }
}

/// <summary>A calendar as <c>GET /api/v1/admin/calendars</c> lists it (the fields the CLI prints).</summary>
internal sealed record CalendarListing(
    string Id, string Name, IReadOnlyList<string> NationalHolidays, IReadOnlyList<JsonElement> Closures, IReadOnlyList<CalendarFile> Files);

internal sealed record CalendarFile(string Name, string Sha256, int Closures);

internal sealed record FilePreview(string Name, IReadOnlyList<PreviewClosure> Closures);

internal sealed record PreviewClosure(string Date, string Name, string? ClosedFrom);
