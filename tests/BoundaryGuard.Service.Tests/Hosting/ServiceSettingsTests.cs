using BoundaryGuard.Service.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace BoundaryGuard.Service.Tests.Hosting;

/// <summary>What the service refuses to start with, one line per setting (<see cref="ServiceSettings"/>).</summary>
public sealed class ServiceSettingsTests
{
    /// <summary>A complete production deployment's settings: the baseline every test takes something from or adds to.</summary>
    private static Dictionary<string, string?> Production() => new()
    {
        ["Graph:Credential"] = "ClientCertificate",
        ["Graph:TenantId"] = "6f1c0000-0000-4000-8000-000000000001",
        ["Graph:ClientId"] = "6f1c0000-0000-4000-8000-000000000002",
        ["Graph:CertificatePath"] = "/etc/boundaryguard/graph.pfx",
        ["Authentication:Schemes:Bearer:Authority"] = "https://login.microsoftonline.com/6f1c0000-0000-4000-8000-000000000001/v2.0",
        ["Authentication:Schemes:Bearer:ValidAudiences:0"] = "api://boundaryguard",
        ["Scheduling:ConnectionString"] = "Data Source=/var/lib/boundaryguard/boundaryguard.db",
        ["Addin:BaseUrl"] = "https://boundaryguard.med.example.edu",
        ["AllowedHosts"] = "boundaryguard.med.example.edu",
        ["Policies:Folder"] = Path.Combine(AppContext.BaseDirectory, "policies"),
    };

    private static IReadOnlyList<string> Problems(Dictionary<string, string?> settings, string environment = "Production") =>
        ServiceSettings.Problems(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), new HostEnvironment(environment));

    [Test]
    public void Problems_CompleteProductionSettings_None()
    {
        Assert.That(Problems(Production()), Is.Empty);
    }

    [Test]
    public void Problems_NoSettingsAtAll_EveryMissingSettingNamedOnALineOfItsOwn()
    {
        var problems = Problems([]);

        Assert.That(problems, Has.Some.StartsWith("Graph:Credential is required"));
        Assert.That(problems, Has.Some.StartsWith("Graph:TenantId is required"));
        Assert.That(problems, Has.Some.StartsWith("Graph:ClientId is required"));
        Assert.That(problems, Has.Some.StartsWith("Authentication:Schemes:Bearer:ValidAudiences is required"));
        Assert.That(problems, Has.Some.StartsWith("Authentication:Schemes:Bearer:Authority is required"));
        Assert.That(problems, Has.Some.StartsWith("Scheduling:ConnectionString is required"));
        Assert.That(problems, Has.Some.StartsWith("Addin:BaseUrl is required"));
        Assert.That(problems, Has.Some.StartsWith("AllowedHosts is required"));
        Assert.That(problems, Has.Some.StartsWith("Policies:Folder is required"));
        Assert.That(problems, Has.All.Not.Contains(Environment.NewLine));
    }

    [Test]
    public void Problems_OnlyAGraphSection_TheRestNamed()
    {
        var settings = Production();
        var graphOnly = settings.Where(s => s.Key.StartsWith("Graph:", StringComparison.Ordinal)).ToDictionary();

        var problems = Problems(graphOnly);

        Assert.That(problems, Has.None.StartsWith("Graph:"));
        Assert.That(problems, Has.Some.StartsWith("Authentication:Schemes:Bearer:ValidAudiences is required"));
        Assert.That(problems, Has.Some.StartsWith("Scheduling:ConnectionString is required"));
    }

    [TestCase("Demo:ClockSpeed", "3600")]
    [TestCase("Demo:StartAt", "2026-12-04T23:00:00-05:00")]
    [TestCase("Demo:History", "true")]
    [TestCase("Sandbox:Port", "5190")]
    public void Problems_DemoSettingNextToARealTenant_RefusedByName(string key, string value)
    {
        var settings = Production();
        settings[key] = value;

        Assert.That(Problems(settings), Is.EqualTo(new[]
        {
            $"{key} is a setting of the demo host (dotnet run --project src/BoundaryGuard.Demo); the service has no demo clock or sandbox: remove it.",
        }));
    }

    [Test]
    public void Problems_SandboxCredentialInProduction_Refused()
    {
        var settings = Production();
        settings["Graph:Credential"] = "Sandbox";
        settings["Graph:BaseUrl"] = "http://127.0.0.1:5190/v1.0";
        settings["Graph:ClientSecret"] = "sandbox";

        Assert.That(Problems(settings), Has.Some.StartsWith("Graph:Credential Sandbox is for development and tests"));
        Assert.That(Problems(settings, "Testing"), Has.None.StartsWith("Graph:Credential Sandbox"));
    }

    [Test]
    public void Problems_LocallySignedTokensInProduction_RefusedUnlessTesting()
    {
        var settings = Production();
        settings.Remove("Authentication:Schemes:Bearer:Authority");
        settings["Authentication:Schemes:Bearer:ValidIssuer"] = "boundaryguard-tests";
        settings["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = "boundaryguard-tests";
        settings["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(new byte[32]);

        Assert.That(Problems(settings), Is.EqualTo(new[]
        {
            "Authentication:Schemes:Bearer:Authority is required in production: tokens signed with a key from the settings (Authentication:Schemes:Bearer:SigningKeys) are for development and tests.",
        }));
        Assert.That(Problems(settings, "Testing"), Is.Empty);
    }

    [TestCase("Authentication:Schemes:Bearer:ValidIssuer")]
    [TestCase("Authentication:Schemes:Bearer:ValidIssuers:0")]
    [TestCase("Authentication:Schemes:Bearer:SigningKeys:0:Issuer")]
    public void Problems_TheDemoIssuerTrusted_Refused(string key)
    {
        var settings = Production();
        settings[key] = "boundaryguard-demo";

        Assert.That(Problems(settings, "Testing"), Has.Some.Contains("the issuer 'boundaryguard-demo' is the demo host's"));
    }

    [Test]
    public void Problems_ClusteredWithoutSharedSignInKeys_Refused()
    {
        var settings = Production();
        settings["Scheduling:Provider"] = "PostgreSQL";
        settings["Scheduling:ConnectionString"] = "Host=db;Database=boundaryguard";

        Assert.That(Problems(settings), Is.EqualTo(new[]
        {
            "SignIn:KeysFolder is required when nodes are clustered: a sign-in made on one node must open on the others.",
        }));
        settings["SignIn:KeysFolder"] = "/var/lib/boundaryguard/keys";
        Assert.That(Problems(settings), Is.Empty);
    }

    [Test]
    public void Problems_PolicyFolderWithoutDepartments_RefusedNamingTheFolder()
    {
        var settings = Production();
        settings["Policies:Folder"] = Path.GetTempPath();

        Assert.That(Problems(settings), Has.Some.StartsWith("Policies:Folder must be a folder holding departments.json"));
    }

    [TestCase("ASPNETCORE_FORWARDEDHEADERS_ENABLED")]
    [TestCase("FORWARDEDHEADERS_ENABLED")]
    public void Problems_ForwardedHeadersFromAnyoneInProduction_Refused(string key)
    {
        var settings = Production();
        settings[key] = "true";

        Assert.That(Problems(settings), Has.Some.StartsWith("ASPNETCORE_FORWARDEDHEADERS_ENABLED trusts forwarded headers from anyone"));
        Assert.That(Problems(settings, "Testing"), Is.Empty);
    }

    [Test]
    public void Problems_ProxyListsNotAddresses_NamedEach()
    {
        var settings = Production();
        settings["ForwardedHeaders:KnownProxies:0"] = "proxy.med.example.edu";
        settings["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/33";

        Assert.That(Problems(settings), Is.EqualTo(new[]
        {
            "ForwardedHeaders:KnownProxies:0 must be an IP address.",
            "ForwardedHeaders:KnownNetworks:0 must be a network in CIDR form, e.g. 10.0.0.0/24.",
        }));
    }

    [Test]
    public void Problems_ClientSecretOutsideDevelopment_TheGraphValidatorsLine()
    {
        var settings = Production();
        settings["Graph:Credential"] = "ClientSecret";
        settings["Graph:ClientSecret"] = "secret";

        Assert.That(Problems(settings), Has.Some.StartsWith("Graph:Credential ClientSecret is for development only"));
    }

    private sealed class HostEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "BoundaryGuard.Service";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
