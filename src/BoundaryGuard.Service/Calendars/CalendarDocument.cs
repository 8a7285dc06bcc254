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
    /// <summary>Which national holidays close (by name, as an event's summary); none: all of them.</summary>
    public IcsFilter NationalFilter { get; init; } = IcsFilter.None;

    /// <summary>Exchange calendars read through Graph, with the events their last sync found.</summary>
    public IReadOnlyList<ExchangeCalendar> Exchange { get; init; } = [];

    public static CalendarDocument Empty(string id, string name) => new(id, name, [], [], []);
}

/// <summary>
/// A calendar in an Exchange mailbox (a shared "Institution closures" calendar) whose events close the days they
/// cover, as its last sync read them through Graph's <c>calendarView</c>; <see cref="Filter"/> chose which events
/// (by subject and categories).
/// </summary>
public sealed record ExchangeCalendar(
    string Mailbox, string Calendar, string CalendarId, IcsFilter Filter, IReadOnlyList<SyncedEvent> Events, DateTimeOffset SyncedAt)
{
    /// <summary>Why the last sync did not read it (its mailbox is no longer listed); null when it was read.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }

    /// <summary>Each closure's <c>source</c>: <c>exchange:</c>, the mailbox and the calendar's name.</summary>
    public string Source => $"exchange:{Mailbox}/{Calendar}";
}

/// <summary>
/// One closing event, the only kind stored (a filtered-out event's subject is never kept): an all-day one by its local dates (<see cref="Start"/> to the exclusive <see cref="End"/>,
/// yyyy-mm-dd), a timed one by its instants (ISO, UTC), which close each department's day from the start in its zone.
/// </summary>
public sealed record SyncedEvent(string Id, string Name, bool AllDay, string Start, string End);

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

/// <summary>
/// A person whose mail BoundaryGuard never holds (an on-call clinical role), for a reason, to the end of
/// <see cref="Until"/> (yyyy-mm-dd, in their department's zone). Their held mail goes at once, and their scorecard card
/// says they are exempt.
/// </summary>
public sealed record Exemption(string Id, string Mailbox, string Reason, string Until);

internal static class AdminJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;
}
