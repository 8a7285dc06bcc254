using BoundaryGuard.GraphSandbox.Protocol;
using BoundaryGuard.GraphSandbox.Storage;

namespace BoundaryGuard.GraphSandbox.Calendars;

/// <summary>
/// A create or PATCH body for an event: single-instance events (all-day or timed) with the properties closures and
/// meetings need. Everything is validated before the event is touched.
/// </summary>
internal sealed class EventChanges
{
    private static readonly HashSet<string> Applied = new(StringComparer.OrdinalIgnoreCase)
    {
        "subject", "body", "start", "end", "isAllDay", "showAs", "categories", "location", "sensitivity", "importance",
        "isReminderOn", "reminderMinutesBeforeStart", "attendees",
    };

    // Read-only or server-assigned; Graph ignores them in a body. recurrence is checked on its own: null is fine.
    private static readonly HashSet<string> Ignored = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "createdDateTime", "lastModifiedDateTime", "changeKey", "iCalUId", "originalStartTimeZone",
        "originalEndTimeZone", "bodyPreview", "webLink", "isOrganizer", "organizer", "type", "seriesMasterId",
        "responseStatus", "hasAttachments", "isCancelled", "isDraft", "hideAttendees", "allowNewTimeProposals",
        "responseRequested", "isOnlineMeeting", "onlineMeetingProvider", "onlineMeeting", "onlineMeetingUrl",
        "locations", "transactionId", "originalStart", "recurrence",
    };

    private static readonly HashSet<string> Unsupported = new(StringComparer.OrdinalIgnoreCase)
    {
        "attachments", "extensions", "singleValueExtendedProperties", "multiValueExtendedProperties", "instances",
        "exceptionOccurrences", "cancelledOccurrences",
    };

    private static readonly HashSet<string> Known = [.. Applied, .. Ignored];

    private EventChanges(GraphPayload payload)
    {
        payload.RequireKnown(Known, Unsupported);
        if (payload.Object("recurrence") is not null)
        {
            throw GraphException.BodyRead("Recurring events are not supported by the sandbox: create one event per occurrence.");
        }

        Subject = payload.String("subject");
        if (payload.Object("body") is { } body)
        {
            var type = body.String("contentType") ?? "text";
            BodyContentType = type.Equals("html", StringComparison.OrdinalIgnoreCase) ? "html"
                : type.Equals("text", StringComparison.OrdinalIgnoreCase) || type.Length == 0 ? "text"
                : throw GraphException.BodyRead($"The value '{type}' is not valid for the enum type 'microsoft.graph.bodyType'.");
            BodyContent = body.String("content") ?? "";
        }

        Start = DateTimeTimeZone(payload, "start");
        End = DateTimeTimeZone(payload, "end");
        IsAllDay = payload.Bool("isAllDay");
        ShowAs = Enum(payload.String("showAs"), "freeBusyStatus", "free", "tentative", "busy", "oof", "workingElsewhere", "unknown");
        Sensitivity = Enum(payload.String("sensitivity"), "sensitivity", "normal", "personal", "private", "confidential");
        Importance = Enum(payload.String("importance"), "importance", "low", "normal", "high");
        Categories = payload.Strings("categories");
        Location = payload.Object("location")?.String("displayName");
        IsReminderOn = payload.Bool("isReminderOn");
        ReminderMinutesBeforeStart = payload.Int("reminderMinutesBeforeStart");
        Attendees = payload.Objects("attendees")?.Select(Attendee).ToList();
    }

    public string? Subject { get; }
    public string? BodyContentType { get; }
    public string? BodyContent { get; }
    public (string Local, string Zone)? Start { get; }
    public (string Local, string Zone)? End { get; }
    public bool? IsAllDay { get; }
    public string? ShowAs { get; }
    public string? Sensitivity { get; }
    public string? Importance { get; }
    public IReadOnlyList<string>? Categories { get; }
    public string? Location { get; }
    public bool? IsReminderOn { get; }
    public int? ReminderMinutesBeforeStart { get; }
    public List<AttendeeRecord>? Attendees { get; }

    public static async Task<EventChanges> ReadAsync(HttpRequest request) =>
        new(await GraphPayload.ReadAsync(request, "microsoft.graph.event").ConfigureAwait(false));

    /// <summary>
    /// Applies the changes to <paramref name="target"/> (a new event, or a copy of the stored one for a PATCH, so a
    /// failed check leaves the stored event untouched) and checks the result: start and end given, end after start,
    /// an all-day event from midnight to midnight.
    /// </summary>
    public void ApplyTo(EventRecord target)
    {
        target.Subject = Subject ?? target.Subject;
        if (BodyContentType is not null)
        {
            target.BodyContentType = BodyContentType;
            target.BodyContent = BodyContent ?? "";
        }

        if (Start is { } start)
        {
            (target.StartLocal, target.StartTimeZone) = start;
        }

        if (End is { } end)
        {
            (target.EndLocal, target.EndTimeZone) = end;
        }

        target.IsAllDay = IsAllDay ?? target.IsAllDay;
        target.ShowAs = ShowAs ?? target.ShowAs;
        target.Sensitivity = Sensitivity ?? target.Sensitivity;
        target.Importance = Importance ?? target.Importance;
        if (Categories is not null)
        {
            target.Categories.Clear();
            target.Categories.AddRange(Categories);
        }

        target.LocationDisplayName = Location ?? target.LocationDisplayName;
        target.IsReminderOn = IsReminderOn ?? target.IsReminderOn;
        target.ReminderMinutesBeforeStart = ReminderMinutesBeforeStart ?? target.ReminderMinutesBeforeStart;
        if (Attendees is not null)
        {
            target.Attendees.Clear();
            target.Attendees.AddRange(Attendees);
        }

        if (target.StartLocal.Length == 0 || target.EndLocal.Length == 0)
        {
            throw new GraphException(StatusCodes.Status400BadRequest, "ErrorInvalidRequest", "An event needs both start and end.");
        }

        var startLocal = SandboxTimeZones.StoredLocal(target.StartLocal);
        var endLocal = SandboxTimeZones.StoredLocal(target.EndLocal);
        target.StartUtc = SandboxTimeZones.ToInstant(startLocal, SandboxTimeZones.Find(target.StartTimeZone)!);
        target.EndUtc = SandboxTimeZones.ToInstant(endLocal, SandboxTimeZones.Find(target.EndTimeZone)!);
        if (target.IsAllDay && (startLocal.TimeOfDay != TimeSpan.Zero || endLocal.TimeOfDay != TimeSpan.Zero || endLocal.Date <= startLocal.Date))
        {
            throw new GraphException(StatusCodes.Status400BadRequest, "ErrorPropertyValidationFailure",
                "An all-day event must start and end at midnight and last at least one day.");
        }

        if (target.EndUtc < target.StartUtc)
        {
            throw new GraphException(StatusCodes.Status400BadRequest, "ErrorCalendarEndDateIsEarlierThanStartDate",
                "The end date occurs before the start date.");
        }
    }

    private static (string, string)? DateTimeTimeZone(GraphPayload payload, string name)
    {
        if (payload.Object(name) is not { } value)
        {
            return null;
        }

        var text = value.RequiredString("dateTime");
        var zone = value.String("timeZone") ?? "UTC";
        if (!SandboxTimeZones.TryParseLocal(text, out var local))
        {
            throw GraphException.BodyRead($"Cannot convert the literal '{text}' of {name}.dateTime to a local date and time (yyyy-MM-ddTHH:mm:ss, no offset).");
        }

        if (SandboxTimeZones.Find(zone) is null)
        {
            throw new GraphException(StatusCodes.Status400BadRequest, "TimeZoneNotSupportedException",
                $"A valid TimeZone value must be specified. The following TimeZone value is not supported: '{zone}'.");
        }

        return (local.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture).TrimEnd('.'), zone);
    }

    private static AttendeeRecord Attendee(GraphPayload item)
    {
        var address = item.Object("emailAddress")?.String("address");
        if (string.IsNullOrWhiteSpace(address))
        {
            throw GraphException.BodyRead("Each attendee needs emailAddress.address.");
        }

        return new AttendeeRecord
        {
            Address = address.Trim(),
            Name = item.Object("emailAddress")?.String("name"),
            Type = Enum(item.String("type"), "attendeeType", "required", "optional", "resource") ?? "required",
        };
    }

    private static string? Enum(string? value, string enumName, params string[] allowed)
    {
        if (value is null)
        {
            return null;
        }

        return allowed.FirstOrDefault(a => a.Equals(value, StringComparison.OrdinalIgnoreCase))
            ?? throw GraphException.BodyRead($"The value '{value}' is not valid for the enum type 'microsoft.graph.{enumName}'.");
    }
}
