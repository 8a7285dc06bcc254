using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BoundaryGuard.Graph.Tests.Contract;

/// <summary>
/// Where the contract suite runs: the local sandbox (always), or a real Microsoft 365 tenant when
/// <c>BOUNDARYGUARD_GRAPH_TENANT_ID</c> and its companions are set. Both go through the same
/// <see cref="GraphServiceCollectionExtensions.AddGraphMailbox"/> wiring the service uses.
/// </summary>
public abstract class GraphTarget : IAsyncDisposable
{
    private IHost? host;

    public abstract string Name { get; }

    /// <summary>A faculty mailbox the suite may create, mark and send drafts in.</summary>
    public string Mailbox { get; protected set; } = string.Empty;

    /// <summary>Where the suite's test mail goes.</summary>
    public string Recipient { get; protected set; } = string.Empty;

    /// <summary>A mailbox and calendar holding closures, or null when the target has none to read.</summary>
    public (string Mailbox, string CalendarName)? ClosureCalendar { get; protected set; }

    public IServiceProvider Services => host?.Services ?? throw new InvalidOperationException("Start the target first.");

    public static IEnumerable<GraphTarget> All() => [new SandboxTarget(), new TenantTarget()];

    public async Task StartAsync()
    {
        var settings = await PrepareAsync().ConfigureAwait(false);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = Environments.Development,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddGraphMailbox();
        host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
    }

    /// <summary>The <c>Graph:*</c> settings; ignores the fixture when the target is not available here.</summary>
    protected abstract Task<Dictionary<string, string?>> PrepareAsync();

    /// <summary>The sandbox's count of limit violations and requests without immutable ids; null for a real tenant.</summary>
    public virtual Task<JsonObject?> ReportAsync() => Task.FromResult<JsonObject?>(null);

    public override string ToString() => Name;

    public virtual async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.StopAsync().ConfigureAwait(false);
            host.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}

public class SandboxTarget : GraphTarget
{
    private RunningSandbox? sandbox;
    private readonly HttpClient admin = new();

    public override string Name => "sandbox";

    public RunningSandbox Sandbox => sandbox ?? throw new InvalidOperationException("Start the target first.");

    protected override async Task<Dictionary<string, string?>> PrepareAsync()
    {
        sandbox = await SandboxServer.StartAsync(SandboxOptions()).ConfigureAwait(false);
        Mailbox = "mwebb@med.example.edu";
        Recipient = "jlee@med.example.edu";
        ClosureCalendar = ("closures@med.example.edu", "Institution closures");
        return new()
        {
            ["Graph:BaseUrl"] = sandbox.GraphBaseUrl.ToString(),
            ["Graph:Credential"] = "Sandbox",
            ["Graph:TenantId"] = "boundaryguard-tests",
            ["Graph:ClientId"] = "contract-tests",
            ["Graph:ClientSecret"] = "contract-tests",
            ["Graph:SendConfirmationTimeout"] = "00:00:10",
        };
    }

    protected virtual SandboxOptions SandboxOptions() => new();

    public async Task ResetReportAsync()
    {
        using var response = await admin.PostAsync(new Uri(Sandbox.BaseUrl, "sandbox/report/reset"), null).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    public override async Task<JsonObject?> ReportAsync() =>
        await admin.GetFromJsonAsync<JsonObject>(new Uri(Sandbox.BaseUrl, "sandbox/report")).ConfigureAwait(false);

    public async Task SetFaultsAsync(object faults)
    {
        using var response = await admin.PutAsJsonAsync(new Uri(Sandbox.BaseUrl, "sandbox/faults"), faults).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        if (sandbox is not null)
        {
            await sandbox.DisposeAsync().ConfigureAwait(false);
        }

        admin.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// A real tenant, for IT to prove an app registration and its RBAC scope before go-live. Set
/// <c>BOUNDARYGUARD_GRAPH_TENANT_ID</c>, <c>_CLIENT_ID</c>, <c>_CERTIFICATE_PATH</c> (or <c>_CLIENT_SECRET</c>),
/// <c>_MAILBOX</c> (a test faculty mailbox in scope), <c>_RECIPIENT</c>, and optionally <c>_CALENDAR_MAILBOX</c> and
/// <c>_CALENDAR_NAME</c>. The suite creates and sends real drafts from that mailbox.
/// </summary>
public sealed class TenantTarget : GraphTarget
{
    public override string Name => "tenant";

    protected override Task<Dictionary<string, string?>> PrepareAsync()
    {
        static string? Env(string name) => Environment.GetEnvironmentVariable($"BOUNDARYGUARD_GRAPH_{name}");
        if (string.IsNullOrWhiteSpace(Env("TENANT_ID")))
        {
            Assert.Ignore("No real tenant configured: set BOUNDARYGUARD_GRAPH_TENANT_ID and its companions to run the contract suite against Microsoft 365.");
        }

        Mailbox = Env("MAILBOX") ?? throw new InvalidOperationException("BOUNDARYGUARD_GRAPH_MAILBOX is required with a real tenant.");
        Recipient = Env("RECIPIENT") ?? Mailbox;
        if (Env("CALENDAR_MAILBOX") is { } calendarMailbox && Env("CALENDAR_NAME") is { } calendarName)
        {
            ClosureCalendar = (calendarMailbox, calendarName);
        }

        var certificate = Env("CERTIFICATE_PATH");
        return Task.FromResult(new Dictionary<string, string?>
        {
            ["Graph:Credential"] = certificate is null ? "ClientSecret" : "ClientCertificate",
            ["Graph:TenantId"] = Env("TENANT_ID"),
            ["Graph:ClientId"] = Env("CLIENT_ID"),
            ["Graph:ClientSecret"] = Env("CLIENT_SECRET"),
            ["Graph:CertificatePath"] = certificate,
            ["Graph:CertificatePassword"] = Env("CERTIFICATE_PASSWORD"),
        });
    }
}
