using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using BoundaryGuard.Service.Addin;
using BoundaryGuard.Service.Tests.Holds;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Tests.Addin;

/// <summary>
/// The add-in served at <c>/addin/</c>: the build's files, with this deployment's address, Entra registration and
/// Smart Alerts mode filled into the manifests and scripts, anonymously (Outlook fetches them without a token).
/// </summary>
public sealed class AddinFilesTests
{
    private const string ClientId = "0f8f6c4e-5d7b-4a39-9a43-3f1e2b7c9d10";

    private HoldsWorld world = null!;

    [SetUp]
    public async Task SetUp() => world = await HoldsWorld.StartAsync(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(-5)));

    [TearDown]
    public async Task TearDown() => await world.DisposeAsync();

    private HoldsApp App(Dictionary<string, string?>? settings = null) => new(world, settings);

    [Test]
    public async Task GetManifestXml_Configured_EveryUrlOnTheServiceAndTheSendModeIts()
    {
        await using var app = App(new()
        {
            ["Addin:BaseUrl"] = "https://boundaryguard.med.example.edu/",
            ["Addin:SendMode"] = "PromptUser",
        });
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/addin/manifest.xml");
        var text = await response.Content.ReadAsStringAsync();
        var manifest = XDocument.Parse(text);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/xml"));
        Assert.That(response.Headers.CacheControl!.NoCache, Is.True);
        Assert.That(text, Does.Not.Contain("boundaryguard.invalid"));
        var urls = manifest.Descendants().Attributes("DefaultValue").Select(a => a.Value).Where(v => v.StartsWith("http", StringComparison.Ordinal)).ToList();
        Assert.That(urls, Is.Not.Empty);
        Assert.That(urls, Has.All.StartsWith("https://boundaryguard.med.example.edu/addin/"));
        var sendEvent = manifest.Descendants().Single(e => e.Name.LocalName == "LaunchEvent" && (string?)e.Attribute("Type") == "OnMessageSend");
        Assert.That((string?)sendEvent.Attribute("SendMode"), Is.EqualTo("PromptUser"));
    }

    [Test]
    public async Task GetManifestJson_NoBaseUrl_TheRequestsOwnAddressAndTheSoftBlockDefault()
    {
        await using var app = App();
        using var client = app.CreateClient();

        var text = await client.GetStringAsync("/addin/manifest.json");

        Assert.That(text, Does.Not.Contain("boundaryguard.invalid"));
        Assert.That(text, Does.Contain("\"script\": \"http://localhost/addin/launchevent.js\""));
        Assert.That(text, Does.Contain("\"localhost\""), "validDomains names the bare host");
        Assert.That(text, Does.Contain("\"sendMode\": \"softBlock\""));
    }

    [Test]
    public async Task GetLaunchEventScript_EntraConfigured_SettingsFilledIn()
    {
        await using var app = App(new()
        {
            ["Addin:BaseUrl"] = "https://boundaryguard.med.example.edu",
            ["Addin:ClientId"] = ClientId,
            ["Addin:ApiScope"] = "api://boundaryguard.med.example.edu/access_as_user",
            ["Addin:Authority"] = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47",
        });
        using var client = app.CreateClient();

        var script = await client.GetStringAsync("/addin/launchevent.js");

        Assert.That(script, Does.Contain("\"https://boundaryguard.med.example.edu\""));
        Assert.That(script, Does.Contain($"\"{ClientId}\""));
        Assert.That(script, Does.Contain("\"api://boundaryguard.med.example.edu/access_as_user\""));
        Assert.That(script, Does.Contain("\"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47\""));
        Assert.That(script, Does.Not.Contain("boundaryguard-addin-client-id"));
    }

    [Test]
    public async Task GetManifests_ClientIdConfigured_WebApplicationInfoNamesTheRegistrationOnTheServicesHost()
    {
        await using var app = App(new()
        {
            ["Addin:BaseUrl"] = "https://boundaryguard.med.example.edu",
            ["Addin:ClientId"] = ClientId,
        });
        using var client = app.CreateClient();

        var xml = XDocument.Parse(await client.GetStringAsync("/addin/manifest.xml"));
        var json = JsonNode.Parse(await client.GetStringAsync("/addin/manifest.json"))!;

        // learn.microsoft.com/office/dev/add-ins/develop/sso-in-office-add-ins: Resource is api://{host}/{application id}.
        var info = xml.Descendants().Single(e => e.Name.LocalName == "WebApplicationInfo");
        Assert.That(info.Elements().Single(e => e.Name.LocalName == "Id").Value, Is.EqualTo(ClientId));
        Assert.That(info.Elements().Single(e => e.Name.LocalName == "Resource").Value, Is.EqualTo($"api://boundaryguard.med.example.edu/{ClientId}"));
        Assert.That((string?)json["webApplicationInfo"]!["id"], Is.EqualTo(ClientId));
        Assert.That((string?)json["webApplicationInfo"]!["resource"], Is.EqualTo($"api://boundaryguard.med.example.edu/{ClientId}"));
    }

    [TestCase("/addin/assets/icon-80.png", "image/png")]
    [TestCase("/addin/taskpane.html", "text/html")]
    [TestCase("/addin/taskpane.js", "text/javascript")]
    public async Task Get_AddinFile_ServedAnonymouslyAsItsTypeOnly(string path, string mediaType)
    {
        await using var app = App();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo(mediaType));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
    }

    [TestCase("/addin/nothing.js")]
    [TestCase("/addin/../appsettings.Development.json")]
    [TestCase("/addin/%2e%2e/BoundaryGuard.Service.dll")]
    [TestCase("/addin/assets")]
    public async Task Get_NotAnAddinFile_NotFound(string path)
    {
        await using var app = App();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Get_TheFolder_RedirectsToTheTaskPane()
    {
        await using var app = App();
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });

        using var response = await client.GetAsync("/addin/");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo("/addin/taskpane.html"));
    }

    [Test]
    public async Task GetWellKnown_BaseUrlConfigured_ListsExactlyTheEventScriptOnTheAddinsOrigin()
    {
        await using var app = App(new() { ["Addin:BaseUrl"] = "https://boundaryguard.med.example.edu/" });
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/.well-known/microsoft-officeaddins-allowed.json");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
        Assert.That(await response.Content.ReadAsStringAsync(),
            Is.EqualTo("""{"allowed":["https://boundaryguard.med.example.edu/addin/launchevent.js"]}"""));
    }

    [Test]
    public async Task GetWellKnown_NoBaseUrl_TheRequestsOwnOrigin()
    {
        await using var app = App();
        using var client = app.CreateClient();

        var text = await client.GetStringAsync("/.well-known/microsoft-officeaddins-allowed.json");

        Assert.That(text, Is.EqualTo("""{"allowed":["http://localhost/addin/launchevent.js"]}"""));
    }

    [TestCase(null, "https://boundaryguard.med.example.edu")]
    [TestCase("https://api.boundaryguard.med.example.edu/", "https://api.boundaryguard.med.example.edu")]
    public async Task GetLaunchEventScript_ApiBaseUrlAndSendMode_FilledIn(string? apiBaseUrl, string expected)
    {
        await using var app = App(new()
        {
            ["Addin:BaseUrl"] = "https://boundaryguard.med.example.edu",
            ["Addin:ApiBaseUrl"] = apiBaseUrl,
            ["Addin:SendMode"] = "PromptUser",
        });
        using var client = app.CreateClient();

        var script = await client.GetStringAsync("/addin/launchevent.js");

        Assert.That(script, Does.Contain("baseUrl:\"https://boundaryguard.med.example.edu\""));
        Assert.That(script, Does.Contain($"apiBaseUrl:\"{expected}\""));
        Assert.That(script, Does.Contain("sendMode:\"promptUser\""));
        Assert.That(script, Does.Not.Contain("boundaryguard-send-mode").And.Not.Contain("boundaryguard-api.invalid"));
    }

    [Test]
    public async Task GetLaunchEventScript_DefaultPolicy_TheSnapshotPolicyMeGivesAPersonOfIt()
    {
        // Medicine has no policy of its own here: its people get the "*" policy, the institution's default.
        File.WriteAllText(Path.Combine(world.PolicyFolder, "departments.json"), """{ "Department of Surgery": "surgery.json", "*": "medicine.json" }""");
        await using var app = App();
        using var client = app.ClientFor("mwebb@med.example.edu");

        using var response = await client.PostAsJsonAsync("/api/v1/policy/me", new { recipients = Array.Empty<string>() });
        var mine = await response.Content.ReadFromJsonAsync<JsonObject>();
        var served = DefaultPolicyIn(await client.GetStringAsync("/addin/launchevent.js"));

        Assert.That(served["department"], Is.Null);
        Assert.That(mine!["department"]!.GetValue<string>(), Is.EqualTo("Department of Medicine"));
        Assert.That(served["generatedAt"]!.GetValue<string>(), Is.EqualTo("2026-12-02T10:00:00-05:00"));
        Assert.That(served["validUntil"]!.GetValue<string>(), Is.EqualTo("2026-12-23T10:00:00-05:00"));
        Assert.That(served["open"]!.AsArray(), Has.Count.GreaterThan(10));
        foreach (var key in (string[])["timeZone", "generatedAt", "validUntil", "open", "closures", "people"])
        {
            Assert.That(JsonNode.DeepEquals(served[key], mine[key]), Is.True, $"{key}: {served[key]?.ToJsonString()} vs {mine[key]?.ToJsonString()}");
        }
    }

    [Test]
    public async Task GetLaunchEventScript_WithinAnHour_SameBytesThenTheNextHoursPolicy()
    {
        await using var app = App();
        using var client = app.CreateClient();

        world.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 2, 10, 20, 0, TimeSpan.FromHours(-5)));
        using var first = await client.GetAsync("/addin/launchevent.js");
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 2, 10, 59, 59, TimeSpan.FromHours(-5)));
        using var later = await client.GetAsync("/addin/launchevent.js");
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 2, 11, 0, 0, TimeSpan.FromHours(-5)));
        using var next = await client.GetAsync("/addin/launchevent.js");

        Assert.That(later.Headers.ETag, Is.EqualTo(first.Headers.ETag));
        Assert.That(next.Headers.ETag, Is.Not.EqualTo(first.Headers.ETag));
        Assert.That(DefaultPolicyIn(await first.Content.ReadAsStringAsync())["generatedAt"]!.GetValue<string>(), Is.EqualTo("2026-12-02T10:00:00-05:00"));
        Assert.That(DefaultPolicyIn(await next.Content.ReadAsStringAsync())["generatedAt"]!.GetValue<string>(), Is.EqualTo("2026-12-02T11:00:00-05:00"));
    }

    [TestCase("/addin/manifest.xml", "no-cache")]
    [TestCase("/addin/launchevent.js", "no-cache")]
    [TestCase("/addin/taskpane.html", "no-cache")]
    [TestCase("/addin/app-package.zip", "no-cache")]
    [TestCase("/.well-known/microsoft-officeaddins-allowed.json", "no-cache")]
    [TestCase("/addin/assets/icon-80.png", "public, max-age=86400")]
    public async Task Get_AgainWithItsETag_NotModified(string path, string caching)
    {
        await using var app = App();
        using var client = app.CreateClient();

        using var first = await client.GetAsync(path);
        var bytes = await first.Content.ReadAsByteArrayAsync();
        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await client.SendAsync(again);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(first.Headers.CacheControl!.ToString(), Is.EqualTo(caching));
        Assert.That(first.Headers.ETag!.IsWeak, Is.False);
        Assert.That(first.Headers.ETag.Tag, Is.EqualTo($"\"{Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(System.Security.Cryptography.SHA256.HashData(bytes))}\""));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(second.Headers.ETag, Is.EqualTo(first.Headers.ETag));
        Assert.That(await second.Content.ReadAsByteArrayAsync(), Is.Empty);
    }

    [TestCase("Addin:SendMode", "PromptUser")]
    [TestCase("Addin:BaseUrl", "https://boundaryguard.med.example.edu")]
    [TestCase("Addin:ClientId", ClientId)]
    public async Task GetManifestXml_SettingChanged_AnotherETag(string key, string value)
    {
        EntityTagHeaderValue before;
        await using (var app = App())
        {
            using var client = app.CreateClient();
            using var response = await client.GetAsync("/addin/manifest.xml");
            before = response.Headers.ETag!;
        }

        await using var changed = App(new() { [key] = value });
        using var changedClient = changed.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/addin/manifest.xml");
        request.Headers.IfNoneMatch.Add(before);
        using var after = await changedClient.SendAsync(request);

        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(after.Headers.ETag, Is.Not.EqualTo(before));
    }

    [TestCase("br", "/addin/launchevent.js")]
    [TestCase("gzip", "/addin/manifest.xml")]
    [TestCase("br", "/addin/taskpane.css")]
    public async Task Get_AcceptsCompression_CompressedWithAnETagOfItsOwn(string encoding, string path)
    {
        await using var app = App();
        using var client = app.CreateClient();

        using var plain = await client.GetAsync(path);
        using var compressedRequest = new HttpRequestMessage(HttpMethod.Get, path);
        compressedRequest.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        using var compressed = await client.SendAsync(compressedRequest);
        using var againRequest = new HttpRequestMessage(HttpMethod.Get, path);
        againRequest.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        againRequest.Headers.IfNoneMatch.Add(compressed.Headers.ETag!);
        using var again = await client.SendAsync(againRequest);

        Assert.That(compressed.Content.Headers.ContentEncoding, Is.EqualTo(new[] { encoding }));
        Assert.That(compressed.Headers.Vary, Does.Contain("Accept-Encoding"));
        Assert.That(compressed.Headers.ETag!.Tag, Is.EqualTo(plain.Headers.ETag!.Tag.TrimEnd('"') + $"-{encoding}\""));
        Assert.That(await Decompress(encoding, await compressed.Content.ReadAsByteArrayAsync()), Is.EqualTo(await plain.Content.ReadAsByteArrayAsync()));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [Test]
    public async Task GetIcon_AcceptsCompression_SentAsItIs()
    {
        await using var app = App();
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/addin/assets/icon-80.png");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));

        using var response = await client.SendAsync(request);

        Assert.That(response.Content.Headers.ContentEncoding, Is.Empty);
        Assert.That(response.Headers.ETag!.Tag, Does.Not.EndWith("-br\""));
    }

    [Test]
    public async Task GetAppPackage_Configured_TheServedManifestAndItsTwoIconsAtTheRoot()
    {
        await using var app = App(new() { ["Addin:BaseUrl"] = "https://boundaryguard.med.example.edu" });
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/addin/app-package.zip");
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync(), ZipArchiveMode.Read);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/zip"));
        Assert.That(zip.Entries.Select(e => e.FullName), Is.EqualTo(new[] { "manifest.json", "color.png", "outline.png" }));
        var manifest = await Read(zip, "manifest.json");
        Assert.That(manifest, Is.EqualTo(await client.GetByteArrayAsync("/addin/manifest.json")), "the manifest as served");
        Assert.That(await Read(zip, "color.png"), Is.EqualTo(await client.GetByteArrayAsync("/addin/assets/color.png")));
        Assert.That(await Read(zip, "outline.png"), Is.EqualTo(await client.GetByteArrayAsync("/addin/assets/outline.png")));
        var icons = JsonNode.Parse(manifest)!["icons"]!;
        Assert.That((icons["color"]!.GetValue<string>(), icons["outline"]!.GetValue<string>()), Is.EqualTo(("color.png", "outline.png")));
        Assert.That(Encoding.UTF8.GetString(manifest), Does.Contain("\"script\": \"https://boundaryguard.med.example.edu/addin/launchevent.js\""));
    }

    [TestCase("Addin:BaseUrl", "ftp://boundaryguard.med.example.edu")]
    [TestCase("Addin:BaseUrl", "http://boundaryguard.med.example.edu")]
    [TestCase("Addin:ApiBaseUrl", "https://api.boundaryguard.med.example.edu/?x=1")]
    [TestCase("Addin:ApiScope", "api://x\"; alert(1); \"")]
    [TestCase("Addin:SendMode", "Sometimes")]
    public void AddinOptions_BadSetting_RefusedNamingIt(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddAddinFiles().BuildServiceProvider();

        var error = Assert.Catch(() => _ = services.GetRequiredService<IOptions<AddinOptions>>().Value);

        Assert.That(error!.Message, Does.Contain(key.Split(':')[1]));
    }

    [TestCase("http://localhost:5080")]
    [TestCase("http://127.0.0.1:5080")]
    [TestCase("https://boundaryguard.med.example.edu")]
    public void AddinOptions_HttpsOrThisMachine_Accepted(string baseUrl)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Addin:BaseUrl"] = baseUrl }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddAddinFiles().BuildServiceProvider();

        Assert.That(services.GetRequiredService<IOptions<AddinOptions>>().Value.BaseUrl, Is.EqualTo(new Uri(baseUrl)));
    }

    [Test]
    public void AddinOptions_ApiBaseUrlWithoutBaseUrl_RefusedNamingBoth()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Addin:ApiBaseUrl"] = "https://api.boundaryguard.med.example.edu" })
            .Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddAddinFiles().BuildServiceProvider();

        var error = Assert.Catch(() => _ = services.GetRequiredService<IOptions<AddinOptions>>().Value);

        Assert.That(error!.Message, Does.Contain("Addin:ApiBaseUrl needs Addin:BaseUrl"));
    }

    /// <summary>The default policy filled into a bundled script (<c>defaultPolicy:{...}</c>, minified).</summary>
    private static JsonObject DefaultPolicyIn(string script)
    {
        const string Key = "defaultPolicy:";
        var start = script.IndexOf(Key, StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "the script names its default policy");
        var bytes = Encoding.UTF8.GetBytes(script[(start + Key.Length)..]);
        var reader = new Utf8JsonReader(bytes);
        Assert.That(reader.Read() && reader.TokenType == JsonTokenType.StartObject, Is.True, "a JSON object, not the placeholder");
        reader.Skip();
        return JsonNode.Parse(bytes.AsSpan(0, (int)reader.BytesConsumed))!.AsObject();
    }

    private static async Task<byte[]> Read(ZipArchive zip, string name)
    {
        await using var stream = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static async Task<byte[]> Decompress(string encoding, byte[] bytes)
    {
        await using var source = encoding == "br"
            ? (Stream)new BrotliStream(new MemoryStream(bytes), CompressionMode.Decompress)
            : new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var copy = new MemoryStream();
        await source.CopyToAsync(copy);
        return copy.ToArray();
    }
}
