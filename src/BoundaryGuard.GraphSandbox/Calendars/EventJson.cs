using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Messages;
using BoundaryGuard.GraphSandbox.Protocol;
using BoundaryGuard.GraphSandbox.Storage;
using NodaTime;

namespace BoundaryGuard.GraphSandbox.Calendars;

/// <summary>Events and calendars as Graph v1.0 writes them (corpus calendars-list, calendarview-*, event-create-*).</summary>
internal static class EventJson
{
    public static readonly HashSet<string> Properties = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "createdDateTime", "lastModifiedDateTime", "changeKey", "categories", "transactionId",
        "originalStartTimeZone", "originalEndTimeZone", "iCalUId", "reminderMinutesBeforeStart", "isReminderOn",
        "hasAttachments", "subject", "bodyPreview", "importance", "sensitivity", "isAllDay", "isCancelled", "isDraft",
        "isOrganizer", "responseRequested", "seriesMasterId", "showAs", "type", "webLink", "onlineMeetingUrl",
        "isOnlineMeeting", "onlineMeetingProvider", "allowNewTimeProposals", "hideAttendees", "responseStatus", "body",
        "start", "end", "location", "locations", "recurrence", "attendees", "organizer", "onlineMeeting",
    };

    /// <summary>
    /// One event, times in <paramref name="zoneName"/> (UTC unless <c>Prefer: outlook.timezone</c>). An all-day event
    /// is a span of dates, not instants: its midnights are written as they are in whatever zone is asked for.
    /// </summary>
    public static JsonObject Build(EventRecord item, UserRecord owner, string zoneName, DateTimeZone zone, IReadOnlyList<string>? select)
    {
        var changeKey = SandboxIds.ChangeKey(item.Sequence);
        var json = new JsonObject
        {
            ["@odata.etag"] = GraphJson.ETag(changeKey),
            ["id"] = item.Id,
            ["createdDateTime"] = GraphJson.Ticks(item.CreatedDateTime),
            ["lastModifiedDateTime"] = GraphJson.Ticks(item.LastModifiedDateTime),
            ["changeKey"] = changeKey,
            ["categories"] = new JsonArray([.. item.Categories.Select(c => (JsonNode)c)]),
            ["transactionId"] = null,
            ["originalStartTimeZone"] = item.StartTimeZone,
            ["originalEndTimeZone"] = item.EndTimeZone,
            ["iCalUId"] = item.ICalUId,
            ["reminderMinutesBeforeStart"] = item.ReminderMinutesBeforeStart,
            ["isReminderOn"] = item.IsReminderOn,
            ["hasAttachments"] = false,
            ["subject"] = item.Subject,
            ["bodyPreview"] = item.BodyContent.Length <= 255 ? item.BodyContent : item.BodyContent[..255],
            ["importance"] = item.Importance,
            ["sensitivity"] = item.Sensitivity,
            ["isAllDay"] = item.IsAllDay,
            ["isCancelled"] = false,
            ["isDraft"] = false,
            ["isOrganizer"] = true,
            ["responseRequested"] = true,
            ["seriesMasterId"] = null,
            ["showAs"] = item.ShowAs,
            ["type"] = "singleInstance",
            ["webLink"] = $"https://outlook.office365.com/owa/?itemid={Uri.EscapeDataString(item.Id)}&exvsurl=1&path=/calendar/item",
            ["onlineMeetingUrl"] = null,
            ["isOnlineMeeting"] = false,
            ["onlineMeetingProvider"] = "unknown",
            ["allowNewTimeProposals"] = true,
            ["hideAttendees"] = false,
            ["responseStatus"] = new JsonObject { ["response"] = "organizer", ["time"] = "0001-01-01T00:00:00Z" },
            ["body"] = new JsonObject { ["contentType"] = item.BodyContentType, ["content"] = item.BodyContent },
            ["start"] = When(item.IsAllDay, item.StartLocal, item.StartUtc, zoneName, zone),
            ["end"] = When(item.IsAllDay, item.EndLocal, item.EndUtc, zoneName, zone),
            ["location"] = Location(item.LocationDisplayName),
            ["locations"] = item.LocationDisplayName.Length == 0
                ? new JsonArray()
                : new JsonArray(new JsonObject { ["displayName"] = item.LocationDisplayName, ["locationType"] = "default", ["uniqueIdType"] = "unknown" }),
            ["recurrence"] = null,
            ["attendees"] = new JsonArray([.. item.Attendees.Select(a => (JsonNode)new JsonObject
            {
                ["type"] = a.Type,
                ["status"] = new JsonObject { ["response"] = "none", ["time"] = "0001-01-01T00:00:00Z" },
                ["emailAddress"] = new JsonObject { ["name"] = a.Name ?? a.Address, ["address"] = a.Address },
            })]),
            ["organizer"] = MessageJson.Recipient(new RecipientRecord { Address = owner.Mail, Name = owner.DisplayName }),
            ["onlineMeeting"] = null,
        };
        // Graph answers $select=location with locations as well (corpus events-list-prefer-timezone.response.json).
        if (select is not null && select.Contains("location", StringComparer.OrdinalIgnoreCase))
        {
            select = [.. select, "locations"];
        }

        return Selection.Apply(json, select);
    }

    public static JsonObject Calendar(HttpContext context, CalendarRecord calendar, UserRecord owner) => new()
    {
        ["@odata.id"] = $"{GraphJson.Base(context)}/v1.0/users('{owner.Id}')/calendars('{calendar.Id}')",
        ["id"] = calendar.Id,
        ["name"] = calendar.Name,
        ["color"] = calendar.Color,
        ["hexColor"] = "",
        ["isDefaultCalendar"] = calendar.IsDefault,
        ["changeKey"] = SandboxIds.ChangeKey(calendar.Sequence),
        ["canShare"] = true,
        ["canViewPrivateItems"] = true,
        ["canEdit"] = true,
        ["allowedOnlineMeetingProviders"] = new JsonArray("teamsForBusiness"),
        ["defaultOnlineMeetingProvider"] = "teamsForBusiness",
        ["isTallyingResponses"] = true,
        ["isRemovable"] = !calendar.IsDefault,
        ["owner"] = new JsonObject { ["name"] = owner.DisplayName, ["address"] = owner.Mail },
    };

    private static JsonObject When(bool allDay, string local, DateTimeOffset instant, string zoneName, DateTimeZone zone)
    {
        var shown = allDay ? SandboxTimeZones.StoredLocal(local) : SandboxTimeZones.ToLocal(instant, zone);
        return new JsonObject { ["dateTime"] = GraphJson.Local(shown), ["timeZone"] = zoneName };
    }

    private static JsonObject Location(string displayName) => displayName.Length == 0
        ? new JsonObject
        {
            ["displayName"] = "",
            ["locationType"] = "default",
            ["uniqueIdType"] = "unknown",
            ["address"] = new JsonObject(),
            ["coordinates"] = new JsonObject(),
        }
        : new JsonObject
        {
            ["displayName"] = displayName,
            ["locationType"] = "default",
            ["uniqueId"] = displayName,
            ["uniqueIdType"] = "private",
        };
}
