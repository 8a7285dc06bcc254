using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BoundaryGuard.Core;
using BoundaryGuard.Core.Calendars;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Core.Policies;
using BoundaryGuard.Service.Policies;
using NodaTime;
using NodaTime.Text;

namespace BoundaryGuard.Service.Calendars;

/// <summary>
/// Turns what IT keeps in the service into policies: a department's working hours with the closures of its
/// calendar, built by the policy-file parser itself (so the same field is checked the same way wherever a policy
/// comes from). <see cref="RefreshAsync"/> loads them into the <see cref="PolicyCatalog"/> whenever the stored
/// generation moved, on this node or another; the catalog's change then re-decides the pending holds.
/// </summary>
public sealed partial class ManagedPolicies(AdminStore store, PolicyCatalog catalog, ILogger<ManagedPolicies> logger) : IDisposable
{
    /// <summary>The working hours a calendar is read with when no department is in view (its year view, a preview).</summary>
    private static readonly JsonNode AnyHours = JsonNode.Parse("""
        { "daysOfWeek": ["monday"], "startTime": "09:00:00", "endTime": "17:00:00", "timeZone": { "name": "UTC" } }
        """)!;

    private readonly SemaphoreSlim gate = new(1, 1);
    private long generation = -1;

    /// <summary>Loads the managed departments into the catalog if anything changed since the last load.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = await store.GenerationAsync(cancellationToken).ConfigureAwait(false);
            if (now == generation)
            {
                return;
            }

            var calendars = (await store.CalendarsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(c => c.Document.Id, c => c.Document);
            var files = await store.FilesAsync(cancellationToken).ConfigureAwait(false);
            var policies = new Dictionary<string, BoundaryPolicy>(StringComparer.OrdinalIgnoreCase);
            foreach (var department in (await store.DepartmentsAsync(cancellationToken).ConfigureAwait(false)).Select(d => d.Document))
            {
                try
                {
                    var calendar = calendars.GetValueOrDefault(department.Calendar)
                        ?? throw new PolicyException($"department {department.Name}: no calendar '{department.Calendar}'");
                    policies[department.Name] = Build(department, calendar, f => files[(calendar.Id, f.Name)]);
                }
                catch (PolicyException e)
                {
                    // Never stored so (every change is checked first); a newer build's stricter check may refuse an old entry.
                    LogRefused(e.Message);
                    if (catalog.Managed.TryGetValue(department.Name, out var previous))
                    {
                        policies[department.Name] = previous;
                    }
                }
            }

            var exempt = (await store.ExemptionsAsync(cancellationToken).ConfigureAwait(false))
                .GroupBy(e => e.Document.Mailbox, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Max(e => LocalDatePattern.Iso.Parse(e.Document.Until).Value), StringComparer.OrdinalIgnoreCase);
            catalog.SetManaged(policies, exempt);
            generation = now;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    /// <summary>A department's policy: its working hours and scorecard people, and its calendar's closures in its zone.</summary>
    /// <exception cref="PolicyException">A field is wrong; the message names it.</exception>
    public static BoundaryPolicy Build(DepartmentDocument department, CalendarDocument calendar, Func<IcsFile, string> content)
    {
        ArgumentNullException.ThrowIfNull(department);
        var document = Document(calendar, JsonNode.Parse(department.WorkingHours.GetRawText())!);
        if (department.Scorecard is { } scorecard)
        {
            document["scorecard"] = JsonNode.Parse(scorecard.GetRawText());
        }

        return Parse(document, calendar, content, $"department {department.Name}");
    }

    /// <summary>The calendar's closures in <c>[from, to]</c>, whole days read in UTC (ICS files' timed events too).</summary>
    public static IReadOnlyList<Closure> Closures(CalendarDocument calendar, Func<IcsFile, string> content, LocalDate from, LocalDate to) =>
        Parse(Document(calendar, AnyHours.DeepClone()), calendar, content, $"calendar {calendar.Id}").Closures.Between(from, to);

    /// <summary>Checks an ICS file as it would be applied; its closures in a policy are those of <paramref name="filter"/>.</summary>
    public static IcsClosureSource ParseIcs(string text, string name, IcsFilter filter, DateTimeZone zone) =>
        IcsClosureSource.Parse(text, name, Filter(filter), zone);

    public static ClosureFilter Filter(IcsFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return ClosureFilter.Create(filter.IncludeCategories, filter.IncludeText, filter.IncludeSummaries,
            filter.ExcludeCategories, filter.ExcludeText, filter.ExcludeSummaries);
    }

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static JsonObject Document(CalendarDocument calendar, JsonNode workingHours) => new()
    {
        ["workingHours"] = workingHours,
        ["holidays"] = new JsonArray([.. calendar.Closures.Select(c =>
        {
            var holiday = new JsonObject { ["date"] = c.Date, ["name"] = c.Name };
            if (c.ClosedFrom is not null)
            {
                holiday["closedFrom"] = c.ClosedFrom;
            }

            return (JsonNode)holiday;
        })]),
    };

    private static BoundaryPolicy Parse(JsonObject document, CalendarDocument calendar, Func<IcsFile, string> content, string name)
    {
        var parsed = PolicyFile.Parse(document.ToJsonString(), AppContext.BaseDirectory, name);
        var national = calendar.NationalHolidays.Select((code, i) =>
            (IClosureSource)new FilteredClosureSource(NationalHolidaySource.Create(code, $"nationalHolidays[{i}]"), Filter(calendar.NationalFilter)));
        var files = calendar.Files.Select(f => (IClosureSource)ParseIcs(content(f), f.Name, f.Filter, parsed.Zone));
        var exchange = calendar.Exchange.Select(x => (IClosureSource)new ExplicitClosureSource([.. x.Events.SelectMany(e => Closures(e, x.Source, parsed.Zone))]));
        return new BoundaryPolicy(parsed.WorkingHours, parsed.Closures.With([.. national, .. files, .. exchange]), parsed.People) { Scorecard = parsed.Scorecard };
    }

    /// <summary>An Exchange event's closed days in <paramref name="zone"/>: each date an all-day event covers; a timed one's first day from its start.</summary>
    private static IEnumerable<Closure> Closures(SyncedEvent e, string source, DateTimeZone zone)
    {
        if (!e.AllDay)
        {
            var start = InstantPattern.ExtendedIso.Parse(e.Start).Value.InZone(zone).LocalDateTime;
            yield return new Closure(start.Date, e.Name, source, start.TimeOfDay);
            yield break;
        }

        for (var day = LocalDatePattern.Iso.Parse(e.Start).Value; day < LocalDatePattern.Iso.Parse(e.End).Value; day = day.PlusDays(1))
        {
            yield return new Closure(day, e.Name, source);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A department kept in the service was not loaded, its previous policy stays: {Problem}")]
    private partial void LogRefused(string problem);
}
