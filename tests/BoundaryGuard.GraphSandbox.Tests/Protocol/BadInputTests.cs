using System.Net;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Seed;

namespace BoundaryGuard.GraphSandbox.Tests.Protocol;

/// <summary>Every bad input the sandbox knows of is a 4xx in Graph's error shape; none reaches the 500 catch-all.</summary>
public sealed class BadInputTests
{
    private const string ExtendedId = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Hold";
    private const string Window = "startDateTime=2026-11-01T00:00:00Z&endDateTime=2026-12-01T00:00:00Z";
    private const string Event = "{\"subject\":\"x\",\"start\":{\"dateTime\":\"2026-12-02T10:00:00\",\"timeZone\":\"Eastern Standard Time\"},\"end\":{\"dateTime\":\"2026-12-02T11:00:00\",\"timeZone\":\"Eastern Standard Time\"}";

    private static readonly object[] Cases =
    [
        new object[] { "POST", "messages", "{not json", 400 },
        new object[] { "POST", "messages", "[1,2]", 400 },
        new object[] { "POST", "messages", "", 400 },
        new object[] { "POST", "messages", "\"text\"", 400 },
        new object[] { "POST", "messages", "{\"subject\":5}", 400 },
        new object[] { "POST", "messages", "{\"toRecipients\":\"x\"}", 400 },
        new object[] { "POST", "messages", "{\"toRecipients\":[5]}", 400 },
        new object[] { "POST", "messages", "{\"toRecipients\":[{\"emailAddress\":{}}]}", 400 },
        new object[] { "POST", "messages", "{\"toRecipients\":[{\"emailAddress\":{\"address\":7}}]}", 400 },
        new object[] { "POST", "messages", "{\"categories\":[1]}", 400 },
        new object[] { "POST", "messages", "{\"isRead\":\"yes\"}", 400 },
        new object[] { "POST", "messages", "{\"importance\":\"urgent\"}", 400 },
        new object[] { "POST", "messages", "{\"body\":{\"contentType\":\"pdf\",\"content\":\"x\"}}", 400 },
        new object[] { "POST", "messages", "{\"body\":\"x\"}", 400 },
        new object[] { "POST", "messages", "{\"nonsense\":1}", 400 },
        new object[] { "POST", "messages", "{\"attachments\":[]}", 400 },
        new object[] { "POST", "messages", "{\"singleValueExtendedProperties\":[{\"id\":\"bogus\",\"value\":\"x\"}]}", 400 },
        new object[] { "POST", "messages", "{\"singleValueExtendedProperties\":[{\"id\":\"" + ExtendedId + "\",\"value\":5}]}", 400 },
        new object[] { "POST", "messages", "{\"singleValueExtendedProperties\":[{\"value\":\"x\"}]}", 400 },
        new object[] { "POST", "messages", "{\"internetMessageHeaders\":[{\"name\":\"Subject\",\"value\":\"x\"}]}", 400 },
        new object[] { "POST", "messages", "{\"flag\":{\"flagStatus\":\"maybe\"}}", 400 },
        new object[] { "GET", "messages/AAMkAGmissing", null!, 404 },
        new object[] { "PATCH", "messages/AAMkAGmissing", "{}", 404 },
        new object[] { "DELETE", "messages/AAMkAGmissing", null!, 404 },
        new object[] { "POST", "messages/AAMkAGmissing/send", null!, 404 },
        new object[] { "POST", "messages/AAMkAGmissing/move", "{\"destinationId\":\"inbox\"}", 404 },
        new object[] { "PATCH", "messages/{draft}", "{\"subject\":null,\"toRecipients\":{}}", 400 },
        new object[] { "PATCH", "messages/{draft}", "{not json", 400 },
        new object[] { "POST", "messages/{sent}/send", null!, 400 },
        new object[] { "PATCH", "messages/{sent}", "{\"subject\":\"x\"}", 400 },
        new object[] { "PATCH", "messages/{sent}", "{\"toRecipients\":[]}", 400 },
        new object[] { "POST", "messages/{norecipients}/send", null!, 400 },
        new object[] { "POST", "messages/{badrecipient}/send", null!, 400 },
        new object[] { "POST", "messages/{draft}/move", "{}", 400 },
        new object[] { "POST", "messages/{draft}/move", "{\"destinationId\":5}", 400 },
        new object[] { "POST", "messages/{draft}/move", "{\"destinationId\":\"nope\"}", 404 },
        new object[] { "POST", "messages/{draft}/move", "{\"destinationId\":\"msgfolderroot\"}", 400 },
        new object[] { "POST", "messages/{draft}/move", "{\"destinationId\":\"inbox\",\"extra\":1}", 400 },
        new object[] { "GET", "messages?$top=abc", null!, 400 },
        new object[] { "GET", "messages?$top=-1", null!, 400 },
        new object[] { "GET", "messages?$top=1&$top=2", null!, 400 },
        new object[] { "GET", "messages?$select=nonsense", null!, 400 },
        new object[] { "GET", "messages?$orderby=subject", null!, 400 },
        new object[] { "GET", "messages?$filter=isDraft eq true", null!, 400 },
        new object[] { "GET", "messages/{draft}?$expand=attachments", null!, 400 },
        new object[] { "GET", "messages/{draft}?$expand=singleValueExtendedProperties($filter=name eq 'x')", null!, 400 },
        new object[] { "GET", "mailFolders/nope", null!, 404 },
        new object[] { "GET", "mailFolders/nope/messages", null!, 404 },
        new object[] { "GET", "mailFolders/nope/messages/delta", null!, 404 },
        new object[] { "GET", "mailFolders/drafts/messages/delta?$deltatoken=garbage", null!, 400 },
        new object[] { "GET", "mailFolders/drafts/messages/delta?$skiptoken=ZDEKeA", null!, 400 },
        new object[] { "GET", "mailFolders/drafts/messages/delta?changeType=created", null!, 400 },
        new object[] { "GET", "mailFolders?$filter=startswith(displayName,'a')", null!, 400 },
        new object[] { "POST", "mailFolders", "{}", 400 },
        new object[] { "POST", "mailFolders", "{\"displayName\":7}", 400 },
        new object[] { "POST", "mailFolders", "{\"displayName\":\"Inbox\"}", 409 },
        new object[] { "POST", "mailFolders", "{\"displayName\":\"x\",\"color\":\"red\"}", 400 },
        new object[] { "GET", "calendar/calendarView", null!, 400 },
        new object[] { "GET", "calendar/calendarView?startDateTime=soon&endDateTime=later", null!, 400 },
        new object[] { "GET", "calendar/calendarView?" + Window + "&$orderby=subject", null!, 400 },
        new object[] { "GET", "calendars/nope/calendarView?" + Window, null!, 404 },
        new object[] { "GET", "calendars/nope", null!, 404 },
        new object[] { "POST", "events", "{\"subject\":\"x\"}", 400 },
        new object[] { "POST", "events", "{\"subject\":\"x\",\"start\":{\"dateTime\":\"2026-12-02T10:00:00\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\"2026-12-02T09:00:00\",\"timeZone\":\"UTC\"}}", 400 },
        new object[] { "POST", "events", "{\"start\":{\"dateTime\":\"2026-12-02T10:00:00\",\"timeZone\":\"Mars Standard Time\"},\"end\":{\"dateTime\":\"2026-12-02T11:00:00\",\"timeZone\":\"UTC\"}}", 400 },
        new object[] { "POST", "events", "{\"isAllDay\":true,\"start\":{\"dateTime\":\"2026-12-02T10:00:00\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\"2026-12-03T10:00:00\",\"timeZone\":\"UTC\"}}", 400 },
        new object[] { "POST", "events", "{\"start\":{\"dateTime\":\"tomorrow\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\"2026-12-03T10:00:00\",\"timeZone\":\"UTC\"}}", 400 },
        new object[] { "POST", "events", "{\"start\":{\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\"2026-12-03T10:00:00\",\"timeZone\":\"UTC\"}}", 400 },
        new object[] { "POST", "events", Event + ",\"recurrence\":{\"pattern\":{\"type\":\"daily\"}}}", 400 },
        new object[] { "POST", "events", Event + ",\"showAs\":\"asleep\"}", 400 },
        new object[] { "POST", "events", Event + ",\"reminderMinutesBeforeStart\":\"ten\"}", 400 },
        new object[] { "POST", "events", Event + ",\"attendees\":[{\"type\":\"required\"}]}", 400 },
        new object[] { "POST", "events", "{\"subject\":", 400 },
        new object[] { "PATCH", "events/AAMkAGEvtmissing", "{}", 404 },
        new object[] { "DELETE", "events/AAMkAGEvtmissing", null!, 404 },
        new object[] { "PUT", "messages", "{}", 400 },
        new object[] { "GET", "nothing/here", null!, 400 },
        new object[] { "GET", "mailboxSettings?$expand=x", null!, 400 },
    ];

    [TestCaseSource(nameof(Cases))]
    public async Task BadInput_IsGraphError4xx(string method, string path, string? body, int status)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var user = DemoInstitution.MedicineChair.UserPrincipalName;
        var resolved = await ResolveAsync(sandbox, user, path);

        using var response = body is null
            ? await sandbox.SendAsync(new HttpMethod(method), $"v1.0/users/{user}/{resolved}")
            : await sandbox.SendRawAsync(new HttpMethod(method), $"v1.0/users/{user}/{resolved}", body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.That((int)response.StatusCode, Is.EqualTo(status), text);
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.That(error["code"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(error["message"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(error["innerError"]!["request-id"]!.GetValue<string>(), Is.Not.Empty);
    }

    [TestCase("GET", "v1.0/users/nobody@med.example.edu", 404, "Request_ResourceNotFound")]
    [TestCase("GET", "v1.0/users/nobody@med.example.edu/messages", 404, "ErrorInvalidUser")]
    [TestCase("GET", "v1.0/users/nobody@med.example.edu/mailboxSettings/workingHours", 404, "ErrorInvalidUser")]
    [TestCase("POST", "v1.0/users/nobody@med.example.edu/messages/x/send", 404, "ErrorInvalidUser")]
    [TestCase("GET", "v1.0/users?$select=shoeSize", 400, "BadRequest")]
    public async Task UnknownUserOrProperty_IsGraphError(string method, string path, int status, string code)
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var error = await sandbox.ExpectAsync((HttpStatusCode)status, new HttpMethod(method), path);

        Assert.That(error!["error"]!["code"]!.GetValue<string>(), Is.EqualTo(code));
    }

    [Test]
    public async Task ErrorResponse_EchoesClientRequestId()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.SendAsync(HttpMethod.Get, "v1.0/users/nobody@med.example.edu/messages",
            adjust: r => r.Headers.Add("client-request-id", "7c2a4b2e-0000-4000-8000-000000000001"));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.That(error["innerError"]!["client-request-id"]!.GetValue<string>(), Is.EqualTo("7c2a4b2e-0000-4000-8000-000000000001"));
        Assert.That(response.Headers.GetValues("client-request-id"), Is.EqualTo(new[] { "7c2a4b2e-0000-4000-8000-000000000001" }));
    }

    private static async Task<string> ResolveAsync(TestSandbox sandbox, string user, string path)
    {
        var resident = DemoInstitution.MedicineResidentPgy1.UserPrincipalName;
        if (path.Contains("{draft}", StringComparison.Ordinal))
        {
            path = path.Replace("{draft}", (await sandbox.CreateDraftAsync(user, "d", resident))["id"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        if (path.Contains("{sent}", StringComparison.Ordinal))
        {
            var id = (await sandbox.CreateDraftAsync(user, "s", resident))["id"]!.GetValue<string>();
            await sandbox.SendDraftAsync(user, id);
            path = path.Replace("{sent}", id, StringComparison.Ordinal);
        }

        if (path.Contains("{norecipients}", StringComparison.Ordinal))
        {
            path = path.Replace("{norecipients}", (await sandbox.CreateDraftAsync(user, "n"))["id"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        if (path.Contains("{badrecipient}", StringComparison.Ordinal))
        {
            path = path.Replace("{badrecipient}", (await sandbox.CreateDraftAsync(user, "b", "not an address"))["id"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        return path;
    }
}
