using BoundaryGuard.Service.Tests.Demo;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using BoundaryGuard.Demo;
using BoundaryGuard.Service.Auth;
using BoundaryGuard.Service.Tests.Holds;
using BoundaryGuard.Service.Tests.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Tests.Auth;

/// <summary>
/// Sign-in for the scorecard pages: the demo sign-in exists only in the demo host, its cookie opens the demo's API as
/// a bearer token would and never the service's, an API client without credentials still gets the bearer's 401, and OpenID Connect
/// with Entra ID (a fake one on loopback) signs a person in with the roles of their ID token.
/// </summary>
public sealed class SignInApiTests
{
    private const string Chair = "ehayes@med.example.edu";

    [Test]
    public async Task DemoSignIn_RealGraphConfigured_404AndNotOffered()
    {
        await using var world = await HoldsWorld.StartAsync(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(-5)));
        await using var app = new HoldsApp(world);
        using var client = app.CreateClient();

        using var signIn = await client.PostAsJsonAsync("/auth/demo/signin", new { mailbox = Chair });
        using var people = await client.GetAsync("/auth/demo/people");
        var session = await client.GetFromJsonAsync<JsonObject>("/auth/session");

        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(people.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(signIn.Headers.Contains("Set-Cookie"), Is.False);
        Assert.That(session!["signedIn"]!.GetValue<bool>(), Is.False);
        Assert.That(session["methods"]!.ToJsonString(), Is.EqualTo("""{"microsoft":false,"demo":false}"""));
    }

    [Test]
    public async Task DemoCookie_PresentedToTheService_401EvenWithTheSameKeysFolder()
    {
        var keys = Directory.CreateTempSubdirectory("bg-keys-").FullName;
        await using var demo = new DemoApplication(new() { ["Sandbox:Port"] = "0", ["Sandbox:DataFile"] = "", ["SignIn:KeysFolder"] = keys });
        using var demoClient = demo.CreateClient();
        using var signIn = await demoClient.PostAsJsonAsync("/auth/demo/signin", new { mailbox = DemoSignIn.ItAdmin.Mailbox });
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        using var inTheDemo = await demoClient.GetAsync("/api/v1/admin/calendars");
        await using var world = await HoldsWorld.StartAsync(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(-5)));
        await using var service = new HoldsApp(world, new() { ["SignIn:KeysFolder"] = keys });
        using var client = service.CreateClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/admin/calendars");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);

        Assert.That(inTheDemo.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task DemoIdentity_InACookieTheServiceItselfEncrypted_401()
    {
        await using var world = await HoldsWorld.StartAsync(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(-5)));
        await using var service = new HoldsApp(world);
        using var client = service.CreateClient();
        // As if the demo's sign-in had run inside the service: its own keys, its own cookie format, a demo identity.
        var format = service.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(CookieAuthenticationDefaults.AuthenticationScheme).TicketDataFormat;
        var ticket = format.Protect(new AuthenticationTicket(DemoSignIn.Principal(DemoSignIn.ItAdmin), CookieAuthenticationDefaults.AuthenticationScheme));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/admin/calendars");
        request.Headers.Add("Cookie", $"{AuthServiceCollectionExtensions.CookieName}={ticket}");
        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task DemoSignIn_EmbeddedSandbox_StrictCookieThatOpensTheScorecardApi()
    {
        await using var service = EmbeddedService();
        using var client = service.CreateClient();

        using var signIn = await client.PostAsJsonAsync("/auth/demo/signin", new { mailbox = Chair });
        var session = await client.GetFromJsonAsync<JsonObject>("/auth/session");
        var departments = await client.GetFromJsonAsync<JsonArray>("/api/v1/scorecards/departments");

        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single();
        Assert.That(cookie, Does.StartWith(AuthServiceCollectionExtensions.CookieName + "="));
        Assert.That(cookie, Does.Contain("samesite=strict").And.Contain("httponly"));
        Assert.That(session!["signedIn"]!.GetValue<bool>(), Is.True);
        Assert.That(session["mailbox"]!.GetValue<string>(), Is.EqualTo(Chair));
        Assert.That(session["name"]!.GetValue<string>(), Is.EqualTo("Eleanor Hayes"));
        Assert.That(session["roles"]!.ToJsonString(), Is.EqualTo("""["chair"]"""));
        Assert.That(session["demo"]!.GetValue<bool>(), Is.True);
        Assert.That(session["methods"]!.ToJsonString(), Is.EqualTo("""{"microsoft":false,"demo":true}"""));
        Assert.That(departments!.ToJsonString(), Is.EqualTo("""[{"id":"department-of-medicine","name":"Department of Medicine"}]"""));
    }

    [Test]
    public async Task DemoPeople_EmbeddedSandbox_ChairsChairEveryoneElseFacultyAndIt()
    {
        await using var service = EmbeddedService();
        using var client = service.CreateClient();

        var people = (await client.GetFromJsonAsync<JsonArray>("/auth/demo/people"))!
            .ToDictionary(p => p!["mailbox"]!.GetValue<string>(), p => p!["roles"]!.ToJsonString());

        Assert.That(people, Has.Count.EqualTo(15));
        Assert.That(people[Chair], Is.EqualTo("""["chair"]"""));
        Assert.That(people["rlindqvist@med.example.edu"], Is.EqualTo("""["chair"]"""));
        Assert.That(people["mwebb@med.example.edu"], Is.EqualTo("""["faculty"]"""));
        Assert.That(people["jlee@med.example.edu"], Is.EqualTo("""["faculty"]"""));
        Assert.That(people["it.admin@med.example.edu"], Is.EqualTo("""["it-admin"]"""));
        Assert.That(people.Keys, Has.None.EqualTo("closures@med.example.edu"));
    }

    [Test]
    public async Task DemoSignIn_ItAdminNotInTheDirectory_EveryDepartmentTheInstitutionAndAnEmptyOwnCard()
    {
        await using var service = EmbeddedService();
        using var client = service.CreateClient();
        using var signIn = await client.PostAsJsonAsync("/auth/demo/signin", new { mailbox = "it.admin@med.example.edu" });

        var departments = await client.GetFromJsonAsync<JsonArray>("/api/v1/scorecards/departments");
        using var institution = await client.GetAsync("/api/v1/scorecards/institution");
        using var medicine = await client.GetAsync("/api/v1/scorecards/departments/department-of-medicine");
        var own = await client.GetFromJsonAsync<JsonObject>("/api/v1/scorecards/me");

        Assert.That(departments!.Select(d => d!["id"]!.GetValue<string>()), Is.EqualTo(new[] { "department-of-medicine", "department-of-surgery" }));
        Assert.That(institution.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(medicine.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await medicine.Content.ReadFromJsonAsync<JsonObject>())!["own"], Is.Null);
        Assert.That(own!["id"]!.GetValue<string>(), Is.EqualTo("it.admin@med.example.edu"));
        Assert.That(own["totals"]!["attempts"]!.GetValue<long>(), Is.Zero);
    }

    [Test]
    public async Task DemoSignIn_NotADemoPerson_400AndNoCookie()
    {
        await using var service = EmbeddedService();
        using var client = service.CreateClient();

        using var response = await client.PostAsJsonAsync("/auth/demo/signin", new { mailbox = "someone@elsewhere.example.org" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(response.Headers.Contains("Set-Cookie"), Is.False);
    }

    [Test]
    public async Task Api_NoCredentials_BearersOwn401()
    {
        await using var service = EmbeddedService();
        using var client = service.CreateClient();

        using var response = await client.GetAsync("/api/v1/scorecards/me");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.Select(h => h.Scheme), Is.EqualTo(new[] { "Bearer" }));
    }

    [Test]
    public async Task Api_CookieAndABadBearerToken_TheTokenDecides401()
    {
        await using var service = EmbeddedService();
        using var client = service.CreateClient();
        using var signIn = await client.PostAsJsonAsync("/auth/demo/signin", new { mailbox = Chair });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");

        using var response = await client.GetAsync("/api/v1/scorecards/me");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task SignOut_DemoSession_CookieGoneAndBackToTheSignInPage()
    {
        await using var service = EmbeddedService();
        using var client = service.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var signIn = await client.PostAsJsonAsync("/auth/demo/signin", new { mailbox = Chair });

        using var signOut = await client.PostAsync("/auth/signout", null);
        using var after = await client.GetAsync("/api/v1/scorecards/me");

        Assert.That(signOut.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(signOut.Headers.Location!.ToString(), Is.EqualTo("/scorecard/signin.html?signedout=1"));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task SignIn_NoOpenIdConnectConfigured_404()
    {
        await using var service = EmbeddedService();
        using var client = service.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync("/auth/signin?returnUrl=/scorecard/");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("/scorecard/me.html", "/scorecard/me.html")]
    [TestCase("/scorecard/department.html?id=department-of-medicine&from=2026-W40", "/scorecard/department.html?id=department-of-medicine&from=2026-W40")]
    [TestCase("/admin/calendar.html?id=main-campus", "/admin/calendar.html?id=main-campus")]
    [TestCase(null, "/scorecard/")]
    [TestCase("https://evil.example.org/scorecard/", "/scorecard/")]
    [TestCase("//evil.example.org/scorecard/", "/scorecard/")]
    [TestCase("/scorecard/\\evil.example.org", "/scorecard/")]
    [TestCase("/api/v1/holds", "/scorecard/")]
    public void LocalPage_ReturnUrl_OnlyAPageOfTheScorecardOrTheAdminPages(string? returnUrl, string expected) =>
        Assert.That(SignInApi.LocalPage(returnUrl), Is.EqualTo(expected));

    [Test]
    public async Task EntraSignIn_CodeRedeemedWithTheSecret_CookieWithTheIdTokensRolesOpensTheApi()
    {
        await using var entra = await FakeEntra.StartAsync();
        await using var world = await HoldsWorld.StartAsync(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(-5)));
        await using var app = new HoldsApp(world, EntraSettings(entra, ["ClientSecret", FakeEntra.ClientSecret]));
        // Cookies by hand: the sign-in's correlation cookies are Secure, which a cookie container keeps off plain http.
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var jar = new Dictionary<string, string>();

        await SignInWithEntraAsync(client, jar, entra);

        Assert.That(entra.LastTokenRequest!["client_secret"].ToString(), Is.EqualTo(FakeEntra.ClientSecret));
        // The cookie is the person, with the roles their ID token carried.
        using var session = await SendAsync(client, jar, HttpMethod.Get, "/auth/session");
        var who = await session.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That(who!["mailbox"]!.GetValue<string>(), Is.EqualTo(Chair));
        Assert.That(who["name"]!.GetValue<string>(), Is.EqualTo("Eleanor Hayes"));
        Assert.That(who["roles"]!.ToJsonString(), Is.EqualTo("""["chair"]"""));
        Assert.That(who["demo"]!.GetValue<bool>(), Is.False);
        Assert.That(who["methods"]!.ToJsonString(), Is.EqualTo("""{"microsoft":true,"demo":false}"""));
        using var departments = await SendAsync(client, jar, HttpMethod.Get, "/api/v1/scorecards/departments");
        Assert.That(await departments.Content.ReadAsStringAsync(), Is.EqualTo("""[{"id":"department-of-medicine","name":"Department of Medicine"}]"""));

        // Signing out ends Entra's session too.
        using var signOut = await SendAsync(client, jar, HttpMethod.Post, "/auth/signout");
        Assert.That(signOut.Headers.Location!.GetLeftPart(UriPartial.Path), Is.EqualTo($"{entra.Authority}/logout"));
    }

    [Test]
    public async Task EntraSignIn_ClientCertificate_CodeRedeemedWithASignedAssertionNotASecret()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=BoundaryGuard tests", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddDays(30));
        var pfx = Path.Combine(Path.GetTempPath(), $"bg-entra-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        try
        {
            await using var entra = await FakeEntra.StartAsync();
            entra.ClientCertificate = certificate;
            await using var world = await HoldsWorld.StartAsync(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(-5)));
            // The service's clock is the test's, and Entra's "now" with it.
            entra.Clock = world.Time;
            await using var app = new HoldsApp(world, EntraSettings(entra, ["ClientCertificatePath", pfx], ["ClientCertificatePassword", "pfx-password"]));
            using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
            var jar = new Dictionary<string, string>();

            await SignInWithEntraAsync(client, jar, entra);

            Assert.That(entra.LastTokenRequest!.ContainsKey("client_secret"), Is.False);
            Assert.That(entra.LastTokenRequest["client_assertion"].ToString(), Is.Not.Empty);
            using var session = await SendAsync(client, jar, HttpMethod.Get, "/auth/session");
            Assert.That((await session.Content.ReadFromJsonAsync<JsonObject>())!["mailbox"]!.GetValue<string>(), Is.EqualTo(Chair));
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    private static Dictionary<string, string?> EntraSettings(FakeEntra entra, params string[][] credential)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Authentication:Schemes:OpenIdConnect:Authority"] = entra.Authority.ToString(),
            ["Authentication:Schemes:OpenIdConnect:ClientId"] = FakeEntra.ClientId,
        };
        foreach (var pair in credential)
        {
            settings[$"Authentication:Schemes:OpenIdConnect:{pair[0]}"] = pair[1];
        }

        return settings;
    }

    /// <summary>
    /// The page's "Sign in with Microsoft" to the end: off to Entra's authorize endpoint (code with PKCE), the person
    /// signs in there as the Medicine chair, Entra posts the code back, and the service redeems it and sets its cookie.
    /// </summary>
    private static async Task SignInWithEntraAsync(HttpClient client, Dictionary<string, string> jar, FakeEntra entra)
    {
        using var challenge = await SendAsync(client, jar, HttpMethod.Get, "/auth/signin?returnUrl=/scorecard/me.html");
        Assert.That(challenge.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var authorize = challenge.Headers.Location!;
        Assert.That(authorize.GetLeftPart(UriPartial.Path), Is.EqualTo($"{entra.Authority}/authorize"));
        var query = QueryHelpers.ParseQuery(authorize.Query);
        Assert.That(query["client_id"].ToString(), Is.EqualTo(FakeEntra.ClientId));
        Assert.That(query["response_type"].ToString(), Is.EqualTo("code"));
        Assert.That(query["code_challenge_method"].ToString(), Is.EqualTo("S256"));
        Assert.That(query["redirect_uri"].ToString(), Does.EndWith("/signin-oidc"));

        var code = entra.Approve(query["nonce"].ToString(), Chair, "Eleanor Hayes", "chair");
        using var callback = await SendAsync(client, jar, HttpMethod.Post, "/signin-oidc",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = code, ["state"] = query["state"].ToString() }));
        Assert.That(callback.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(callback.Headers.Location!.ToString(), Is.EqualTo("/scorecard/me.html"), entra.Rejection);
        Assert.That(entra.LastTokenRequest!["code_verifier"].ToString(), Is.Not.Empty);
        Assert.That(jar, Does.ContainKey(AuthServiceCollectionExtensions.CookieName));
    }

    [Test]
    public async Task Start_OpenIdConnectWithNeitherSecretNorCertificate_FailsNamingTheSection()
    {
        await using var app = new DemoApplication(new()
        {
            ["Sandbox:Port"] = "0",
            ["Sandbox:DataFile"] = "",
            ["Authentication:Schemes:OpenIdConnect:Authority"] = "https://login.microsoftonline.com/fake-tenant/v2.0",
            ["Authentication:Schemes:OpenIdConnect:ClientId"] = FakeEntra.ClientId,
        });

        var failure = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => app.CreateClient());

        Assert.That(failure!.Message, Does.Contain("Authentication:Schemes:OpenIdConnect needs exactly one of ClientSecret and ClientCertificatePath"));
    }

    private static DemoApplication EmbeddedService() => new(new() { ["Sandbox:Port"] = "0", ["Sandbox:DataFile"] = "" });

    /// <summary>Sends a request with the jar's cookies and keeps the ones it sets (name=value only: enough here).</summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Dictionary<string, string> jar, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (jar.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}")));
        }

        var response = await client.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            foreach (var cookie in cookies)
            {
                var pair = cookie.Split(';')[0];
                var (name, value) = (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                if (value.Length == 0 || cookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    jar.Remove(name);
                }
                else
                {
                    jar[name] = value;
                }
            }
        }

        return response;
    }
}
