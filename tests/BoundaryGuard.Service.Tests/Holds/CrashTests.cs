using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Hosting;
using Microsoft.Data.Sqlite;

namespace BoundaryGuard.Service.Tests.Holds;

/// <summary>
/// The service as a process of its own, killed with SIGKILL at random moments while it releases 2,000 holds, ten
/// times over: afterwards every hold is sent and the sandbox saw each draft sent once. Real time throughout: the
/// policy's window opens a minute and a half after the test starts, every day, in UTC.
/// </summary>
/// <remarks>
/// Explicit for now (issue 4's note): it passes on its own (twice, 3 m 11 s and 3 m 17 s), but inside the full parallel
/// run the 2,000 holds take longer to make than the fixed 90 s before the window opens. Run it with
/// <c>dotnet test tests/BoundaryGuard.Service.Tests --filter FullyQualifiedName~CrashTests</c>.
/// </remarks>
[NonParallelizable]
[Explicit("Run by hand until its timing no longer depends on the machine's load; see the remarks.")]
public sealed class CrashTests
{
    private const int Mailboxes = 100;
    private const int DraftsPerMailbox = 20;
    private const int Kills = 10;

    [Test]
    public async Task Release_ServiceKilledTenTimesWhileReleasing2000Holds_EverySentExactlyOnce()
    {
        await using var world = await HoldsWorld.StartRealTimeAsync(new SandboxOptions { AdditionalFaculty = Mailboxes });
        var opensAt = OpenPolicy(world, TimeSpan.FromSeconds(90));
        var port = FreePort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var service = await StartAsync(world, port, http);
        try
        {
            var mailboxes = Enumerable.Range(1, Mailboxes).Select(n => $"faculty{n:D3}@med.example.edu").ToList();
            var drafts = new System.Collections.Concurrent.ConcurrentBag<(string Mailbox, string Draft)>();
            await Parallel.ForEachAsync(mailboxes, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (mailbox, ct) =>
            {
                using var client = new HttpClient { BaseAddress = http.BaseAddress };
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", HoldsWorld.Token(mailbox));
                for (var i = 0; i < DraftsPerMailbox; i++)
                {
                    var draft = await world.CreateDraftAsync(mailbox, "colleague@elsewhere.example.org");
                    using var response = await client.PostAsJsonAsync("/api/v1/holds", new { mailbox, messageId = draft }, ct);
                    var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
                    Assert.That(body!["state"]!.GetValue<string>(), Is.EqualTo("held"), body.ToJsonString());
                    drafts.Add((mailbox, draft));
                }
            });
            Assert.That(world.Time.GetUtcNow(), Is.LessThan(opensAt), "the holds were made before their window opened");

            while (world.Time.GetUtcNow() < opensAt)
            {
                await Task.Delay(100);
            }

            var random = new Random(20261125);
            for (var kill = 0; kill < Kills; kill++)
            {
                await Task.Delay(random.Next(200, 2500));
                service.Kill(entireProcessTree: true);
                await service.WaitForExitAsync();
                service.Dispose();
                TestContext.Progress.WriteLine($"kill {kill + 1}: {await world.SendsAsync()} sends so far");
                service = await StartAsync(world, port, http);
            }

            await Eventually.ValueAsync(() => Task.FromResult(States(world)), s => s.Count == 1 && s.ContainsKey("sent"), "every hold sent", seconds: 240);
            Assert.That(await world.SendsAsync(), Is.EqualTo(Mailboxes * DraftsPerMailbox), "one send per draft, none repeated");
            foreach (var (mailbox, draft) in drafts)
            {
                Assert.That(await world.SentAtAsync(mailbox, draft), Is.Not.Null);
            }
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync();
            service.Dispose();
        }
    }

    private static Dictionary<string, long> States(HoldsWorld world)
    {
        using var connection = new SqliteConnection(world.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT state, COUNT(*) FROM holds GROUP BY state";
        using var reader = command.ExecuteReader();
        var states = new Dictionary<string, long>();
        while (reader.Read())
        {
            states[reader.GetString(0)] = reader.GetInt64(1);
        }

        return states;
    }

    /// <summary>A policy whose window opens at the next whole minute after <paramref name="lead"/>, and closes ten minutes before it opens again.</summary>
    private static DateTimeOffset OpenPolicy(HoldsWorld world, TimeSpan lead)
    {
        var folder = world.PolicyFolder;
        var now = world.Time.GetUtcNow() + lead;
        var opensAt = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        var start = opensAt.ToString("HH:mm:00", CultureInfo.InvariantCulture);
        var end = opensAt.AddMinutes(-10).ToString("HH:mm:00", CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(folder, "departments.json"), """{ "*": "open.json" }""");
        File.WriteAllText(Path.Combine(folder, "open.json"), $$"""
            { "workingHours": { "daysOfWeek": ["monday","tuesday","wednesday","thursday","friday","saturday","sunday"],
                                "startTime": "{{start}}", "endTime": "{{end}}", "timeZone": { "name": "UTC" } } }
            """);
        return opensAt;
    }

    private static async Task<Process> StartAsync(HoldsWorld world, int port, HttpClient http)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "BoundaryGuard.Service.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        var settings = world.Settings();
        settings["Holds:SendSettleTime"] = "00:00:05";
        settings["Holds:SweepInterval"] = "00:00:05";
        settings["Graph:SendConfirmationTimeout"] = "00:00:02";
        settings["Logging:LogLevel:Default"] = "Warning";
        foreach (var (key, value) in settings.Where(s => s.Value is not null))
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(start)!;
        // Drained so a chatty child never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                using var response = await http.GetAsync("/healthz");
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the service to start", seconds: 60);
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
