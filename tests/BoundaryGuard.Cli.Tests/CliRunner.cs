using System.Diagnostics;

namespace BoundaryGuard.Cli.Tests;

/// <summary>Runs the real <c>boundaryguard</c> executable, as IT's scripts would.</summary>
internal static class CliRunner
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string ExamplePolicy => Path.Combine(RepositoryRoot, "src", "BoundaryGuard.Cli", "Examples", "policy.json");

    public static (int ExitCode, string Output, string Error) Run(params string[] args)
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

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
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
