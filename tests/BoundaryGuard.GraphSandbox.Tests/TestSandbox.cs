using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace BoundaryGuard.GraphSandbox.Tests;

/// <summary>
/// One sandbox per test, started in-process on a free loopback port (<see cref="SandboxServer"/>), with an HTTP
/// client that holds a token and sends <c>Prefer: IdType="ImmutableId"</c> like a well-behaved Graph client.
/// </summary>
internal sealed class TestSandbox : IAsyncDisposable
{
    /// <summary>Wednesday 25 November 2026, 23:40 in New York: the kind of moment BoundaryGuard exists for.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 4, 40, 0, TimeSpan.Zero);

    public const string ImmutableId = "IdType=\"ImmutableId\"";

    private TestSandbox(RunningSandbox server, HttpClient http, FakeTimeProvider? clock)
    {
        Server = server;
        Http = http;
        Clock = clock;
    }

    public RunningSandbox Server { get; }

    public HttpClient Http { get; }

    public FakeTimeProvider? Clock { get; }

    public static async Task<TestSandbox> StartAsync(Action<SandboxOptions>? configure = null, FakeTimeProvider? clock = null, bool realClock = false)
    {
        var options = new SandboxOptions();
        configure?.Invoke(options);
        clock ??= realClock ? null : new FakeTimeProvider(Start);
        var server = await SandboxServer.StartAsync(options, clock);
        var http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        var token = await TokenAsync(http, "demo-client", "demo-secret");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        http.DefaultRequestHeaders.Add("Prefer", ImmutableId);
        return new TestSandbox(server, http, clock);
    }

    public static async Task<string> TokenAsync(HttpClient http, string clientId, string secret)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = "https://graph.microsoft.com/.default",
        });
        using var response = await http.PostAsync(new Uri("sandbox/oauth2/v2.0/token", UriKind.Relative), form);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        return body["access_token"]!.GetValue<string>();
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonNode? body = null, Action<HttpRequestMessage>? adjust = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.RelativeOrAbsolute));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        adjust?.Invoke(request);
        return await Http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, string body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.RelativeOrAbsolute))
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        return await Http.SendAsync(request);
    }

    /// <summary>Sends and asserts the status, returning the parsed body (null for an empty one).</summary>
    public async Task<JsonObject?> ExpectAsync(HttpStatusCode status, HttpMethod method, string path, JsonNode? body = null, Action<HttpRequestMessage>? adjust = null)
    {
        using var response = await SendAsync(method, path, body, adjust);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), $"{method} {path}: {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text)!.AsObject();
    }

    public async Task<JsonObject> GetAsync(string path, Action<HttpRequestMessage>? adjust = null) =>
        (await ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, path, null, adjust))!;

    public async Task<JsonObject> CreateDraftAsync(string user, string subject, params string[] to) =>
        (await ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"v1.0/users/{user}/messages", Draft(subject, to)))!;

    public static JsonObject Draft(string subject, params string[] to) => new()
    {
        ["subject"] = subject,
        ["body"] = new JsonObject { ["contentType"] = "Text", ["content"] = "Held until morning." },
        ["toRecipients"] = new JsonArray([.. to.Select(address => (JsonNode)new JsonObject { ["emailAddress"] = new JsonObject { ["address"] = address } })]),
    };

    public Task SendDraftAsync(string user, string id) =>
        ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Post, $"v1.0/users/{user}/messages/{id}/send");

    public async Task<JsonObject> ReportAsync()
    {
        using var response = await Http.GetAsync(new Uri("sandbox/report", UriKind.Relative));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    public async Task SetFaultsAsync(JsonObject faults)
    {
        using var content = new StringContent(faults.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Http.PutAsync(new Uri("sandbox/faults", UriKind.Relative), content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
