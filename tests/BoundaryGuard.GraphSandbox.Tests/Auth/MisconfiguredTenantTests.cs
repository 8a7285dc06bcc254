using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.GraphSandbox.Seed;

namespace BoundaryGuard.GraphSandbox.Tests.Auth;

/// <summary>The sandbox as a tenant IT set up wrongly: the permissions its tokens carry, the mailboxes the app may reach.</summary>
public sealed class MisconfiguredTenantTests
{
    private static readonly DemoUser InScope = DemoInstitution.MedicineChair;
    private static readonly DemoUser OutOfScope = DemoInstitution.SurgeryChair;

    [Test]
    public async Task Token_Default_CarriesTheEntraGrantOnlyAsAnAppOnlyToken()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        var claims = Claims(await TestSandbox.TokenAsync(sandbox.Http, "demo-client", "demo-secret"));

        Assert.That(claims["roles"]!.AsArray().Select(r => r!.GetValue<string>()),
            Is.EqualTo(new[] { "User.Read.All" }));
        Assert.That(claims["idtyp"]!.GetValue<string>(), Is.EqualTo("app"));
        Assert.That(claims["appid"]!.GetValue<string>(), Is.EqualTo("demo-client"));
        Assert.That(claims["aud"]!.GetValue<string>(), Is.EqualTo("https://graph.microsoft.com"));
        Assert.That(claims["exp"]!.GetValue<long>(), Is.EqualTo(TestSandbox.Start.AddSeconds(3599).ToUnixTimeSeconds()));
    }

    [Test]
    public async Task Token_ConfiguredPermissions_CarriesExactlyThose()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.ApplicationPermissions = ["Mail.ReadWrite", "Mail.Read", "Directory.ReadWrite.All"]);

        var claims = Claims(await TestSandbox.TokenAsync(sandbox.Http, "demo-client", "demo-secret"));

        Assert.That(claims["roles"]!.AsArray().Select(r => r!.GetValue<string>()),
            Is.EqualTo(new[] { "Mail.ReadWrite", "Mail.Read", "Directory.ReadWrite.All" }));
    }

    [Test]
    public async Task Token_NoPermissions_HasNoRolesClaim()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.ApplicationPermissions = []);

        var claims = Claims(await TestSandbox.TokenAsync(sandbox.Http, "demo-client", "demo-secret"));

        Assert.That(claims.ContainsKey("roles"), Is.False);
    }

    [Test]
    public async Task Token_Tampered_Is401()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.ApplicationPermissions = ["Mail.Send"]);
        var token = await TestSandbox.TokenAsync(sandbox.Http, "demo-client", "demo-secret");
        var parts = token.Split('.');
        var claims = Claims(token);
        claims["roles"] = new JsonArray("Mail.Send", "Mail.ReadWrite");
        var forged = $"{parts[0]}.{Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(claims.ToJsonString()))}.{parts[2]}";
        using var client = new HttpClient { BaseAddress = sandbox.Server.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new("Bearer", forged);

        using var response = await client.GetAsync(new Uri($"v1.0/users/{InScope.Id}", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("mailboxSettings")]
    [TestCase("mailFolders/inbox")]
    [TestCase("messages")]
    [TestCase("calendars")]
    public async Task MailboxScope_MailboxOutside_Is403WithTheDocumentedBody(string path)
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.MailboxScope.Add(InScope.UserPrincipalName));
        var documented = SharedCorpus.GraphJson("error-403-ErrorAccessDenied-applicationaccesspolicy.response.json");

        var body = await sandbox.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Get, $"v1.0/users/{OutOfScope.UserPrincipalName}/{path}");

        Assert.That(JsonShape.Differences(documented, body), Is.Empty);
        Assert.That(body!["error"]!["code"]!.GetValue<string>(), Is.EqualTo(documented["error"]!["code"]!.GetValue<string>()));
        Assert.That(body["error"]!["message"]!.GetValue<string>(), Is.EqualTo(documented["error"]!["message"]!.GetValue<string>()));
    }

    [Test]
    public async Task MailboxScope_MailboxInsideNamedByUpn_IsServedWhenAskedById()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.MailboxScope.Add(InScope.UserPrincipalName.ToUpperInvariant()));

        var folder = await sandbox.GetAsync($"v1.0/users/{InScope.Id}/mailFolders/inbox");

        Assert.That(folder["displayName"]!.GetValue<string>(), Is.EqualTo("Inbox"));
    }

    [Test]
    public async Task MailboxScope_UserOutside_StaysReadableInTheDirectory()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.MailboxScope.Add(InScope.Id));

        var user = await sandbox.GetAsync($"v1.0/users/{OutOfScope.UserPrincipalName}?$select=id");

        Assert.That(user["id"]!.GetValue<string>(), Is.EqualTo(OutOfScope.Id));
    }

    [Test]
    public async Task MailboxScope_Empty_EveryMailboxIsServed()
    {
        await using var sandbox = await TestSandbox.StartAsync();

        await sandbox.GetAsync($"v1.0/users/{OutOfScope.Id}/mailFolders/inbox");
    }

    [Test]
    public async Task DateHeader_IsTheInjectedClocksTime()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        sandbox.Clock!.Advance(TimeSpan.FromMinutes(3));

        using var graph = await sandbox.SendAsync(HttpMethod.Get, $"v1.0/users/{InScope.Id}");
        using var token = await sandbox.SendRawAsync(HttpMethod.Post, "t/oauth2/v2.0/token", "{}");

        var expected = TestSandbox.Start.AddMinutes(3).ToString("R", CultureInfo.InvariantCulture);
        Assert.That(graph.Headers.GetValues("Date"), Is.EqualTo(new[] { expected }));
        Assert.That(token.Headers.GetValues("Date"), Is.EqualTo(new[] { expected }));
    }

    private static JsonObject Claims(string token) =>
        JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[1]))!.AsObject();
}
