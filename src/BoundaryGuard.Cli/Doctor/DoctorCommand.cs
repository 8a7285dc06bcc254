using System.Text.Json;
using BoundaryGuard.Core;
using BoundaryGuard.Service.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace BoundaryGuard.Cli.Doctor;

/// <summary>
/// <c>doctor</c>: checks a deployment before go-live with the service's own settings, credential and schema versions,
/// and prints one line per check (<see cref="Finding"/>). Exit code 1 when any check fails, 0 with warnings only.
/// Nothing is changed anywhere: Graph is only read, the database is opened read-only. No secret, token or address
/// from the settings is ever printed: a mailbox from the settings is named by its setting.
/// </summary>
internal static class DoctorCommand
{
    public static readonly string[] Options = ["--settings*", "--environment", "--service", "--in-scope", "--out-of-scope"];

    public static async Task<int> RunAsync(Arguments args, TextWriter output, TimeProvider clock)
    {
        var environment = args.Optional("--environment") ?? "Production";
        var service = args.Optional("--service") is { } text ? AddinCheck.ServiceUrl(text) : null;
        var configuration = Configuration(args.All("--settings"));
        var failed = false;
        void Print(Finding finding)
        {
            failed |= finding.Verdict == Verdict.Fail;
            output.WriteLine(finding.Line);
            output.Flush();
        }

        var problems = ServiceSettings.Problems(configuration, new HostingEnvironment { EnvironmentName = environment, ApplicationName = "BoundaryGuard.Service" });
        Print(problems.Count == 0
            ? Finding.Ok("configuration", $"complete for the {environment} environment")
            : Finding.Fail("configuration", $"{string.Join(" ", problems)} Set each in a --settings file or as an environment variable (Section__Key)."));

        using (var graph = await GraphChecks.ConnectAsync(configuration, environment, clock).ConfigureAwait(false))
        {
            Print(graph.Token);
            Print(graph.Permissions());
            Print(await graph.MailboxScopeAsync(args.Optional("--in-scope"), args.Optional("--out-of-scope")).ConfigureAwait(false));
            Print(await graph.MailboxesAsync(configuration).ConfigureAwait(false));
            Print(service is null
                ? Finding.Skipped(AddinCheck.Name, "no --service given: run again with --service https://<the service> once it is deployed")
                : await AddinCheck.RunAsync(service).ConfigureAwait(false));
            Print(await SchemaCheck.RunAsync(configuration).ConfigureAwait(false));
            Print(await graph.ClockAsync().ConfigureAwait(false));
        }

        return failed ? 1 : 0;
    }

    /// <summary>The files in order, then environment variables (<c>Graph__TenantId</c>), as the service layers them.</summary>
    private static IConfigurationRoot Configuration(IReadOnlyList<string> files)
    {
        var builder = new ConfigurationBuilder();
        foreach (var file in files)
        {
            var path = Path.GetFullPath(file);
            try
            {
                // As the configuration's JSON reader takes it (comments, trailing commas). Its own error would quote
                // the file, which may hold a secret: only the file is named.
                using var _ = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions
                {
                    CommentHandling = JsonCommentHandling.Skip,
                    AllowTrailingCommas = true,
                });
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
            {
                throw e is JsonException ? new PolicyException($"--settings: {file}: not valid JSON", e) : InputFile.Unreadable(file, e);
            }

            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }

        return builder.AddEnvironmentVariables().Build();
    }
}
