using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using BoundaryGuard.Graph;
using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Policies;
using BoundaryGuard.Service.Scheduling;
using BoundaryGuard.Service.Tests.Hosting;
using BoundaryGuard.Service.Tests.Scheduling;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BoundaryGuard.Service.Tests.Holds;

/// <summary>
/// The whole service as Program.cs composes it, on one <see cref="FakeTimeProvider"/> shared with a Graph sandbox
/// reached over HTTP, a SQLite file (or PostgreSQL) of its own, and bearer tokens signed with a test key the way
/// <c>dotnet user-jwts</c> signs them. Disposing the app and making another on the same <see cref="HoldsWorld"/> is a
/// restart of the service.
/// </summary>
internal sealed class HoldsApp : WebApplicationFactory<Program>
{
    private readonly HoldsWorld world;
    private readonly Dictionary<string, string?> extra;
    private readonly Action<IServiceCollection>? testServices;

    /// <param name="listen">On Kestrel at a loopback port (see <see cref="Address"/>), for a client in another process; else in memory.</param>
    /// <param name="services">Test services on top of the service's own (ConfigureTestServices), e.g. telemetry exporters.</param>
    public HoldsApp(HoldsWorld world, Dictionary<string, string?>? settings = null, bool listen = false, Action<IServiceCollection>? services = null)
    {
        this.world = world;
        extra = settings ?? [];
        testServices = services;
        if (listen)
        {
            UseKestrel(0);
        }

        // Started now, not on first use: a restarted service must run its triggers and sweeps even if no one calls it.
        StartServer();
    }

    /// <summary>The service's address when it listens, e.g. http://127.0.0.1:40123/.</summary>
    public Uri Address => ServerAddress.Loopback(Services);

    public HoldService Holds => Services.GetRequiredService<HoldService>();

    public IHoldStore Store => Services.GetRequiredService<IHoldStore>();

    public IHoldScheduler Scheduler => Services.GetRequiredService<IHoldScheduler>();

    public PolicyCatalog Policies => Services.GetRequiredService<PolicyCatalog>();

    /// <summary>An API client carrying a token for <paramref name="mailbox"/>.</summary>
    public HttpClient ClientFor(string mailbox, string role = "faculty")
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", HoldsWorld.Token(mailbox, role));
        return client;
    }

    /// <summary>Asks the service to hold a draft, as the add-in does.</summary>
    public async Task<JsonObject> HoldAsync(string mailbox, string messageId)
    {
        using var client = ClientFor(mailbox);
        using var response = await client.PostAsJsonAsync("/api/v1/holds", new { mailbox, messageId });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.That((int)response.StatusCode, Is.EqualTo(201).Or.EqualTo(200), body?.ToJsonString());
        return body!;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // UseSetting, not ConfigureAppConfiguration: Program reads the scheduling settings while registering services,
        // before configuration added by the factory's callbacks would be visible.
        foreach (var (key, value) in world.Settings().Concat(extra))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(world.Time);
            testServices?.Invoke(services);
        });
    }
}

/// <summary>What outlives one run of the service: the clock, the sandbox (the mailboxes), the database and the policy folder.</summary>
internal sealed class HoldsWorld : IAsyncDisposable
{
    public const string Issuer = "boundaryguard-tests";
    public const string Audience = "boundaryguard";

    // A fixed test key, base64 as user-jwts stores it; the service reads it from configuration like any signing key.
    private static readonly byte[] SigningKey = Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray();

    private readonly SchedulingTarget database;
    private readonly HttpClient admin = new();
    private GraphServiceClient? graph;
    private ServiceProvider? outlook;

    private HoldsWorld(TimeProvider clock, RunningSandbox sandbox, SchedulingTarget database, string policyFolder)
    {
        Time = clock;
        Sandbox = sandbox;
        this.database = database;
        PolicyFolder = policyFolder;
    }

    /// <summary>The clock of the sandbox and of the service (a fake one unless the world runs in real time).</summary>
    public TimeProvider Time { get; }

    public FakeTimeProvider Clock => (FakeTimeProvider)Time;

    public RunningSandbox Sandbox { get; }

    public string PolicyFolder { get; }

    /// <summary>Outlook's side of the mailboxes: creates, sends and deletes drafts as a user's client would.</summary>
    public GraphServiceClient Graph => graph ??= CreateGraphClient();

    public static Task<HoldsWorld> StartAsync(DateTimeOffset now, SchedulingProvider provider = SchedulingProvider.Sqlite, SandboxOptions? sandbox = null) =>
        StartAsync(new FakeTimeProvider(now), provider, sandbox);

    /// <summary>A world on the real clock, for a service running in a process of its own.</summary>
    public static Task<HoldsWorld> StartRealTimeAsync(SandboxOptions sandbox, SchedulingProvider provider = SchedulingProvider.Sqlite) =>
        StartAsync(TimeProvider.System, provider, sandbox);

    private static async Task<HoldsWorld> StartAsync(TimeProvider clock, SchedulingProvider provider, SandboxOptions? sandbox)
    {
        var database = SchedulingTarget.Create(provider);
        var folder = Path.Combine(Path.GetTempPath(), "bg-policies-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "policies")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var running = await SandboxServer.StartAsync(sandbox ?? new SandboxOptions(), clock);
        return new HoldsWorld(clock, running, database, folder);
    }

    public static string Token(string mailbox, string role = "faculty") =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            // Token lifetimes are checked against the real clock by the bearer handler, whatever the service's clock says.
            Expires = null,
            Subject = new ClaimsIdentity([new Claim("unique_name", mailbox), new Claim("sub", mailbox), new Claim("role", role)]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(SigningKey), SecurityAlgorithms.HmacSha256),
        });

    /// <summary>How many holds are in each state, read from the service's database.</summary>
    public Dictionary<string, long> HoldStates()
    {
        var states = new Dictionary<string, long>();
        Query("SELECT state, COUNT(*) FROM holds GROUP BY state", row => states[row.GetString(0)] = row.GetInt64(1));
        return states;
    }

    /// <summary>Runs a query on the service's database, SQLite or PostgreSQL, and hands each row to <paramref name="read"/>.</summary>
    public void Query(string sql, Action<System.Data.Common.DbDataReader> read)
    {
        using var connection = SchemaMigrator.Open(new SchedulingOptions { Provider = database.Provider, ConnectionString = database.ConnectionString });
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            read(reader);
        }
    }

    /// <summary>Replaces the policies with one for every department: every day in UTC, open from <paramref name="opensAt"/>'s minute to <paramref name="closesAt"/>'s (across midnight as need be).</summary>
    public void WriteUtcPolicy(DateTimeOffset opensAt, DateTimeOffset closesAt)
    {
        var start = opensAt.ToString("HH:mm:00", System.Globalization.CultureInfo.InvariantCulture);
        var end = closesAt.ToString("HH:mm:00", System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(PolicyFolder, "departments.json"), """{ "*": "open.json" }""");
        File.WriteAllText(Path.Combine(PolicyFolder, "open.json"), $$"""
            { "workingHours": { "daysOfWeek": ["monday","tuesday","wednesday","thursday","friday","saturday","sunday"],
                                "startTime": "{{start}}", "endTime": "{{end}}", "timeZone": { "name": "UTC" } } }
            """);
    }

    public Dictionary<string, string?> Settings()
    {
        var settings = database.Settings();
        settings["Graph:BaseUrl"] = Sandbox.GraphBaseUrl.ToString();
        settings["Graph:Credential"] = "Sandbox";
        settings["Graph:TenantId"] = "boundaryguard-tests";
        settings["Graph:ClientId"] = "service-tests";
        settings["Graph:ClientSecret"] = "service-tests";
        settings["Graph:SendConfirmationTimeout"] = "00:00:10";
        settings["Policies:Folder"] = PolicyFolder;
        settings["Calendars:ClosureMailboxes:0"] = GraphSandbox.Seed.DemoInstitution.Closures.UserPrincipalName;
        // Shared by every node of the world, as a clustered deployment must share them (the service refuses otherwise).
        settings["SignIn:KeysFolder"] = PolicyFolder + "-keys";
        settings["Authentication:Schemes:Bearer:ValidIssuer"] = Issuer;
        settings["Authentication:Schemes:Bearer:ValidAudiences:0"] = Audience;
        settings["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = Issuer;
        settings["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(SigningKey);
        return settings;
    }

    /// <summary>A draft as Outlook saves it: no subject or body BoundaryGuard needs, only the recipients it decides by.</summary>
    public async Task<string> CreateDraftAsync(string mailbox, params string[] to)
    {
        var draft = await Graph.Users[mailbox].Messages.PostAsync(new Message
        {
            Subject = "Case conference notes",
            Body = new ItemBody { ContentType = BodyType.Text, Content = "Notes for Monday." },
            ToRecipients = [.. to.Select(address => new Recipient { EmailAddress = new EmailAddress { Address = address } })],
        });
        return draft!.Id!;
    }

    /// <summary>Sets the sandbox's fault injection (<c>PUT /sandbox/faults</c>); an empty object turns it off.</summary>
    public async Task SetFaultsAsync(object faults)
    {
        using var response = await admin.PutAsJsonAsync(new Uri(Sandbox.BaseUrl, "sandbox/faults"), faults);
        Assert.That((int)response.StatusCode, Is.EqualTo(200).Or.EqualTo(204), await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonObject> ReportAsync() =>
        (await admin.GetFromJsonAsync<JsonObject>(new Uri(Sandbox.BaseUrl, "sandbox/report")))!;

    public async Task<long> SendsAsync() => (await ReportAsync())["sends"]!.GetValue<long>();

    /// <summary>Makes a draft act as one Outlook saved in cached mode: unknown to Graph for <paramref name="hiddenFor"/> of sandbox time.</summary>
    public async Task UnsyncedAsync(string messageId, TimeSpan hiddenFor)
    {
        using var response = await admin.PostAsJsonAsync(new Uri(Sandbox.BaseUrl, "sandbox/unsynced"), new { messageId, hiddenFor });
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
    }

    /// <summary>How many metric events of each kind the service recorded.</summary>
    public Dictionary<string, long> MetricKinds()
    {
        var kinds = new Dictionary<string, long>();
        Query("SELECT kind, COUNT(*) FROM metric_events GROUP BY kind", row => kinds[row.GetString(0)] = row.GetInt64(1));
        return kinds;
    }

    /// <summary>When the sandbox recorded the message as sent (its Sent Items copy), or null while it is not there.</summary>
    public async Task<DateTimeOffset?> SentAtAsync(string mailbox, string messageId)
    {
        var message = await Graph.Users[mailbox].Messages[messageId].GetAsync(r => r.QueryParameters.Select = ["isDraft", "sentDateTime"]);
        return message is { IsDraft: false } ? message.SentDateTime : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (outlook is not null)
        {
            await outlook.DisposeAsync();
        }
        admin.Dispose();
        await Sandbox.DisposeAsync();
        database.Dispose();
        Directory.Delete(PolicyFolder, recursive: true);
        if (Directory.Exists(PolicyFolder + "-keys"))
        {
            Directory.Delete(PolicyFolder + "-keys", recursive: true);
        }
    }

    private GraphServiceClient CreateGraphClient()
    {
        // The user's own mail client: a Graph client of its own (not the service's), against the same sandbox.
        var settings = Settings().Where(s => s.Key.StartsWith("Graph:", StringComparison.Ordinal)).ToDictionary();
        settings["Graph:ClientId"] = "outlook";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        outlook = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(Time)
            .AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Testing" })
            .AddGraphMailbox()
            .BuildServiceProvider();
        return outlook.GetRequiredService<GraphServiceClient>();
    }
}
