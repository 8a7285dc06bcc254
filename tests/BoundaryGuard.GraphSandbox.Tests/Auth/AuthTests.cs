using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.GraphSandbox.Seed;

namespace BoundaryGuard.GraphSandbox.Tests.Auth;

public sealed class AuthTests
{
    private static readonly string UserPath = $"v1.0/users/{DemoInstitution.MedicineChair.Id}";

    [Test]
    public async Task Token_ClientCredentials_ReturnsAadShape()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await PostTokenAsync(sandbox.Http, "client_credentials", "any-client", "any-secret", "https://graph.microsoft.com/.default");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body["token_type"]!.GetValue<string>(), Is.EqualTo("Bearer"));
        Assert.That(body["expires_in"]!.GetValue<int>(), Is.EqualTo(3599));
        Assert.That(body["ext_expires_in"]!.GetValue<int>(), Is.EqualTo(3599));
        Assert.That(body["access_token"]!.GetValue<string>(), Is.Not.Empty);
    }

    [Test]
    public async Task Graph_NoToken_Is401InvalidAuthenticationToken()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = sandbox.Server.BaseUrl };

        using var response = await anonymous.GetAsync(new Uri(UserPath, UriKind.Relative));

        await AssertUnauthorizedAsync(response);
        Assert.That((await sandbox.ReportAsync())["unauthorized"]!.GetValue<long>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Graph_TokenFromAnotherSandbox_Is401()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await using var other = await TestSandbox.StartAsync();
        using var client = new HttpClient { BaseAddress = sandbox.Server.BaseUrl };
        client.DefaultRequestHeaders.Authorization = other.Http.DefaultRequestHeaders.Authorization;

        using var response = await client.GetAsync(new Uri(UserPath, UriKind.Relative));

        await AssertUnauthorizedAsync(response);
    }

    [TestCase("not-a-token")]
    [TestCase("bg1.e30.AAAA")]
    [TestCase("eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.c2ln")]
    public async Task Graph_ForgedToken_Is401(string token)
    {
        await using var sandbox = await TestSandbox.StartAsync();
        using var client = new HttpClient { BaseAddress = sandbox.Server.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await client.GetAsync(new Uri(UserPath, UriKind.Relative));

        await AssertUnauthorizedAsync(response);
    }

    [Test]
    public async Task Graph_TokenPastItsLifetimeByTheInjectedClock_Is401()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await sandbox.GetAsync(UserPath);

        sandbox.Clock!.Advance(TimeSpan.FromSeconds(3599));
        using var response = await sandbox.Http.GetAsync(new Uri(UserPath, UriKind.Relative));

        await AssertUnauthorizedAsync(response);
    }

    [Test]
    public async Task Token_ConfiguredClients_OnlyTheRightSecretGetsAToken()
    {
        await using var sandbox = await TestSandbox.StartAsync(o =>
        {
            o.Clients.Add(new SandboxClient { ClientId = "demo-client", ClientSecret = "demo-secret" });
        });

        using var right = await PostTokenAsync(sandbox.Http, "client_credentials", "demo-client", "demo-secret", "https://graph.microsoft.com/.default");
        using var wrong = await PostTokenAsync(sandbox.Http, "client_credentials", "demo-client", "guess", "https://graph.microsoft.com/.default");
        using var unknown = await PostTokenAsync(sandbox.Http, "client_credentials", "stranger", "demo-secret", "https://graph.microsoft.com/.default");

        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertAadErrorAsync(wrong, HttpStatusCode.Unauthorized, "invalid_client");
        await AssertAadErrorAsync(unknown, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [TestCase("password", "c", "s", "https://graph.microsoft.com/.default", "unsupported_grant_type")]
    [TestCase("", "c", "s", "https://graph.microsoft.com/.default", "invalid_request")]
    [TestCase("client_credentials", "", "s", "https://graph.microsoft.com/.default", "invalid_request")]
    [TestCase("client_credentials", "c", "s", "", "invalid_request")]
    [TestCase("client_credentials", "c", "s", "Mail.Send", "invalid_scope")]
    public async Task Token_BadRequest_Is400WithAadError(string grant, string client, string secret, string scope, string error)
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await PostTokenAsync(sandbox.Http, grant, client, secret, scope);

        await AssertAadErrorAsync(response, HttpStatusCode.BadRequest, error);
    }

    [Test]
    public async Task Token_NoSecretOrAssertion_Is401InvalidClient()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await PostTokenAsync(sandbox.Http, "client_credentials", "c", "", "https://graph.microsoft.com/.default");

        await AssertAadErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Test]
    public async Task Token_JsonInsteadOfForm_Is400()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        using var response = await sandbox.SendRawAsync(HttpMethod.Post, "t/oauth2/v2.0/token", "{\"grant_type\":\"client_credentials\"}");

        await AssertAadErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    private static async Task<HttpResponseMessage> PostTokenAsync(HttpClient http, string grant, string client, string secret, string scope)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = grant,
            ["client_id"] = client,
            ["client_secret"] = secret,
            ["scope"] = scope,
        });
        return await http.PostAsync(new Uri("contoso.example/oauth2/v2.0/token", UriKind.Relative), form);
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body["error"]!["code"]!.GetValue<string>(), Is.EqualTo("InvalidAuthenticationToken"));
        Assert.That(body["error"]!["innerError"]!["request-id"]!.GetValue<string>(), Is.Not.Empty);
    }

    private static async Task AssertAadErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(response.StatusCode, Is.EqualTo(status), body.ToJsonString());
        Assert.That(body["error"]!.GetValue<string>(), Is.EqualTo(error));
        Assert.That(body["error_description"]!.GetValue<string>(), Does.StartWith("AADSTS"));
    }
}
