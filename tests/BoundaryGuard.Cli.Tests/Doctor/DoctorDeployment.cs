using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.GraphSandbox.Seed;
using BoundaryGuard.Service.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Cli.Tests.Doctor;

/// <summary>
/// A deployment for the doctor to look at, correct unless a test spoils it: the Graph sandbox started in-process over
/// HTTP as the tenant (the five permissions, RBAC scope on the Department of Medicine's faculty), a SQLite file migrated
/// by the service's <see cref="SchemaMigrator"/>, a small web server serving the add-in's files as the service does,
/// and the service's settings file with the secret in an environment variable.
/// </summary>
internal sealed class DoctorDeployment : IAsyncDisposable
{
    public const string Secret = "doctor-test-secret-7f3a";

    /// <summary>In the management scope.</summary>
    public static readonly DemoUser InScope = DemoInstitution.MedicineProfessor;

    /// <summary>In the directory, outside the management scope.</summary>
    public static readonly DemoUser OutOfScope = DemoInstitution.SurgeryChair;

    private DoctorDeployment(RunningSandbox sandbox, WebApplication addin, Uri addinUrl, string database)
    {
        Sandbox = sandbox;
        Addin = addin;
        ServiceUrl = addinUrl;
        DatabasePath = database;
        Settings = new JsonObject
        {
            ["Graph"] = new JsonObject
            {
                ["BaseUrl"] = sandbox.GraphBaseUrl.ToString(),
                ["Credential"] = "Sandbox",
                ["TenantId"] = "med-example",
                ["ClientId"] = "boundaryguard",
            },
            ["Scheduling"] = new JsonObject { ["ConnectionString"] = $"Data Source={database};Pooling=False" },
            ["SendLater"] = new JsonObject
            {
                ["Mailboxes"] = new JsonArray(DemoInstitution.MedicineChair.UserPrincipalName, DemoInstitution.MedicineCustomZoneFaculty.UserPrincipalName),
            },
            ["Scorecard"] = new JsonObject { ["DigestSender"] = DemoInstitution.MedicineAssistantProfessor.UserPrincipalName },
            ["Authentication"] = new JsonObject
            {
                ["Schemes"] = new JsonObject
                {
                    ["Bearer"] = new JsonObject
                    {
                        ["Authority"] = "https://login.microsoftonline.com/med-example/v2.0",
                        ["ValidAudiences"] = new JsonArray("api://boundaryguard"),
                    },
                },
            },
            [nameof(Addin)] = new JsonObject { ["BaseUrl"] = "https://boundaryguard.med.example.edu" },
            ["AllowedHosts"] = "boundaryguard.med.example.edu",
            ["Policies"] = new JsonObject { ["Folder"] = Path.Combine(CliRunner.RepositoryRoot, "src", "BoundaryGuard.Demo", "policies") },
        };
    }

    public RunningSandbox Sandbox { get; }

    public WebApplication Addin { get; }

    public Uri ServiceUrl { get; }

    public string DatabasePath { get; }

    /// <summary>The service's settings (without the secret); a test may change them before <see cref="RunAsync"/>.</summary>
    public JsonObject Settings { get; }

    /// <param name="tenant">Spoils the tenant: the sandbox's options after the correct ones are set.</param>
    /// <param name="graphClock">The sandbox's clock (null: the system clock, as the doctor's).</param>
    public static async Task<DoctorDeployment> StartAsync(Action<SandboxOptions>? tenant = null, TimeProvider? graphClock = null)
    {
        var options = new SandboxOptions();
        options.Clients.Add(new SandboxClient { ClientId = "boundaryguard", ClientSecret = Secret });
        foreach (var faculty in new[] { DemoInstitution.MedicineChair, InScope, DemoInstitution.MedicineCustomZoneFaculty, DemoInstitution.MedicineAssistantProfessor })
        {
            options.MailboxScope.Add(faculty.UserPrincipalName);
        }

        tenant?.Invoke(options);
        var sandbox = await SandboxServer.StartAsync(options, graphClock);
        var (addin, addinUrl) = await StartAddinFilesAsync();
        var database = Path.Combine(TestContext.CurrentContext.WorkDirectory, "cli-tmp", $"{Guid.NewGuid():N}.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        var migrator = new SchemaMigrator(Options.Create(new SchedulingOptions { ConnectionString = $"Data Source={database};Pooling=False" }), TimeProvider.System);
        await migrator.MigrateAsync(CancellationToken.None);
        return new DoctorDeployment(sandbox, addin, addinUrl, database);
    }

    /// <summary>Takes the latest migration's row out, as a database last migrated by the previous build.</summary>
    public void ForgetLatestMigration()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)";
        Assert.That(command.ExecuteNonQuery(), Is.EqualTo(1));
    }

    /// <summary>
    /// Runs <c>boundaryguard doctor --settings FILE</c> plus <paramref name="args"/>, the secret in <c>Graph__ClientSecret</c>,
    /// for the Testing environment: the service refuses the sandbox's credential in production.
    /// </summary>
    public Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) =>
        CliRunner.RunAsync(
            new Dictionary<string, string?> { ["Graph__ClientSecret"] = Secret },
            ["doctor", "--settings", CliRunner.TempFile(Settings.ToJsonString()), "--environment", "Testing", .. args]);

    /// <summary>The options of a full run: both scope mailboxes and the add-in's server.</summary>
    public string[] Everything() =>
        ["--in-scope", InScope.UserPrincipalName, "--out-of-scope", OutOfScope.UserPrincipalName, "--service", ServiceUrl.ToString()];

    public async ValueTask DisposeAsync()
    {
        await Addin.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

    /// <summary>The paths Outlook fetches, as the service serves them (AddinFiles), with the repository's manifests.</summary>
    private static async Task<(WebApplication App, Uri Url)> StartAddinFilesAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var manifests = Path.Combine(CliRunner.RepositoryRoot, "manifest");
        app.MapGet("/.well-known/microsoft-officeaddins-allowed.json", (HttpContext context) =>
            Results.Json(new { allowed = new[] { $"http://{context.Request.Host}/addin/launchevent.js" } }));
        app.MapGet("/addin/manifest.xml", () => TypedResults.PhysicalFile(Path.Combine(manifests, "manifest.xml"), "text/xml"));
        app.MapGet("/addin/manifest.json", () => TypedResults.PhysicalFile(Path.Combine(manifests, "manifest.json"), "application/json"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address));
    }
}
