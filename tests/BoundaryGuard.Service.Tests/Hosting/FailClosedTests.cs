using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BoundaryGuard.Service.Tests.Hosting;

/// <summary>
/// The service as a deployment would start it (<c>dotnet BoundaryGuard.Service.dll</c>, environment Production, the
/// appsettings.json it ships): with a missing or contradictory setting it writes one line per setting, exits with a
/// non-zero code, and never listens.
/// </summary>
public sealed class FailClosedTests
{
    private static readonly string[] RealGraph =
    [
        "--Graph:Credential=ClientCertificate", "--Graph:TenantId=6f1c0000-0000-4000-8000-000000000001",
        "--Graph:ClientId=6f1c0000-0000-4000-8000-000000000002", "--Graph:CertificatePath=/etc/boundaryguard/graph.pfx",
    ];

    [Test]
    public async Task Start_NoConfiguration_RefusesNamingEachSettingAndNothingListens()
    {
        var (exit, error, listened) = await StartAsync();

        Assert.That(exit, Is.Not.Zero);
        Assert.That(listened, Is.False);
        Assert.That(error, Does.StartWith("BoundaryGuard did not start:"));
        Assert.That(error, Does.Contain("  - Graph:Credential is required"));
        Assert.That(error, Does.Contain("  - Authentication:Schemes:Bearer:Authority is required"));
        Assert.That(error, Does.Contain("  - AllowedHosts is required"));
        Assert.That(error, Does.Not.Contain("   at "), "a line per setting, not a stack trace");
    }

    [Test]
    public async Task Start_OnlyAGraphSection_RefusesNamingTheBearerSettings()
    {
        var (exit, error, listened) = await StartAsync(RealGraph);

        Assert.That(exit, Is.Not.Zero);
        Assert.That(listened, Is.False);
        Assert.That(error, Does.Not.Contain("Graph:Credential is required"));
        Assert.That(error, Does.Contain("  - Authentication:Schemes:Bearer:ValidAudiences is required"));
    }

    [Test]
    public async Task Start_DemoClockNextToARealGraph_RefusesNamingIt()
    {
        var (exit, error, listened) = await StartAsync([.. RealGraph, "--Demo:ClockSpeed=3600", "--Demo:StartAt=2026-12-04T23:00:00-05:00"]);

        Assert.That(exit, Is.Not.Zero);
        Assert.That(listened, Is.False);
        Assert.That(error, Does.Contain("  - Demo:ClockSpeed is a setting of the demo host"));
        Assert.That(error, Does.Contain("  - Demo:StartAt is a setting of the demo host"));
    }

    /// <summary>Runs the service to its end (it must end on its own), watching the port it was told to listen on.</summary>
    private static async Task<(int Exit, string Error, bool Listened)> StartAsync(params string[] settings)
    {
        var port = ServerAddress.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "BoundaryGuard.Service.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        var listened = false;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!process.HasExited && !timeout.IsCancellationRequested)
        {
            listened |= Listening(port);
            await Task.Delay(50);
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The service did not end on its own:{Environment.NewLine}{await output}");
        }

        await process.WaitForExitAsync();
        return (process.ExitCode, await error, listened || Listening(port));
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
