using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Hosting;

namespace BoundaryGuard.Demo;

/// <summary>
/// The demo faculty's own mail clients: Outlook saving a draft, a phone sending one or moving it to "Send later".
/// They speak Graph to the embedded sandbox directly, as mail clients speak to Microsoft 365, with a client id of their
/// own; nothing here goes through BoundaryGuard's gateway. Errors name the operation and the status, never a mail.
/// </summary>
internal sealed class DemoMailClient(HttpClient http, RunningSandbox sandbox, TimeProvider clock)
{
    // The gateway's name for the folder, so both find the same one.
    private const string SendLaterFolder = Graph.Mailboxes.GraphMailboxGateway.SendLaterFolderName;

    // Tries of a throttled request, in all.
    private const int Attempts = 5;

    private readonly Dictionary<string, string> sendLaterFolders = new(StringComparer.OrdinalIgnoreCase);
    private string? token;
    private DateTimeOffset tokenExpires;

    public async Task<string> CreateDraftAsync(string mailbox, DemoLetter letter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letter);
        var message = new JsonObject
        {
            ["subject"] = letter.Subject,
            ["body"] = new JsonObject { ["contentType"] = "text", ["content"] = letter.Body },
            ["toRecipients"] = new JsonArray([.. letter.To.Select(address => (JsonNode)new JsonObject
            {
                ["emailAddress"] = new JsonObject { ["address"] = address },
            })]),
        };
        using var response = await CallAsync("save a draft", HttpMethod.Post, $"users/{Escape(mailbox)}/messages", message, cancellationToken)
            .ConfigureAwait(false);
        var created = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false);
        return created?["id"]?.GetValue<string>() ?? throw new DemoMailException("save a draft", response.StatusCode);
    }

    public async Task SendAsync(string mailbox, string messageId, CancellationToken cancellationToken)
    {
        using var response = await CallAsync("send a draft", HttpMethod.Post, $"users/{Escape(mailbox)}/messages/{Escape(messageId)}/send", null, cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task MoveToSendLaterAsync(string mailbox, string messageId, CancellationToken cancellationToken)
    {
        var folder = await SendLaterFolderAsync(mailbox, cancellationToken).ConfigureAwait(false);
        using var response = await CallAsync(
            "move a draft to Send later", HttpMethod.Post, $"users/{Escape(mailbox)}/messages/{Escape(messageId)}/move",
            new JsonObject { ["destinationId"] = folder }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How many Graph requests the sandbox is serving now, from any client (from its report, which needs no token).</summary>
    public async Task<long> RequestsInFlightAsync(CancellationToken cancellationToken)
    {
        var report = await http.GetFromJsonAsync<JsonObject>(new Uri(sandbox.BaseUrl, "sandbox/report"), cancellationToken).ConfigureAwait(false);
        return report?["mailboxes"]?.AsObject().Sum(mailbox => mailbox.Value?["inFlight"]?.GetValue<long>() ?? 0) ?? 0;
    }

    /// <summary>The folder a user makes once; BoundaryGuard's poller may have made it first.</summary>
    private async Task<string> SendLaterFolderAsync(string mailbox, CancellationToken cancellationToken)
    {
        if (sendLaterFolders.TryGetValue(mailbox, out var cached))
        {
            return cached;
        }

        var folder = await FindFolderAsync(mailbox, cancellationToken).ConfigureAwait(false);
        if (folder is null)
        {
            using var response = await CallAsync(
                "create the Send later folder", HttpMethod.Post, $"users/{Escape(mailbox)}/mailFolders",
                new JsonObject { ["displayName"] = SendLaterFolder }, cancellationToken, HttpStatusCode.Conflict).ConfigureAwait(false);
            folder = response.StatusCode == HttpStatusCode.Conflict
                ? await FindFolderAsync(mailbox, cancellationToken).ConfigureAwait(false)
                : (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false))?["id"]?.GetValue<string>();
        }

        return sendLaterFolders[mailbox] = folder ?? throw new DemoMailException("find the Send later folder", HttpStatusCode.NotFound);
    }

    private async Task<string?> FindFolderAsync(string mailbox, CancellationToken cancellationToken)
    {
        using var response = await CallAsync(
            "find the Send later folder", HttpMethod.Get,
            $"users/{Escape(mailbox)}/mailFolders?$filter={Uri.EscapeDataString($"displayName eq '{SendLaterFolder}'")}", null, cancellationToken)
            .ConfigureAwait(false);
        var found = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false);
        return found?["value"]?.AsArray().FirstOrDefault()?["id"]?.GetValue<string>();
    }

    private async Task<HttpResponseMessage> CallAsync(
        string operation, HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken, HttpStatusCode? alsoFine = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(sandbox.GraphBaseUrl, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(cancellationToken).ConfigureAwait(false));
            request.Headers.Add("Prefer", "IdType=\"ImmutableId\"");
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode || response.StatusCode == alsoFine)
            {
                return response;
            }

            var status = response.StatusCode;
            var retryAfter = response.Headers.RetryAfter?.Delta;
            response.Dispose();
            // The service shares each mailbox's limits with these clients (four requests at a time): wait as asked.
            if (status is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || attempt == Attempts)
            {
                throw new DemoMailException(operation, status);
            }

            // On the demo clock: the sandbox counts Retry-After on it, as Graph counts it on its own.
            await Task.Delay(retryAfter ?? TimeSpan.FromSeconds(1), clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (token is not null && clock.GetUtcNow() < tokenExpires)
        {
            return token;
        }

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "boundaryguard-demo-mail-clients",
            ["client_secret"] = "boundaryguard-demo",
            ["scope"] = "https://graph.microsoft.com/.default",
        });
        using var response = await http.PostAsync(sandbox.TokenEndpoint("demo"), form, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new DemoMailException("get a token", response.StatusCode);
        }

        var issued = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken).ConfigureAwait(false);
        token = issued?["access_token"]?.GetValue<string>() ?? throw new DemoMailException("get a token", response.StatusCode);
        // Renewed a minute early, so no request leaves with a token that expires on the way.
        tokenExpires = clock.GetUtcNow().AddSeconds((issued["expires_in"]?.GetValue<int>() ?? 0) - 60);
        return token;
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}

/// <summary>A demo mail client's request failed: which operation, and the status the sandbox gave.</summary>
internal sealed class DemoMailException(string operation, HttpStatusCode status)
    : Exception($"The demo's mail client could not {operation}: the sandbox answered {(int)status}.")
{
    public HttpStatusCode Status { get; } = status;
}
