using BoundaryGuard.Graph;
using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.Service.Scheduling;
using Microsoft.Data.Sqlite;

namespace BoundaryGuard.Demo;

/// <summary>
/// A Graph sandbox inside the service's process (settings in section <c>Sandbox</c>): on 127.0.0.1 port
/// <c>Sandbox:Port</c> (default 5190, 0 picks a free one), seeded with the demo institution, its state in
/// <c>Sandbox:DataFile</c> (default <c>boundaryguard-sandbox.json</c> beside the SQLite database; empty keeps it in
/// memory). It stops after the host's services have stopped, so releases still in flight can finish against it.
/// </summary>
public sealed class EmbeddedGraphSandbox : IHostedLifecycleService, IAsyncDisposable
{
    public const int DefaultPort = 5190;

    public const string DataFileName = "boundaryguard-sandbox.json";

    // Any values do: the sandbox accepts every client unless told otherwise. Named so its report reads clearly.
    private const string DemoCredential = "boundaryguard-demo";

    private EmbeddedGraphSandbox(RunningSandbox sandbox, string? dataFile)
    {
        Sandbox = sandbox;
        DataFile = dataFile;
    }

    public RunningSandbox Sandbox { get; }

    /// <summary>Where the sandbox keeps its state; null when in memory.</summary>
    public string? DataFile { get; }

    internal static EmbeddedGraphSandbox Start(IConfiguration configuration, TimeProvider clock)
    {
        var options = configuration.GetSection(SandboxOptions.Section).Get<SandboxOptions>() ?? new SandboxOptions();
        // SandboxOptions' own default port is 0 (tests); the service's sandbox has a fixed, documented address.
        options.Port = configuration.GetValue<int?>($"{SandboxOptions.Section}:{nameof(SandboxOptions.Port)}") ?? DefaultPort;
        if (configuration[$"{SandboxOptions.Section}:{nameof(SandboxOptions.DataFile)}"] is null)
        {
            options.DataFile = DefaultDataFile(configuration);
        }

        try
        {
            // Started in an execution context of its own: no ambient state of the service's start-up reaches the
            // sandbox's host. WebApplicationFactory, for one, takes the first host built in the entry point's async
            // flow to be the application, and that must be the service, not the sandbox built before it.
            Task<RunningSandbox> starting;
            using (ExecutionContext.SuppressFlow())
            {
                starting = Task.Run(() => SandboxServer.StartAsync(options, clock));
            }

            // A synchronous wait during service registration: the Graph options need the sandbox's address before the
            // container (and with it any asynchronous start-up hook) exists. The start takes milliseconds.
            var sandbox = starting.GetAwaiter().GetResult();
            return new EmbeddedGraphSandbox(sandbox, string.IsNullOrEmpty(options.DataFile) ? null : Path.GetFullPath(options.DataFile));
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"The embedded Graph sandbox cannot listen on 127.0.0.1:{options.Port} ({ex.Message}). Set Sandbox:Port " +
                "to another port (0 picks a free one).", ex);
        }
    }

    /// <summary>Beside the SQLite database, whose folder the operator already chose for the service's state.</summary>
    internal static string DefaultDataFile(IConfiguration configuration)
    {
        var scheduling = configuration.GetSection(SchedulingOptions.Section).Get<SchedulingOptions>() ?? new SchedulingOptions();
        var folder = Directory.GetCurrentDirectory();
        if (scheduling.Provider == SchedulingProvider.Sqlite)
        {
            try
            {
                var database = new SqliteConnectionStringBuilder(scheduling.ConnectionString).DataSource;
                if (!string.IsNullOrEmpty(database) && database != ":memory:" && !database.StartsWith("file:", StringComparison.Ordinal))
                {
                    folder = Path.GetDirectoryName(Path.GetFullPath(database)) ?? folder;
                }
            }
            catch (ArgumentException)
            {
                // A malformed connection string: the scheduling options validation reports it at start.
            }
        }

        return Path.Combine(folder, DataFileName);
    }

    /// <summary>The <c>Graph:*</c> settings that point the gateway at this sandbox.</summary>
    internal Dictionary<string, string?> GraphSettings() => new()
    {
        [$"{GraphOptions.Section}:{nameof(GraphOptions.BaseUrl)}"] = Sandbox.GraphBaseUrl.ToString(),
        [$"{GraphOptions.Section}:{nameof(GraphOptions.Credential)}"] = nameof(GraphCredentialKind.Sandbox),
        [$"{GraphOptions.Section}:{nameof(GraphOptions.TenantId)}"] = DemoCredential,
        [$"{GraphOptions.Section}:{nameof(GraphOptions.ClientId)}"] = DemoCredential,
        [$"{GraphOptions.Section}:{nameof(GraphOptions.ClientSecret)}"] = DemoCredential,
    };

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After every hosted service's StopAsync, Quartz's wait for in-flight releases included.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken) => await Sandbox.DisposeAsync().ConfigureAwait(false);

    public ValueTask DisposeAsync() => Sandbox.DisposeAsync();
}
