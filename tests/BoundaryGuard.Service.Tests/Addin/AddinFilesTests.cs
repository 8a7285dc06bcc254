using System.Net;
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
            ["Addin:SendMode"] = "SoftBlock",
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
        Assert.That((string?)sendEvent.Attribute("SendMode"), Is.EqualTo("SoftBlock"));
    }

    [Test]
    public async Task GetManifestJson_NoBaseUrl_TheRequestsOwnAddressAndThePromptUserDefault()
    {
        await using var app = App();
        using var client = app.CreateClient();

        var text = await client.GetStringAsync("/addin/manifest.json");

        Assert.That(text, Does.Not.Contain("boundaryguard.invalid"));
        Assert.That(text, Does.Contain("\"script\": \"http://localhost/addin/launchevent.js\""));
        Assert.That(text, Does.Contain("\"localhost\""), "validDomains names the bare host");
        Assert.That(text, Does.Contain("\"sendMode\": \"promptUser\""));
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

    [TestCase("/addin/assets/icon-80.png", "image/png")]
    [TestCase("/addin/taskpane.html", "text/html")]
    [TestCase("/addin/taskpane.js", "text/javascript")]
    public async Task Get_AddinFile_ServedAnonymously(string path, string mediaType)
    {
        await using var app = App();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo(mediaType));
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

    [TestCase("Addin:BaseUrl", "ftp://boundaryguard.med.example.edu")]
    [TestCase("Addin:ApiScope", "api://x\"; alert(1); \"")]
    [TestCase("Addin:SendMode", "Sometimes")]
    public void AddinOptions_BadSetting_RefusedNamingIt(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddAddinFiles().BuildServiceProvider();

        var error = Assert.Catch(() => _ = services.GetRequiredService<IOptions<AddinOptions>>().Value);

        Assert.That(error!.Message, Does.Contain(key.Split(':')[1]));
    }
}
