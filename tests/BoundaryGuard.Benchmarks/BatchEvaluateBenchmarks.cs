using System.Diagnostics;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace BoundaryGuard.Benchmarks;

/// <summary>
/// <c>boundaryguard evaluate --batch</c> over a million lines, end to end: process start, policy load, JSON in,
/// decisions, JSON out. One invocation is one million decisions.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class BatchEvaluateBenchmarks
{
    public const int Lines = 1_000_000;
    private string folder = null!;
    private string policyPath = null!;
    private string batchPath = null!;

    [GlobalSetup]
    public void Setup()
    {
        folder = Directory.CreateTempSubdirectory("boundaryguard-batch-").FullName;
        policyPath = Path.Combine(folder, "policy.json");
        File.WriteAllText(policyPath, BenchmarkPolicy.Json());
        batchPath = Path.Combine(folder, "batch.jsonl");
        var random = new Random(7);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(-5));
        using var writer = new StreamWriter(batchPath, false, new UTF8Encoding(false), 1 << 20);
        for (var i = 0; i < Lines; i++)
        {
            var at = start.AddMinutes(random.Next(0, 365 * 24 * 60));
            var to = string.Join(",", BenchmarkPolicy.Recipients.Take(random.Next(0, 4)).Select(r => $"\"{r}\""));
            writer.Write($"{{\"at\":\"{at:yyyy-MM-dd'T'HH:mm:sszzz}\",\"to\":[{to}]}}\n");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(folder, recursive: true);

    [Benchmark]
    public long EvaluateBatch()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "boundaryguard.dll"), "evaluate", "--policy", policyPath, "--batch", batchPath })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        long lines = 0;
        var buffer = new char[1 << 16];
        int read;
        while ((read = process.StandardOutput.Read(buffer, 0, buffer.Length)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count('\n');
        }

        process.WaitForExit();
        if (process.ExitCode != 0 || lines != Lines)
        {
            throw new InvalidOperationException($"boundaryguard exited {process.ExitCode} after {lines} lines: {error.Result}");
        }

        return lines;
    }
}
