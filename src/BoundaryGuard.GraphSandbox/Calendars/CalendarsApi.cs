using System.Globalization;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Protocol;
using BoundaryGuard.GraphSandbox.Storage;
using BoundaryGuard.GraphSandbox.Users;
using NodaTime;

namespace BoundaryGuard.GraphSandbox.Calendars;

/// <summary>
/// Calendars and single-instance events: list calendars, calendarView over a window (paged), and create, update and
/// delete events, so tests can add, move and remove closures. <c>/calendar</c> and <c>/users/{id}/events</c> mean the
/// default calendar; by-id event operations under <c>/users/{id}/events/{eventId}</c> find the event in any calendar.
/// </summary>
internal static class CalendarsApi
{
    private const int DefaultPageSize = 10;

    public static IEndpointRouteBuilder MapCalendars(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1.0/users/{user}/calendars", ListCalendars);
        endpoints.MapGet("/v1.0/users/{user}/calendars/{calendar}", GetCalendar);
        endpoints.MapGet("/v1.0/users/{user}/calendar", GetCalendar);

        foreach (var scope in new[] { "/v1.0/users/{user}/calendars/{calendar}", "/v1.0/users/{user}/calendar", "/v1.0/users/{user}" })
        {
            endpoints.MapGet(scope + "/calendarView", CalendarView);
            endpoints.MapGet(scope + "/events", ListEvents);
            endpoints.MapPost(scope + "/events", CreateEventAsync);
            endpoints.MapGet(scope + "/events/{eventId}", GetEvent);
            endpoints.MapPatch(scope + "/events/{eventId}", UpdateEventAsync);
            endpoints.MapDelete(scope + "/events/{eventId}", DeleteEvent);
        }

        return endpoints;
    }

    private static IResult ListCalendars(HttpContext context, string user, SandboxStore store)
    {
        ODataQuery.Parse(context.Request, "$top");
        var (userId, calendars) = store.Read(state =>
        {
            var (record, mailbox) = UserLookup.Mailbox(state, user);
            return (record.Id, mailbox.Calendars.Select(c => EventJson.Calendar(context, c, record)).ToList());
        });
        return GraphJson.Ok(new JsonObject
        {
            ["@odata.context"] = GraphJson.Context(context, $"users('{userId}')/calendars"),
            ["value"] = new JsonArray([.. calendars]),
        });
    }

    private static IResult GetCalendar(HttpContext context, string user, string? calendar, SandboxStore store)
    {
        ODataQuery.Parse(context.Request);
        var json = store.Read(state =>
        {
            var (record, mailbox) = UserLookup.Mailbox(state, user);
            var json = EventJson.Calendar(context, FindCalendar(mailbox, calendar), record);
            json["@odata.context"] = GraphJson.Context(context, $"users('{record.Id}')/calendars/$entity");
            return json;
        });
        return GraphJson.Ok(Annotations.First(json));
    }

    private static IResult CalendarView(HttpContext context, string user, string? calendar, SandboxStore store)
    {
        var query = ODataQuery.Parse(context.Request, "$select", "$top", "$skip", "$orderby");
        query.RequireKnownSelect(EventJson.Properties, "microsoft.graph.event");
        RequireStartOrder(context.Request);
        var start = WindowBound(context.Request, "startDateTime");
        var end = WindowBound(context.Request, "endDateTime");
        var (zoneName, zone) = OutputZone(context);
        return Page(context, query, store, user, calendar, e => e.StartUtc < end && e.EndUtc > start, zoneName, zone);
    }

    private static IResult ListEvents(HttpContext context, string user, string? calendar, SandboxStore store)
    {
        var query = ODataQuery.Parse(context.Request, "$select", "$top", "$skip", "$orderby");
        query.RequireKnownSelect(EventJson.Properties, "microsoft.graph.event");
        RequireStartOrder(context.Request);
        var (zoneName, zone) = OutputZone(context);
        return Page(context, query, store, user, calendar, _ => true, zoneName, zone);
    }

    private static IResult Page(HttpContext context, ODataQuery query, SandboxStore store, string user, string? calendar,
        Func<EventRecord, bool> include, string zoneName, DateTimeZone zone)
    {
        var top = Math.Clamp(query.Top ?? PreferHeader.MaxPageSize(context.Request) ?? DefaultPageSize, 1, 1000);
        var skip = query.Skip ?? 0;
        var (userId, page, total) = store.Read(state =>
        {
            var (record, mailbox) = UserLookup.Mailbox(state, user);
            var calendarRecord = FindCalendar(mailbox, calendar);
            var events = mailbox.Events.Values
                .Where(e => e.CalendarId == calendarRecord.Id && include(e))
                .OrderBy(e => e.StartUtc).ThenBy(e => e.Id, StringComparer.Ordinal)
                .ToList();
            return (record.Id, events.Skip(skip).Take(top).Select(e => EventJson.Build(e, record, zoneName, zone, query.Select)).ToList(), events.Count);
        });
        return GraphJson.Page(context, $"users('{userId}')/events", page, skip, top, total);
    }

    private static async Task<IResult> CreateEventAsync(HttpContext context, string user, string? calendar, SandboxStore store, TimeProvider clock)
    {
        var changes = await EventChanges.ReadAsync(context.Request).ConfigureAwait(false);
        var (zoneName, zone) = OutputZone(context);
        var json = store.Write(state =>
        {
            var (record, mailbox) = UserLookup.Mailbox(state, user);
            var calendarRecord = FindCalendar(mailbox, calendar);
            var now = clock.GetUtcNow();
            var created = new EventRecord
            {
                Id = SandboxIds.NewEventId(),
                CalendarId = calendarRecord.Id,
                ICalUId = SandboxIds.ICalUId(),
                CreatedDateTime = now,
                LastModifiedDateTime = now,
            };
            changes.ApplyTo(created);
            created.Sequence = state.NextSequence();
            mailbox.Events[created.Id] = created;
            var json = EventJson.Build(created, record, zoneName, zone, null);
            json["@odata.context"] = GraphJson.Context(context, $"users('{record.Id}')/events/$entity");
            return json;
        });
        return GraphJson.Created(Annotations.First(json));
    }

    private static IResult GetEvent(HttpContext context, string user, string? calendar, string eventId, SandboxStore store)
    {
        var query = ODataQuery.Parse(context.Request, "$select");
        query.RequireKnownSelect(EventJson.Properties, "microsoft.graph.event");
        var (zoneName, zone) = OutputZone(context);
        var json = store.Read(state =>
        {
            var (record, mailbox) = UserLookup.Mailbox(state, user);
            var json = EventJson.Build(FindEvent(mailbox, calendar, eventId), record, zoneName, zone, query.Select);
            json["@odata.context"] = GraphJson.Context(context, $"users('{record.Id}')/events/$entity");
            return json;
        });
        return GraphJson.Ok(Annotations.First(json));
    }

    private static async Task<IResult> UpdateEventAsync(HttpContext context, string user, string? calendar, string eventId, SandboxStore store, TimeProvider clock)
    {
        var changes = await EventChanges.ReadAsync(context.Request).ConfigureAwait(false);
        var (zoneName, zone) = OutputZone(context);
        var json = store.Write(state =>
        {
            var (record, mailbox) = UserLookup.Mailbox(state, user);
            var existing = FindEvent(mailbox, calendar, eventId);

            // Changed on a copy and swapped in, so a PATCH that fails its checks leaves the stored event as it was.
            var updated = Copy(existing);
            changes.ApplyTo(updated);
            updated.LastModifiedDateTime = clock.GetUtcNow();
            updated.Sequence = state.NextSequence();
            mailbox.Events[updated.Id] = updated;
            var json = EventJson.Build(updated, record, zoneName, zone, null);
            json["@odata.context"] = GraphJson.Context(context, $"users('{record.Id}')/events/$entity");
            return json;
        });
        return GraphJson.Ok(Annotations.First(json));
    }

    private static IResult DeleteEvent(string user, string? calendar, string eventId, SandboxStore store)
    {
        store.Write(state =>
        {
            var (_, mailbox) = UserLookup.Mailbox(state, user);
            mailbox.Events.Remove(FindEvent(mailbox, calendar, eventId).Id);
            return true;
        });
        return GraphJson.Empty(StatusCodes.Status204NoContent);
    }

    private static CalendarRecord FindCalendar(MailboxRecord mailbox, string? calendar) =>
        calendar is null
            ? mailbox.DefaultCalendar()
            : mailbox.Calendars.FirstOrDefault(c => string.Equals(c.Id, calendar, StringComparison.Ordinal)) ?? throw GraphException.ItemNotFound();

    /// <summary>By id; under a calendar path the event must be in that calendar, under /users/{id}/events in any.</summary>
    private static EventRecord FindEvent(MailboxRecord mailbox, string? calendar, string eventId)
    {
        if (!mailbox.Events.TryGetValue(eventId, out var found))
        {
            throw GraphException.ItemNotFound();
        }

        return calendar is null || found.CalendarId == FindCalendar(mailbox, calendar).Id ? found : throw GraphException.ItemNotFound();
    }

    private static EventRecord Copy(EventRecord e)
    {
        var copy = new EventRecord
        {
            Id = e.Id, CalendarId = e.CalendarId, ICalUId = e.ICalUId, CreatedDateTime = e.CreatedDateTime,
            LastModifiedDateTime = e.LastModifiedDateTime, Subject = e.Subject, BodyContentType = e.BodyContentType,
            BodyContent = e.BodyContent, StartLocal = e.StartLocal, StartTimeZone = e.StartTimeZone, EndLocal = e.EndLocal,
            EndTimeZone = e.EndTimeZone, StartUtc = e.StartUtc, EndUtc = e.EndUtc, IsAllDay = e.IsAllDay, ShowAs = e.ShowAs,
            Importance = e.Importance, Sensitivity = e.Sensitivity, LocationDisplayName = e.LocationDisplayName,
            IsReminderOn = e.IsReminderOn, ReminderMinutesBeforeStart = e.ReminderMinutesBeforeStart, Sequence = e.Sequence,
        };
        copy.Categories.AddRange(e.Categories);
        copy.Attendees.AddRange(e.Attendees);
        return copy;
    }

    /// <summary>
    /// calendarView's window: an ISO date-time with an offset, or without one read as UTC (Graph's rule; the Prefer
    /// time zone does not apply to it). Missing: Graph's own 400.
    /// </summary>
    private static DateTimeOffset WindowBound(HttpRequest request, string name)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            throw new GraphException(StatusCodes.Status400BadRequest, "ErrorInvalidParameter",
                "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.");
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new GraphException(StatusCodes.Status400BadRequest, "ErrorInvalidParameter", $"The value '{text}' of {name} is not a valid date and time.");
    }

    /// <summary>Events are listed by start already; the one order a client may ask for is that one.</summary>
    private static void RequireStartOrder(HttpRequest request)
    {
        var order = request.Query["$orderby"].ToString().Trim();
        if (order.Length > 0 && !order.Equals("start/dateTime", StringComparison.OrdinalIgnoreCase) && !order.Equals("start/dateTime asc", StringComparison.OrdinalIgnoreCase))
        {
            throw GraphException.BadQuery($"The sandbox orders events by start/dateTime only, not '{order}'.");
        }
    }

    /// <summary><c>Prefer: outlook.timezone="..."</c>, or UTC; an unknown zone is ignored (not applied), as a preference may be.</summary>
    private static (string Name, DateTimeZone Zone) OutputZone(HttpContext context)
    {
        var preferred = PreferHeader.Get(context.Request, "outlook.timezone");
        if (preferred is not null && SandboxTimeZones.Find(preferred) is { } zone)
        {
            context.Response.Headers["Preference-Applied"] = $"outlook.timezone=\"{preferred}\"";
            return (preferred, zone);
        }

        return ("UTC", DateTimeZone.Utc);
    }
}
