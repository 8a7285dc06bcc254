using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Protocol;
using BoundaryGuard.GraphSandbox.Storage;

namespace BoundaryGuard.GraphSandbox.Users;

/// <summary><c>GET .../mailboxSettings</c> and its parts, in the shapes of the corpus mailboxsettings-*.json.</summary>
internal static class MailboxSettingsApi
{
    public static IEndpointRouteBuilder MapMailboxSettings(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1.0/users/{user}/mailboxSettings", (HttpContext context, string user, SandboxStore store, TimeProvider clock) =>
        {
            ODataQuery.Parse(context.Request, "$select");
            var (record, mailbox) = store.Read(state => UserLookup.Mailbox(state, user));
            var now = clock.GetUtcNow();
            var body = new JsonObject
            {
                ["@odata.context"] = GraphJson.Context(context, $"users('{record.Id}')/mailboxSettings"),
                ["archiveFolder"] = mailbox.WellKnown("archive").Id,
                ["timeZone"] = mailbox.TimeZone,
                ["automaticRepliesSetting"] = new JsonObject
                {
                    ["status"] = "disabled",
                    ["externalAudience"] = "all",
                    ["scheduledStartDateTime"] = new JsonObject { ["dateTime"] = GraphJson.Local(now.UtcDateTime), ["timeZone"] = "UTC" },
                    ["scheduledEndDateTime"] = new JsonObject { ["dateTime"] = GraphJson.Local(now.UtcDateTime.AddDays(1)), ["timeZone"] = "UTC" },
                    ["internalReplyMessage"] = "",
                    ["externalReplyMessage"] = "",
                },
                ["language"] = new JsonObject { ["locale"] = "en-US", ["displayName"] = "English (United States)" },
                ["workingHours"] = WorkingHours(mailbox.WorkingHours),
                ["dateFormat"] = "M/d/yyyy",
                ["timeFormat"] = "h:mm tt",
                ["delegateMeetingMessageDeliveryOptions"] = "sendToDelegateOnly",
                ["userPurpose"] = mailbox.IsShared ? "shared" : "user",
            };
            return GraphJson.Ok(body);
        });

        endpoints.MapGet("/v1.0/users/{user}/mailboxSettings/workingHours", (HttpContext context, string user, SandboxStore store) =>
        {
            ODataQuery.Parse(context.Request);
            var (record, mailbox) = store.Read(state => UserLookup.Mailbox(state, user));
            var body = WorkingHours(mailbox.WorkingHours);
            body["@odata.context"] = GraphJson.Context(context, $"users('{record.Id}')/mailboxSettings/workingHours");
            return GraphJson.Ok(Annotations.First(body));
        });

        endpoints.MapGet("/v1.0/users/{user}/mailboxSettings/timeZone", (HttpContext context, string user, SandboxStore store) =>
        {
            ODataQuery.Parse(context.Request);
            var (record, mailbox) = store.Read(state => UserLookup.Mailbox(state, user));
            return GraphJson.Ok(new JsonObject
            {
                ["@odata.context"] = GraphJson.Context(context, $"users('{record.Id}')/mailboxSettings/timeZone"),
                ["value"] = mailbox.TimeZone,
            });
        });
        return endpoints;
    }

    public static JsonObject WorkingHours(WorkingHoursRecord hours)
    {
        JsonObject zone;
        if (hours.CustomTimeZone is { } custom)
        {
            zone = new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.customTimeZone",
                ["bias"] = custom.Bias,
                ["name"] = hours.TimeZoneName,
                ["standardOffset"] = Transition(custom.StandardOffset),
                ["daylightOffset"] = Transition(custom.DaylightOffset),
            };
        }
        else
        {
            zone = new JsonObject { ["name"] = hours.TimeZoneName };
        }

        return new JsonObject
        {
            ["daysOfWeek"] = new JsonArray([.. hours.DaysOfWeek.Select(d => (JsonNode)d)]),
            ["startTime"] = hours.StartTime,
            ["endTime"] = hours.EndTime,
            ["timeZone"] = zone,
        };
    }

    private static JsonObject Transition(TransitionRecord transition)
    {
        var json = new JsonObject();
        if (transition.DaylightBias is { } daylightBias)
        {
            json["daylightBias"] = daylightBias;
        }

        json["time"] = transition.Time;
        json["dayOccurrence"] = transition.DayOccurrence;
        json["dayOfWeek"] = transition.DayOfWeek;
        json["month"] = transition.Month;
        json["year"] = transition.Year;
        return json;
    }
}
