using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BoundaryGuard.Service.Scheduling;
using BoundaryGuard.Service.Tests.Hosting;
using Microsoft.Data.Sqlite;

namespace BoundaryGuard.Service.Tests.Holds;

/// <summary>
/// The service as a process of its own (<c>dotnet BoundaryGuard.Service.dll</c>, Kestrel on a loopback port, the
/// world's database, sandbox and policy folder, real time), for what a test host cannot do: SIGKILL, and load that
/// is not shared with the test's own threads. Starting it again on the same object is a restart on the same port.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly HoldsWorld world;
    private readonly Dictionary<string, string?> settings;
    private Process? process;

    private ServiceProcess(HoldsWorld world, Dictionary<string, string?> settings)
    {
        this.world = world;
        this.settings = settings;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ServerAddress.FreePort()}") };
    }

    public HttpClient Http { get; }

    public static async Task<ServiceProcess> StartAsync(HoldsWorld world, Dictionary<string, string?> settings)
    {
        var service = new ServiceProcess(world, settings);
        await service.StartAsync();
        return service;
    }

    /// <summary>Starts the process and waits until <c>/healthz/ready</c> says it is ready.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "BoundaryGuard.Service.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(Http.BaseAddress!.ToString());
        var all = world.Settings();
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        if (all["Scheduling:Provider"] == nameof(SchedulingProvider.Sqlite))
        {
            // Pooled, as the service's own default is: only a test host in this process turns pooling off, so that a
            // restart on the same file opens it afresh. A process of its own lets go of the file when it ends.
            all["Scheduling:ConnectionString"] = new SqliteConnectionStringBuilder(all["Scheduling:ConnectionString"]) { Pooling = true }.ToString();
        }

        foreach (var (key, value) in all.Where(s => s.Value is not null))
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        process = Process.Start(start)!;
        // Drained so a chatty child never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                using var response = await Http.GetAsync("/healthz/ready");
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the service to start", seconds: 60);
    }

    /// <summary>SIGKILL: no shutdown, no finishing of in-flight sends.</summary>
    public async Task KillAsync()
    {
        if (process is null)
        {
            return;
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        process = null;
    }

    /// <summary>
    /// Makes <paramref name="draftsPerMailbox"/> drafts in each mailbox, as Outlook saves them, and asks the service
    /// to hold each one, as the add-in does; every one must come back held.
    /// </summary>
    public async Task<IReadOnlyCollection<(string Mailbox, string Draft)>> HoldDraftsAsync(IEnumerable<string> mailboxes, int draftsPerMailbox)
    {
        var drafts = new System.Collections.Concurrent.ConcurrentBag<(string Mailbox, string Draft)>();
        await Parallel.ForEachAsync(mailboxes, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (mailbox, ct) =>
        {
            using var client = new HttpClient { BaseAddress = Http.BaseAddress };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", HoldsWorld.Token(mailbox));
            for (var i = 0; i < draftsPerMailbox; i++)
            {
                var draft = await world.CreateDraftAsync(mailbox, "colleague@elsewhere.example.org");
                using var response = await client.PostAsJsonAsync("/api/v1/holds", new { mailbox, messageId = draft }, ct);
                var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
                Assert.That(body!["state"]!.GetValue<string>(), Is.EqualTo("held"), body.ToJsonString());
                drafts.Add((mailbox, draft));
            }
        });
        return drafts;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Http.Dispose();
    }
}
