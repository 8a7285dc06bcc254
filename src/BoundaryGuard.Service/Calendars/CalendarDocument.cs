using System.Text.Json;
using System.Text.Json.Serialization;

namespace BoundaryGuard.Service.Calendars;

/// <summary>
/// A named closure calendar IT keeps in the service ("Main campus"), as stored and as the admin API shows it: national
/// holiday codes, closures entered by hand and uploaded ICS files (by name and SHA-256; their text is kept apart).
/// Departments are assigned one; every source becomes closures in the department's policy.
/// </summary>
public sealed record CalendarDocument(
    string Id,
    string Name,
    IReadOnlyList<string> NationalHolidays,
    IReadOnlyList<ManualClosure> Closures,
    IReadOnlyList<IcsFile> Files)
{
    public static CalendarDocument Empty(string id, string name) => new(id, name, [], [], []);
}

/// <summary>A day closed by hand: the whole day, or from <see cref="ClosedFrom"/> (HH:mm:ss) to its end, as in the policy file's <c>holidays</c>.</summary>
public sealed record ManualClosure(string Date, string Name, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClosedFrom);

/// <summary>An uploaded ICS file and which of its events close, as in the policy file's <c>holidayCalendars</c> entries.</summary>
public sealed record IcsFile(string Name, string Sha256, int Closures, IcsFilter Filter);

/// <summary>Which events of a calendar file close (the policy file's <c>include</c>/<c>exclude</c>): empty lists restrict nothing.</summary>
public sealed record IcsFilter(
    IReadOnlyList<string> IncludeCategories,
    IReadOnlyList<string> IncludeText,
    IReadOnlyList<string> IncludeSummaries,
    IReadOnlyList<string> ExcludeCategories,
    IReadOnlyList<string> ExcludeText,
    IReadOnlyList<string> ExcludeSummaries)
{
    public static IcsFilter None { get; } = new([], [], [], [], [], []);
}

/// <summary>
/// A department's policy kept in the service: the working hours (the policy file's <c>workingHours</c>, Graph's
/// shape), the calendar assigned to it, and optionally its <c>scorecard</c> people. It overrides the policy folder's
/// entry for the same department.
/// </summary>
public sealed record DepartmentDocument(
    string Name,
    string Calendar,
    JsonElement WorkingHours,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Scorecard);

internal static class AdminJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;
}
