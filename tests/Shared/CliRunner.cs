using System.Diagnostics;

namespace BoundaryGuard.Tests;

/// <summary>
/// Runs the real <c>boundaryguard</c> executable, as IT's scripts would. Linked into every test project that runs it
/// (the project references the CLI project, so the executable is built beside the tests).
/// </summary>
internal static class CliRunner
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string ExamplePolicy => Path.Combine(RepositoryRoot, "src", "BoundaryGuard.Cli", "Examples", "policy.json");

    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var process = Process.Start(Start(new Dictionary<string, string?>(), args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    /// <summary>
    /// Runs it without blocking a thread, for a test whose service runs in the test process; <paramref name="environment"/>
    /// sets variables for it, a null value removing one the test process has.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var process = Process.Start(Start(environment, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    private static ProcessStartInfo Start(IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "boundaryguard.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return start;
    }

    public static string TempFile(string content, string extension = ".json")
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "cli-tmp", $"{Guid.NewGuid():N}{extension}");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A new folder holding <paramref name="files"/> (name → content).</summary>
    public static string TempFolder(IReadOnlyDictionary<string, string> files)
    {
        var folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "cli-tmp", $"{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        foreach (var (name, content) in files)
        {
            File.WriteAllText(Path.Combine(folder, name), content);
        }

        return folder;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BoundaryGuard.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("BoundaryGuard.sln not found above the test assembly");
    }
}
