using System.Text.Json;
using BoundaryGuard.Core.Calendars;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Core.TimeZones;
using NodaTime;
using NodaTime.Text;

namespace BoundaryGuard.Core.Policies;

/// <summary>
/// Reads the policy file (the public contract in ARCHITECTURE.md) into a <see cref="BoundaryPolicy"/>. Every problem
/// is one <see cref="PolicyException"/> naming the file or the field path (<c>holidays[1].date</c>); nothing is
/// half-loaded. Unknown properties are rejected so that a misspelt <c>holiday</c> cannot silently open a closed day,
/// except Graph's <c>@odata.*</c> annotations and <c>$schema</c>.
/// </summary>
public static class PolicyFile
{
    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    private static readonly LocalTimePattern LongTime = LocalTimePattern.CreateWithInvariantCulture("HH:mm:ss.FFFFFFFFF");
    private static readonly LocalTimePattern ShortTime = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    /// <summary>Loads a policy file; ICS paths in it are relative to its folder.</summary>
    public static BoundaryPolicy Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PolicyException($"{path}: {(e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : "cannot be read")}", e);
        }

        return Parse(json, Path.GetDirectoryName(Path.GetFullPath(path))!, path);
    }

    /// <param name="json">The policy document.</param>
    /// <param name="baseDirectory">The folder that <c>holidayCalendars</c> paths are relative to.</param>
    /// <param name="fileName">How to name the document in messages.</param>
    public static BoundaryPolicy Parse(string json, string baseDirectory, string fileName)
    {
        try
        {
            return ParseDocument(json, baseDirectory, fileName);
        }
        catch (PolicyException e) when (!e.Message.StartsWith(fileName + ":", StringComparison.Ordinal))
        {
            throw new PolicyException($"{fileName}: {e.Message}", e);
        }
    }

    private static BoundaryPolicy ParseDocument(string json, string baseDirectory, string fileName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new PolicyException($"{fileName}: not valid JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new PolicyException($"{fileName}: expected an object, found {Describe(root.ValueKind)}");
            }

            CheckProperties(root, string.Empty, "workingHours", "holidays", "holidayCalendars", "nationalHolidays", "people", "scorecard");

            if (!root.TryGetProperty("workingHours", out var hoursElement))
            {
                throw new PolicyException("workingHours is missing");
            }

            var hours = ParseWorkingHours(hoursElement, "workingHours");
            var sources = new List<IClosureSource>();
            if (root.TryGetProperty("holidays", out var holidays))
            {
                sources.Add(new ExplicitClosureSource(ParseHolidays(holidays)));
            }

            if (root.TryGetProperty("holidayCalendars", out var calendars))
            {
                sources.AddRange(ParseCalendars(calendars, baseDirectory, hours.Zone));
            }

            if (root.TryGetProperty("nationalHolidays", out var national))
            {
                RequireKind(national, JsonValueKind.Array, "nationalHolidays");
                var i = 0;
                foreach (var code in national.EnumerateArray())
                {
                    var field = $"nationalHolidays[{i++}]";
                    sources.Add(NationalHolidaySource.Create(RequireString(code, field), field));
                }
            }

            var people = new Dictionary<string, WorkingHours>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("people", out var peopleElement))
            {
                RequireKind(peopleElement, JsonValueKind.Object, "people");
                foreach (var person in peopleElement.EnumerateObject())
                {
                    var field = $"people.{person.Name}";
                    RequireKind(person.Value, JsonValueKind.Object, field);
                    CheckProperties(person.Value, field, "workingHours");
                    if (!person.Value.TryGetProperty("workingHours", out var personHours))
                    {
                        throw new PolicyException($"{field}.workingHours is missing");
                    }

                    if (!people.TryAdd(person.Name.Trim(), ParseWorkingHours(personHours, $"{field}.workingHours")))
                    {
                        throw new PolicyException($"{field}: listed twice");
                    }
                }
            }

            return new BoundaryPolicy(hours, new ClosureCalendar(sources), people)
            {
                Scorecard = root.TryGetProperty("scorecard", out var scorecard) ? ParseScorecard(scorecard) : ScorecardPeople.None,
            };
        }
    }

    private static ScorecardPeople ParseScorecard(JsonElement element)
    {
        RequireKind(element, JsonValueKind.Object, "scorecard");
        CheckProperties(element, "scorecard", "chairs", "leaders");
        HashSet<string> Addresses(string name)
        {
            var addresses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (!element.TryGetProperty(name, out var list))
            {
                return addresses;
            }

            RequireKind(list, JsonValueKind.Array, $"scorecard.{name}");
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                var field = $"scorecard.{name}[{i++}]";
                var address = RequireString(item, field).Trim();
                if (address.IndexOf('@', StringComparison.Ordinal) is <= 0 || address.EndsWith('@'))
                {
                    throw new PolicyException($"{field}: '{address}' is not a mailbox address");
                }

                if (!addresses.Add(address))
                {
                    throw new PolicyException($"{field}: listed twice");
                }
            }

            return addresses;
        }

        return new ScorecardPeople(Addresses("chairs"), Addresses("leaders"));
    }

    /// <summary>
    /// Reads working hours in exactly the shape of Graph's <c>mailboxSettings.workingHours</c>: day names in any
    /// case, times like <c>07:00:00.0000000</c>, and a Windows, IANA or Graph custom time zone.
    /// </summary>
    public static WorkingHours ParseWorkingHours(JsonElement element, string field)
    {
        RequireKind(element, JsonValueKind.Object, field);
        CheckProperties(element, field, "daysOfWeek", "startTime", "endTime", "timeZone");
        var daysElement = Require(element, "daysOfWeek", field);
        RequireKind(daysElement, JsonValueKind.Array, $"{field}.daysOfWeek");
        var days = new List<IsoDayOfWeek>();
        var i = 0;
        foreach (var day in daysElement.EnumerateArray())
        {
            var dayField = $"{field}.daysOfWeek[{i++}]";
            var name = RequireString(day, dayField);
            if (!Enum.TryParse<IsoDayOfWeek>(name, ignoreCase: true, out var parsed) || parsed == IsoDayOfWeek.None ||
                !name.All(char.IsLetter))
            {
                throw new PolicyException($"{dayField}: '{name}' is not a day of the week");
            }

            days.Add(parsed);
        }

        if (days.Count == 0)
        {
            throw new PolicyException($"{field}.daysOfWeek: at least one working day is needed");
        }

        var start = ParseTime(Require(element, "startTime", field), $"{field}.startTime");
        var end = ParseTime(Require(element, "endTime", field), $"{field}.endTime");
        var zone = ParseTimeZone(Require(element, "timeZone", field), $"{field}.timeZone");
        return new WorkingHours(days, start, end, zone);
    }

    private static DateTimeZone ParseTimeZone(JsonElement element, string field)
    {
        RequireKind(element, JsonValueKind.Object, field);
        CheckProperties(element, field, "name", "bias", "standardOffset", "daylightOffset");
        var isCustom = element.TryGetProperty("@odata.type", out var type) &&
            type.ValueKind == JsonValueKind.String &&
            string.Equals(type.GetString(), "#microsoft.graph.customTimeZone", StringComparison.OrdinalIgnoreCase);
        if (isCustom || element.TryGetProperty("bias", out _))
        {
            return ParseCustomTimeZone(element, field);
        }

        return TimeZoneLookup.Find(RequireString(Require(element, "name", field), $"{field}.name"), $"{field}.name");
    }

    private static DateTimeZone ParseCustomTimeZone(JsonElement element, string field)
    {
        var bias = RequireInt(Require(element, "bias", field), $"{field}.bias");
        TransitionRule? standard = null;
        TransitionRule? daylight = null;
        var daylightBias = 0;
        if (element.TryGetProperty("standardOffset", out var standardElement) && standardElement.ValueKind != JsonValueKind.Null)
        {
            standard = ParseTransition(standardElement, $"{field}.standardOffset", "bias");
        }

        if (element.TryGetProperty("daylightOffset", out var daylightElement) && daylightElement.ValueKind != JsonValueKind.Null)
        {
            daylight = ParseTransition(daylightElement, $"{field}.daylightOffset", "daylightBias");
            if (daylightElement.TryGetProperty("daylightBias", out var biasElement))
            {
                daylightBias = RequireInt(biasElement, $"{field}.daylightOffset.daylightBias");
            }
        }

        return GraphCustomTimeZone.Create(bias, standard, daylight, daylightBias, field);
    }

    private static TransitionRule ParseTransition(JsonElement element, string field, string biasName)
    {
        RequireKind(element, JsonValueKind.Object, field);
        CheckProperties(element, field, "time", "dayOccurrence", "dayOfWeek", "month", "year", biasName);
        var time = ParseTime(Require(element, "time", field), $"{field}.time");
        var occurrence = RequireInt(Require(element, "dayOccurrence", field), $"{field}.dayOccurrence");
        var dayName = RequireString(Require(element, "dayOfWeek", field), $"{field}.dayOfWeek");
        if (!Enum.TryParse<IsoDayOfWeek>(dayName, ignoreCase: true, out var day) || day == IsoDayOfWeek.None ||
            !dayName.All(char.IsLetter))
        {
            throw new PolicyException($"{field}.dayOfWeek: '{dayName}' is not a day of the week");
        }

        var month = RequireInt(Require(element, "month", field), $"{field}.month");
        var year = element.TryGetProperty("year", out var yearElement) ? RequireInt(yearElement, $"{field}.year") : 0;
        return new TransitionRule(time, occurrence, day, month, year);
    }

    private static List<Closure> ParseHolidays(JsonElement holidays)
    {
        RequireKind(holidays, JsonValueKind.Array, "holidays");
        var closures = new List<Closure>();
        var i = 0;
        foreach (var holiday in holidays.EnumerateArray())
        {
            var field = $"holidays[{i++}]";
            RequireKind(holiday, JsonValueKind.Object, field);
            CheckProperties(holiday, field, "date", "name", "closedFrom");
            var text = RequireString(Require(holiday, "date", field), $"{field}.date");
            var date = LocalDatePattern.Iso.Parse(text);
            if (!date.Success)
            {
                throw new PolicyException($"{field}.date: '{text}' is not a date (yyyy-MM-dd)");
            }

            var name = holiday.TryGetProperty("name", out var nameElement)
                ? RequireString(nameElement, $"{field}.name")
                : "Closed";
            LocalTime? from = holiday.TryGetProperty("closedFrom", out var fromElement)
                ? ParseTime(fromElement, $"{field}.closedFrom")
                : null;
            closures.Add(new Closure(date.Value, name, "holidays", from));
        }

        return closures;
    }

    private static List<IClosureSource> ParseCalendars(JsonElement calendars, string baseDirectory, DateTimeZone zone)
    {
        RequireKind(calendars, JsonValueKind.Array, "holidayCalendars");
        var sources = new List<IClosureSource>();
        var i = 0;
        foreach (var calendar in calendars.EnumerateArray())
        {
            var field = $"holidayCalendars[{i++}]";
            string path;
            var filter = ClosureFilter.All;
            if (calendar.ValueKind == JsonValueKind.String)
            {
                path = calendar.GetString()!;
            }
            else
            {
                RequireKind(calendar, JsonValueKind.Object, field);
                CheckProperties(calendar, field, "path", "include", "exclude");
                path = RequireString(Require(calendar, "path", field), $"{field}.path");
                var (includeCategories, includeText, includeSummaries) = ParseCriteria(calendar, "include", field);
                var (excludeCategories, excludeText, excludeSummaries) = ParseCriteria(calendar, "exclude", field);
                filter = ClosureFilter.Create(
                    includeCategories, includeText, includeSummaries, excludeCategories, excludeText, excludeSummaries);
            }

            if (string.IsNullOrWhiteSpace(path))
            {
                throw new PolicyException($"{field}: the path is empty");
            }

            sources.Add(IcsClosureSource.Load(Path.Combine(baseDirectory, path), path, filter, zone));
        }

        return sources;
    }

    private static (List<string>? Categories, List<string>? Text, List<string>? Summaries) ParseCriteria(
        JsonElement calendar, string name, string field)
    {
        if (!calendar.TryGetProperty(name, out var element))
        {
            return (null, null, null);
        }

        field = $"{field}.{name}";
        RequireKind(element, JsonValueKind.Object, field);
        CheckProperties(element, field, "categories", "text", "summaries");
        return (StringList(element, "categories", field), StringList(element, "text", field), StringList(element, "summaries", field));
    }

    private static List<string> StringList(JsonElement element, string name, string field)
    {
        var list = new List<string>();
        if (element.TryGetProperty(name, out var array))
        {
            RequireKind(array, JsonValueKind.Array, $"{field}.{name}");
            var i = 0;
            foreach (var item in array.EnumerateArray())
            {
                list.Add(RequireString(item, $"{field}.{name}[{i++}]"));
            }
        }

        return list;
    }

    private static LocalTime ParseTime(JsonElement element, string field)
    {
        var text = RequireString(element, field);
        var parsed = LongTime.Parse(text);
        if (!parsed.Success)
        {
            parsed = ShortTime.Parse(text);
        }

        return parsed.Success
            ? parsed.Value
            : throw new PolicyException($"{field}: '{text}' is not a time of day (HH:mm:ss)");
    }

    private static JsonElement Require(JsonElement element, string name, string field) =>
        element.TryGetProperty(name, out var value) ? value : throw new PolicyException($"{field}.{name} is missing");

    private static string RequireString(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new PolicyException($"{field}: expected a string, found {Describe(element.ValueKind)}");

    private static int RequireInt(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value)
            ? value
            : throw new PolicyException($"{field}: expected a whole number");

    private static void RequireKind(JsonElement element, JsonValueKind kind, string field)
    {
        if (element.ValueKind != kind)
        {
            throw new PolicyException($"{field}: expected {Describe(kind)}, found {Describe(element.ValueKind)}");
        }
    }

    private static void CheckProperties(JsonElement element, string field, params string[] known)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal) &&
                !property.Name.StartsWith("@odata.", StringComparison.Ordinal) && property.Name != "$schema")
            {
                throw new PolicyException($"{(field.Length == 0 ? property.Name : $"{field}.{property.Name}")}: unknown property (expected one of {string.Join(", ", known)})");
            }
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        _ => "null",
    };
}
