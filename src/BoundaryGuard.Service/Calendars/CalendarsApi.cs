using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using BoundaryGuard.Core;
using BoundaryGuard.Core.Calendars;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Core.Policies;
using BoundaryGuard.Service.Auth;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Policies;
using BoundaryGuard.Service.Scorecards;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using NodaTime.Text;

namespace BoundaryGuard.Service.Calendars;

/// <summary>
/// IT's admin API (role <c>it-admin</c> only): named closure calendars and their sources (national holidays, closures
/// entered by hand, uploaded ICS files with a preview first), the year view, departments' policies, and the audit log.
/// A change is checked whole before it is stored (a bad file or field changes nothing and is named in the 400), is
/// audited with the document before and after, and is in force when the call returns: pending holds it affects are
/// re-decided then.
/// </summary>
public static class CalendarsApi
{
    private const int MaxFileBytes = 4 * 1024 * 1024;
    private static readonly LocalDatePattern Date = LocalDatePattern.Iso;
    private static readonly LocalTimePattern[] Times =
        [LocalTimePattern.CreateWithInvariantCulture("HH:mm:ss"), LocalTimePattern.CreateWithInvariantCulture("HH:mm")];

    public static IEndpointRouteBuilder MapCalendarsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/admin").RequireAuthorization(Caller.ItAdminPolicy)
            .RequireRateLimiting(RateLimits.CallerRateLimits.Admin).WithTags("Admin");
        api.MapGet("/calendars", ListAsync).WithName("ListCalendars").WithSummary("Every calendar");
        api.MapPost("/calendars", CreateAsync).WithName("CreateCalendar").WithSummary("A new, empty calendar: { name }");
        api.MapGet("/calendars/{id}", GetAsync).WithName("GetCalendar");
        api.MapDelete("/calendars/{id}", DeleteAsync).WithName("DeleteCalendar").WithSummary("Refused while a department uses it");
        api.MapPut("/calendars/{id}/national-holidays", SetNationalAsync).WithName("SetNationalHolidays")
            .WithSummary("The national and regional holidays the calendar closes: { codes: [\"US\", \"DE-BY\"], excludeSummaries?: [\"Columbus Day\"], ... }");
        api.MapPut("/calendars/{id}/closures/{date}", PutClosureAsync).WithName("PutClosure")
            .WithSummary("Closes a day by hand: { name, closedFrom? } (closedFrom HH:mm: closed from then to the day's end)");
        api.MapDelete("/calendars/{id}/closures/{date}", DeleteClosureAsync).WithName("DeleteClosure");
        api.MapPost("/calendars/{id}/files/preview", PreviewAsync).WithName("PreviewCalendarFile")
            .WithSummary("What an ICS file (the body, text/calendar) would close in the next twelve months, nothing stored; ?name= and the filter as for a PUT");
        api.MapPut("/calendars/{id}/files/{name}", PutFileAsync).WithName("PutCalendarFile")
            .WithSummary("Adds or replaces an ICS file (the body, text/calendar); ?includeText=Federal Holiday&excludeSummary=... choose which events close");
        api.MapDelete("/calendars/{id}/files/{name}", DeleteFileAsync).WithName("DeleteCalendarFile");
        api.MapPost("/calendars/{id}/exchange", AddExchangeAsync).WithName("AddExchangeCalendar")
            .WithSummary("Closes what an Exchange calendar holds: { mailbox, calendar (its name), includeCategories?, includeText?, ... }; read now");
        api.MapPost("/calendars/{id}/exchange/sync", SyncExchangeAsync).WithName("SyncExchangeCalendars")
            .WithSummary("Reads the calendar's Exchange calendars now (they are also read on a schedule)");
        api.MapDelete("/calendars/{id}/exchange/{mailbox}/{calendar}", DeleteExchangeAsync).WithName("DeleteExchangeCalendar");
        api.MapGet("/calendars/{id}/year", YearAsync).WithName("GetCalendarYear").WithSummary("Closures in the twelve months from ?from= (today)");
        api.MapGet("/departments", ListDepartmentsAsync).WithName("ListDepartmentPolicies")
            .WithSummary("Every department with a policy: kept in the service, or from the policy folder");
        api.MapPut("/departments/{name}", PutDepartmentAsync).WithName("PutDepartmentPolicy")
            .WithSummary("A department's calendar and working hours: { calendar, workingHours, scorecard? }");
        api.MapPost("/departments/{name}/what-if", WhatIfAsync).WithName("WhatIfDepartmentPolicy")
            .WithSummary("Before a change is saved: how many of the department's sends in the last four weeks the proposed policy would have held");
        api.MapDelete("/departments/{name}", DeleteDepartmentAsync).WithName("DeleteDepartmentPolicy")
            .WithSummary("Back to the policy folder's entry for the department");
        api.MapGet("/exemptions", ListExemptionsAsync).WithName("ListExemptions").WithSummary("Everyone whose mail is never held, and until when");
        api.MapPost("/exemptions", AddExemptionAsync).WithName("AddExemption")
            .WithSummary("Exempts a person from holds: { mailbox, reason, until (yyyy-mm-dd, at most a year ahead) }");
        api.MapDelete("/exemptions/{exemptionId}", DeleteExemptionAsync).WithName("DeleteExemption");
        api.MapGet("/audit", AuditAsync).WithName("GetAuditLog").WithSummary("Every change, newest first (?limit=, 100 by default)");
        return endpoints;
    }

    private static async Task<Ok<CalendarView[]>> ListAsync(AdminStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.CalendarsAsync(cancellationToken).ConfigureAwait(false)).Select(CalendarView.Of).ToArray());

    private static async Task<Created<CalendarView>> CreateAsync(
        NewCalendar body, ClaimsPrincipal user, AdminStore store, ManagedPolicies managed, CancellationToken cancellationToken)
    {
        var name = body.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            throw Invalid("name: a calendar needs a name of 1 to 100 characters");
        }

        var id = ScorecardService.Slug(name);
        if (id.Length == 0)
        {
            throw Invalid("name: needs at least one letter or digit");
        }

        await store.SaveCalendarAsync(null, CalendarDocument.Empty(id, name), null, Actor(user), "calendar-created", cancellationToken).ConfigureAwait(false);
        var created = (await store.CalendarAsync(id, cancellationToken).ConfigureAwait(false))!;
        return TypedResults.Created($"/api/v1/admin/calendars/{id}", CalendarView.Of(created));
    }

    private static async Task<Ok<CalendarView>> GetAsync(string id, AdminStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(CalendarView.Of(await FindAsync(store, id, cancellationToken).ConfigureAwait(false)));

    private static async Task<NoContent> DeleteAsync(string id, ClaimsPrincipal user, AdminStore store, ManagedPolicies managed, CancellationToken cancellationToken)
    {
        var calendar = await FindAsync(store, id, cancellationToken).ConfigureAwait(false);
        var users = (await store.DepartmentsAsync(cancellationToken).ConfigureAwait(false)).Where(d => d.Document.Calendar == id).Select(d => d.Document.Name).ToList();
        if (users.Count > 0)
        {
            throw new HoldException(HoldError.Conflict, $"The calendar is assigned to {string.Join(", ", users)}: assign another first.");
        }

        await store.SaveCalendarAsync(calendar.Document, null, null, Actor(user), "calendar-deleted", cancellationToken).ConfigureAwait(false);
        await managed.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static Task<Ok<CalendarView>> SetNationalAsync(
        string id, NationalHolidays body, ClaimsPrincipal user, AdminStore store, ManagedPolicies managed, CancellationToken cancellationToken)
    {
        var codes = new List<string>();
        foreach (var (code, i) in (body.Codes ?? []).Select((c, i) => (c, i)))
        {
            // Checked here for the message; the policy parser accepts exactly these.
            codes.Add(Checked(() => NationalHolidaySource.Create(code ?? "", $"codes[{i}]").Code));
        }

        return ChangeAsync(id, user, store, managed, "national-holidays-set",
            c => c with { NationalHolidays = [.. codes.Distinct(StringComparer.Ordinal)], NationalFilter = body.Filter() }, null, cancellationToken);
    }

    private static Task<Ok<CalendarView>> PutClosureAsync(
        string id, string date, ManualClosureBody body, ClaimsPrincipal user, AdminStore store, ManagedPolicies managed, CancellationToken cancellationToken)
    {
        var day = Date.Parse(date);
        if (!day.Success)
        {
            throw Invalid($"date: '{date}' is not a date (yyyy-mm-dd)");
        }

        var name = body.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            throw Invalid("name: a closure needs a name of 1 to 200 characters");
        }

        string? closedFrom = null;
        if (!string.IsNullOrWhiteSpace(body.ClosedFrom))
        {
            var time = Times.Select(p => p.Parse(body.ClosedFrom.Trim())).FirstOrDefault(r => r.Success)
                ?? throw Invalid($"closedFrom: '{body.ClosedFrom}' is not a time of day (HH:mm)");
            closedFrom = time.Value.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        }

        var closure = new ManualClosure(Date.Format(day.Value), name, closedFrom);
        return ChangeAsync(id, user, store, managed, "closure-set",
            c => c with { Closures = [.. c.Closures.Where(x => x.Date != closure.Date).Append(closure).OrderBy(x => x.Date, StringComparer.Ordinal)] },
            null, cancellationToken);
    }

    private static Task<Ok<CalendarView>> DeleteClosureAsync(
        string id, string date, ClaimsPrincipal user, AdminStore store, ManagedPolicies managed, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, store, managed, "closure-deleted", c => c.Closures.Any(x => x.Date == date)
            ? c with { Closures = [.. c.Closures.Where(x => x.Date != date)] }
            : throw new HoldException(HoldError.NotFound, $"The calendar closes nothing by hand on {date}."), null, cancellationToken);

    private static async Task<Ok<FilePreview>> PreviewAsync(
        string id, string? name, [AsParameters] FilterQuery filter, HttpRequest request, AdminStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        await FindAsync(store, id, cancellationToken).ConfigureAwait(false);
        var file = FileName(name ?? "calendar.ics");
        var text = await ReadFileAsync(request, cancellationToken).ConfigureAwait(false);
        var from = Today(clock);
        var source = Checked(() => ManagedPolicies.ParseIcs(text, file, filter.ToFilter(), DateTimeZone.Utc));
        return TypedResults.Ok(new FilePreview(file, ManagedPolicies.Sha256(text), Date.Format(from), Date.Format(from.PlusYears(1).PlusDays(-1)),
            [.. YearFrom(source, from).Select(ClosureView.Of)]));
    }

    private static async Task<Ok<CalendarView>> PutFileAsync(
        string id, string name, [AsParameters] FilterQuery filter, HttpRequest request, ClaimsPrincipal user, AdminStore store, ManagedPolicies managed,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var file = FileName(name);
        var text = await ReadFileAsync(request, cancellationToken).ConfigureAwait(false);
        var applied = filter.ToFilter();
        var source = Checked(() => ManagedPolicies.ParseIcs(text, file, applied, DateTimeZone.Utc));
        var sha256 = ManagedPolicies.Sha256(text);
        var count = YearFrom(source, Today(clock)).Count;
        return await ChangeAsync(id, user, store, managed, "file-applied",
            c => c with { Files = [.. c.Files.Where(f => f.Name != file).Append(new IcsFile(file, sha256, count, applied))] },
            (file, sha256, text), cancellationToken).ConfigureAwait(false);
    }

    private static Task<Ok<CalendarView>> DeleteFileAsync(
        string id, string name, ClaimsPrincipal user, AdminStore store, ManagedPolicies managed, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, store, managed, "file-deleted", c => c.Files.Any(f => f.Name == name)
            ? c with { Files = [.. c.Files.Where(f => f.Name != name)] }
            : throw new HoldException(HoldError.NotFound, $"The calendar has no file '{name}'."), null, cancellationToken);

    private static async Task<Ok<CalendarView>> AddExchangeAsync(
        string id, ExchangeBody body, ClaimsPrincipal user, AdminStore store, ManagedPolicies managed, ExchangeCalendarSync exchange,
        CancellationToken cancellationToken)
    {
        var mailbox = body.Mailbox?.Trim();
        var name = body.Calendar?.Trim();
        if (string.IsNullOrEmpty(mailbox) || !mailbox.Contains('@', StringComparison.Ordinal))
        {
            throw Invalid("mailbox: the address of the mailbox that holds the calendar");
        }

        if (string.IsNullOrEmpty(name))
        {
            throw Invalid("calendar: the calendar's name as Outlook shows it");
        }

        await FindAsync(store, id, cancellationToken).ConfigureAwait(false);
        var read = await exchange.ReadAsync(mailbox, name, null, body.Filter(), cancellationToken).ConfigureAwait(false);
        return await ChangeAsync(id, user, store, managed, "exchange-added", c => c with
        {
            Exchange = [.. c.Exchange.Where(x => !Same(x, mailbox, name)).Append(read)],
        }, null, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Ok<CalendarView>> SyncExchangeAsync(
        string id, ClaimsPrincipal user, AdminStore store, ExchangeCalendarSync exchange, CancellationToken cancellationToken)
    {
        await exchange.SyncAsync(id, Actor(user), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(CalendarView.Of(await FindAsync(store, id, cancellationToken).ConfigureAwait(false)));
    }

    private static Task<Ok<CalendarView>> DeleteExchangeAsync(
        string id, string mailbox, string calendar, ClaimsPrincipal user, AdminStore store, ManagedPolicies managed, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, store, managed, "exchange-deleted", c => c.Exchange.Any(x => Same(x, mailbox, calendar))
            ? c with { Exchange = [.. c.Exchange.Where(x => !Same(x, mailbox, calendar))] }
            : throw new HoldException(HoldError.NotFound, $"The calendar does not read '{calendar}' of {mailbox}."), null, cancellationToken);

    private static bool Same(ExchangeCalendar x, string mailbox, string calendar) =>
        string.Equals(x.Mailbox, mailbox.Trim(), StringComparison.OrdinalIgnoreCase) && string.Equals(x.Calendar, calendar.Trim(), StringComparison.OrdinalIgnoreCase);

    private static async Task<Ok<YearView>> YearAsync(string id, string? from, AdminStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var calendar = await FindAsync(store, id, cancellationToken).ConfigureAwait(false);
        var start = from is null ? Today(clock) : Date.Parse(from) is { Success: true } parsed ? parsed.Value : throw Invalid($"from: '{from}' is not a date (yyyy-mm-dd)");
        var end = start.PlusYears(1).PlusDays(-1);
        var files = await store.FilesAsync(cancellationToken).ConfigureAwait(false);
        var closures = ManagedPolicies.Closures(calendar.Document, f => files[(id, f.Name)], start, end);
        return TypedResults.Ok(new YearView(id, calendar.Document.Name, Date.Format(start), Date.Format(end), [.. closures.Select(ClosureView.Of)]));
    }

    private static async Task<Ok<DepartmentView[]>> ListDepartmentsAsync(AdminStore store, PolicyCatalog catalog, CancellationToken cancellationToken)
    {
        var kept = (await store.DepartmentsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(d => d.Document.Name, StringComparer.OrdinalIgnoreCase);
        return TypedResults.Ok(catalog.Departments.Union(kept.Keys, StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)
            .Select(name => kept.TryGetValue(name, out var d)
                ? new DepartmentView(d.Document.Name, "service", d.Document.Calendar, catalog.For(name)?.Zone.Id, d.Document.WorkingHours, d.UpdatedAt,
                    d.UpdatedBy, d.Document.Scorecard)
                : catalog.For(name) is { } folder
                    ? new DepartmentView(name, "folder", null, folder.Zone.Id, Hours(folder.WorkingHours), null, null, People(folder.Scorecard))
                    : new DepartmentView(name, "folder", null, null, null, null, null, null))
            .ToArray());
    }

    private static async Task<Ok<DepartmentView>> PutDepartmentAsync(
        string name, DepartmentBody body, ClaimsPrincipal user, AdminStore store, ManagedPolicies managed, CancellationToken cancellationToken)
    {
        var (after, _) = await ProposedAsync(name, body, store, cancellationToken).ConfigureAwait(false);
        var before = (await store.DepartmentsAsync(cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(d => string.Equals(d.Document.Name, after.Name, StringComparison.OrdinalIgnoreCase));
        await store.SaveDepartmentAsync(before?.Document, after with { Name = before?.Document.Name ?? after.Name }, Actor(user),
            before is null ? "department-set" : "department-changed", cancellationToken).ConfigureAwait(false);
        await managed.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var stored = (await store.DepartmentsAsync(cancellationToken).ConfigureAwait(false)).First(d => d.Document.Name == (before?.Document.Name ?? after.Name));
        return TypedResults.Ok(new DepartmentView(stored.Document.Name, "service", stored.Document.Calendar, null, stored.Document.WorkingHours,
            stored.UpdatedAt, stored.UpdatedBy, stored.Document.Scorecard));
    }

    /// <summary>A department's policy as a PUT proposes it, checked whole: 400 naming the field when it is wrong.</summary>
    private static async Task<(DepartmentDocument Document, Core.Decisions.BoundaryPolicy Policy)> ProposedAsync(
        string name, DepartmentBody body, AdminStore store, CancellationToken cancellationToken)
    {
        name = name.Trim();
        if (name.Length is 0 or > 200)
        {
            throw Invalid("name: a department needs a name of 1 to 200 characters");
        }

        if (body.WorkingHours is not { ValueKind: JsonValueKind.Object } hours)
        {
            throw Invalid("workingHours: required, in the policy file's shape");
        }

        var calendar = await FindAsync(store, body.Calendar ?? "", cancellationToken, "calendar").ConfigureAwait(false);
        var document = new DepartmentDocument(name, calendar.Document.Id, hours, body.Scorecard is { ValueKind: not JsonValueKind.Null } s ? s : null);
        var files = await store.FilesAsync(cancellationToken).ConfigureAwait(false);
        return (document, Checked(() => ManagedPolicies.Build(document, calendar.Document, f => files[(calendar.Document.Id, f.Name)])));
    }

    private static async Task<Ok<WhatIf>> WhatIfAsync(
        string name, DepartmentBody body, AdminStore store, PolicyCatalog catalog, IMetricStore metrics, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (_, proposed) = await ProposedAsync(name, body, store, cancellationToken).ConfigureAwait(false);
        var current = catalog.For(name.Trim());
        var until = Instant.FromDateTimeOffset(clock.GetUtcNow());
        var from = until - Duration.FromDays(28);
        var sends = (await metrics.EventsAsync(name.Trim(), Sends, from, until, cancellationToken).ConfigureAwait(false))
            .Where(e => e.Kind != MetricKind.DeliveredAfterHours || e.Source is null)
            .Select(e => Instant.FromDateTimeOffset(e.At))
            .ToList();
        bool Held(Core.Decisions.BoundaryPolicy? policy, Instant at) => policy?.Evaluate(at, []).Kind == Core.Decisions.DecisionKind.Hold;
        return TypedResults.Ok(new WhatIf(
            from.ToDateTimeOffset(), until.ToDateTimeOffset(), sends.Count,
            sends.Count(at => Held(current, at)), sends.Count(at => Held(proposed, at)),
            sends.Count(at => Held(proposed, at) && !Held(current, at)), sends.Count(at => Held(current, at) && !Held(proposed, at))));
    }

    /// <summary>The sends a what-if replays: every message whose sending the metrics saw (judged by the policy alone: no recipients are stored).</summary>
    private static readonly MetricKind[] Sends = [MetricKind.HoldCreated, MetricKind.Deferred, MetricKind.DeliveredAfterHours, MetricKind.SentInHours];

    /// <summary>A folder policy's working hours in the policy file's shape, so a department moved into the service can start from them.</summary>
    private static JsonElement Hours(WorkingHours hours) => JsonSerializer.SerializeToElement(new
    {
        daysOfWeek = hours.Days.Select(d => d.ToString().ToLowerInvariant()),
        startTime = hours.Start.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
        endTime = hours.End.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
        timeZone = new { name = hours.Zone.Id },
    });

    /// <summary>A folder policy's scorecard people in the policy file's shape; null when it names none.</summary>
    private static JsonElement? People(ScorecardPeople people) => people.Chairs.Count + people.Leaders.Count == 0
        ? null
        : JsonSerializer.SerializeToElement(new { chairs = people.Chairs.Order(StringComparer.OrdinalIgnoreCase), leaders = people.Leaders.Order(StringComparer.OrdinalIgnoreCase) });

    private static async Task<NoContent> DeleteDepartmentAsync(
        string name, ClaimsPrincipal user, AdminStore store, ManagedPolicies managed, CancellationToken cancellationToken)
    {
        var before = (await store.DepartmentsAsync(cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(d => string.Equals(d.Document.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new HoldException(HoldError.NotFound, $"No department '{name}' is kept in the service.");
        await store.SaveDepartmentAsync(before.Document, null, Actor(user), "department-deleted", cancellationToken).ConfigureAwait(false);
        await managed.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<ExemptionView[]>> ListExemptionsAsync(AdminStore store, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ExemptionsAsync(cancellationToken).ConfigureAwait(false))
            .Select(e => new ExemptionView(e.Document.Id, e.Document.Mailbox, e.Document.Reason, e.Document.Until,
                string.CompareOrdinal(e.Document.Until, Date.Format(Today(clock))) >= 0, e.UpdatedAt, e.UpdatedBy))
            .ToArray());

    private static async Task<Created<Exemption>> AddExemptionAsync(
        ExemptionBody body, ClaimsPrincipal user, AdminStore store, ManagedPolicies managed, TimeProvider clock, CancellationToken cancellationToken)
    {
        var mailbox = body.Mailbox?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(mailbox) || !mailbox.Contains('@', StringComparison.Ordinal) || mailbox.Length > 320)
        {
            throw Invalid("mailbox: the exempt person's address");
        }

        var reason = body.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > 200)
        {
            throw Invalid("reason: why they are exempt (on call, say), 1 to 200 characters");
        }

        var today = Today(clock);
        var until = Date.Parse(body.Until ?? "") is { Success: true } parsed ? parsed.Value : throw Invalid($"until: '{body.Until}' is not a date (yyyy-mm-dd)");
        if (until < today || until > today.PlusYears(1))
        {
            throw Invalid($"until: from today to a year ahead ({Date.Format(today.PlusYears(1))}); an exemption is reviewed at least yearly");
        }

        var exemption = new Exemption(Guid.NewGuid().ToString("N"), mailbox, reason, Date.Format(until));
        await store.SaveExemptionAsync(null, exemption, Actor(user), "exemption-added", cancellationToken).ConfigureAwait(false);
        await managed.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/admin/exemptions/{exemption.Id}", exemption);
    }

    private static async Task<NoContent> DeleteExemptionAsync(
        string exemptionId, ClaimsPrincipal user, AdminStore store, ManagedPolicies managed, CancellationToken cancellationToken)
    {
        var before = (await store.ExemptionsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(e => e.Document.Id == exemptionId)
            ?? throw new HoldException(HoldError.NotFound, $"No exemption '{exemptionId}'.");
        await store.SaveExemptionAsync(before.Document, null, Actor(user), "exemption-deleted", cancellationToken).ConfigureAwait(false);
        await managed.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<AuditEntry>>> AuditAsync(int? limit, AdminStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.AuditAsync(Math.Clamp(limit ?? 100, 1, 1000), cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Applies <paramref name="change"/> to the calendar, checks the result in every department that uses it (in its
    /// zone) or on its own, stores it and puts it in force.
    /// </summary>
    private static async Task<Ok<CalendarView>> ChangeAsync(
        string id, ClaimsPrincipal user, AdminStore store, ManagedPolicies managed, string action, Func<CalendarDocument, CalendarDocument> change,
        (string Name, string Sha256, string Content)? upload, CancellationToken cancellationToken)
    {
        var before = await FindAsync(store, id, cancellationToken).ConfigureAwait(false);
        var after = change(before.Document);
        var files = (await store.FilesAsync(cancellationToken).ConfigureAwait(false)).ToDictionary();
        if (upload is var (name, _, content))
        {
            files[(id, name)] = content;
        }

        string Content(IcsFile f) => files[(id, f.Name)];
        var departments = (await store.DepartmentsAsync(cancellationToken).ConfigureAwait(false)).Select(d => d.Document).Where(d => d.Calendar == id).ToList();
        Checked(() => ManagedPolicies.Closures(after, Content, new LocalDate(2000, 1, 1), new LocalDate(2000, 1, 1)));
        foreach (var department in departments)
        {
            Checked(() => ManagedPolicies.Build(department, after, Content));
        }

        await store.SaveCalendarAsync(before.Document, after, upload, Actor(user), action, cancellationToken).ConfigureAwait(false);
        await managed.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(CalendarView.Of((await store.CalendarAsync(id, cancellationToken).ConfigureAwait(false))!));
    }

    private static async Task<Stored<CalendarDocument>> FindAsync(AdminStore store, string id, CancellationToken cancellationToken, string? field = null) =>
        await store.CalendarAsync(id, cancellationToken).ConfigureAwait(false)
            ?? (field is null
                ? throw new HoldException(HoldError.NotFound, $"No calendar '{id}'.")
                : throw Invalid($"{field}: no calendar '{id}' (see GET /api/v1/admin/calendars)"));

    private static async Task<string> ReadFileAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxFileBytes)
        {
            throw Invalid($"the file is larger than {MaxFileBytes / (1024 * 1024)} MB");
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var buffer = new char[MaxFileBytes + 1];
        var text = new StringBuilder();
        int read;
        while ((read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > MaxFileBytes)
            {
                throw Invalid($"the file is larger than {MaxFileBytes / (1024 * 1024)} MB");
            }
        }

        return text.Length == 0 ? throw Invalid("the request has no file: send the ICS text as the body (Content-Type: text/calendar)") : text.ToString();
    }

    private static string FileName(string name)
    {
        name = name.Trim();
        return name.Length is 0 or > 100 || name.Any(c => char.IsControl(c) || c is '/' or '\\')
            ? throw Invalid("name: a file name of 1 to 100 characters, without slashes")
            : name;
    }

    /// <summary>A file's closures in the twelve months from <paramref name="from"/>.</summary>
    private static List<Closure> YearFrom(IClosureSource source, LocalDate from) =>
        [.. Enumerable.Range(from.Year, 2).SelectMany(source.ClosuresIn).Where(c => c.Date >= from && c.Date < from.PlusYears(1)).OrderBy(c => c.Date)];

    private static LocalDate Today(TimeProvider clock) => Instant.FromDateTimeOffset(clock.GetUtcNow()).InUtc().Date;

    private static string Actor(ClaimsPrincipal user) => Caller.From(user)!.Mailbox;

    private static T Checked<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (PolicyException e)
        {
            throw Invalid(e.Message);
        }
    }

    private static HoldException Invalid(string message) => new(HoldError.Invalid, message);
}

public sealed record NewCalendar(string? Name);

/// <summary>National and regional holiday codes, and which of their holidays close, by name (say excludeSummaries ["Columbus Day"]).</summary>
public sealed record NationalHolidays(
    IReadOnlyList<string?>? Codes, IReadOnlyList<string>? IncludeText, IReadOnlyList<string>? IncludeSummaries, IReadOnlyList<string>? ExcludeText,
    IReadOnlyList<string>? ExcludeSummaries)
{
    public IcsFilter Filter() => new([], IncludeText ?? [], IncludeSummaries ?? [], [], ExcludeText ?? [], ExcludeSummaries ?? []);
}

public sealed record ManualClosureBody(string? Name, string? ClosedFrom);

public sealed record ExchangeBody(
    string? Mailbox, string? Calendar, IReadOnlyList<string>? IncludeCategories, IReadOnlyList<string>? IncludeText, IReadOnlyList<string>? IncludeSummaries,
    IReadOnlyList<string>? ExcludeCategories, IReadOnlyList<string>? ExcludeText, IReadOnlyList<string>? ExcludeSummaries)
{
    public IcsFilter Filter() => new(IncludeCategories ?? [], IncludeText ?? [], IncludeSummaries ?? [], ExcludeCategories ?? [], ExcludeText ?? [],
        ExcludeSummaries ?? []);
}

/// <summary>
/// A what-if over <c>[From, To)</c>: of the department's <see cref="Sends"/> (held, delayed by Outlook, delivered after
/// hours or sent in hours), how many its policy now would hold, how many the proposed one would, and the difference
/// each way. Recipients' hours are not stored, so each send is judged by the policy alone.
/// </summary>
public sealed record WhatIf(DateTimeOffset From, DateTimeOffset To, int Sends, int HeldNow, int HeldByProposal, int NewlyHeld, int NoLongerHeld);

public sealed record ExemptionBody(string? Mailbox, string? Reason, string? Until);

public sealed record ExemptionView(string Id, string Mailbox, string Reason, string Until, bool Active, DateTimeOffset UpdatedAt, string UpdatedBy);

public sealed record DepartmentBody(string? Calendar, JsonElement? WorkingHours, JsonElement? Scorecard);

/// <summary>Which events of an uploaded file close, from the query (each may repeat); none: every event.</summary>
public sealed record FilterQuery(
    [FromQuery] string[]? IncludeCategory,
    [FromQuery] string[]? IncludeText,
    [FromQuery] string[]? IncludeSummary,
    [FromQuery] string[]? ExcludeCategory,
    [FromQuery] string[]? ExcludeText,
    [FromQuery] string[]? ExcludeSummary)
{
    public IcsFilter ToFilter() => new(IncludeCategory ?? [], IncludeText ?? [], IncludeSummary ?? [], ExcludeCategory ?? [], ExcludeText ?? [], ExcludeSummary ?? []);
}

public sealed record CalendarView(
    string Id, string Name, IReadOnlyList<string> NationalHolidays, IReadOnlyList<ManualClosure> Closures, IReadOnlyList<IcsFile> Files,
    IReadOnlyList<ExchangeCalendar> Exchange, DateTimeOffset UpdatedAt, string UpdatedBy)
{
    /// <summary>Which national holidays close, by name; empty lists: all of them.</summary>
    public IcsFilter NationalFilter { get; init; } = IcsFilter.None;

    public static CalendarView Of(Stored<CalendarDocument> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var c = stored.Document;
        return new(c.Id, c.Name, c.NationalHolidays, c.Closures, c.Files, c.Exchange, stored.UpdatedAt, stored.UpdatedBy) { NationalFilter = c.NationalFilter };
    }
}

public sealed record ClosureView(string Date, string Name, string Source, string? ClosedFrom)
{
    public static ClosureView Of(Closure closure)
    {
        ArgumentNullException.ThrowIfNull(closure);
        return new(LocalDatePattern.Iso.Format(closure.Date), closure.Name, closure.Source,
            closure.IsWholeDay ? null : closure.ClosedFrom!.Value.ToString("HH:mm", CultureInfo.InvariantCulture));
    }
}

public sealed record FilePreview(string Name, string Sha256, string From, string To, IReadOnlyList<ClosureView> Closures);

public sealed record YearView(string Id, string Name, string From, string To, IReadOnlyList<ClosureView> Closures);

/// <summary>
/// A department's policy as in force: kept in the service (<c>source</c> "service", with its calendar) or read from the
/// policy folder ("folder"); its working hours and scorecard people in the policy file's shape either way, so an edit
/// can start from them.
/// </summary>
public sealed record DepartmentView(
    string Name, string Source, string? Calendar, string? TimeZone, JsonElement? WorkingHours, DateTimeOffset? UpdatedAt, string? UpdatedBy,
    JsonElement? Scorecard);
