using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using BoundaryGuard.Service.Addin;
using BoundaryGuard.Service.Calendars;
using BoundaryGuard.Service.Scorecards;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Hosting;

public static class StartupBannerExtensions
{
    /// <summary>One log entry once the service listens: where it is, what it talks to, and how to get a dev token.</summary>
    public static IServiceCollection AddStartupBanner(this IServiceCollection services) =>
        services.AddHostedService<StartupBanner>();
}

/// <summary>
/// Written when the application has started (only then are the listening addresses known), so a developer who ran
/// <c>dotnet run</c> sees in one place what to open, which Graph is behind it and what time the service thinks it is.
/// </summary>
internal sealed partial class StartupBanner(
    IHostApplicationLifetime lifetime,
    IServer server,
    TimeProvider clock,
    ILogger<StartupBanner> logger,
    IOptions<AddinOptions> addin,
    EmbeddedGraphSandbox? sandbox = null,
    IOptions<ScorecardPagesOptions>? pages = null,
    IOptions<AdminPagesOptions>? admin = null) : IHostedService
{
    internal const string DevTokenCommand =
        "dotnet user-jwts create --project src/BoundaryGuard.Service --name mwebb@med.example.edu --role faculty " +
        "--claim department=\"Department of Medicine\"";

    private CancellationTokenRegistration started;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        started = lifetime.ApplicationStarted.Register(WriteBanner);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => started.DisposeAsync().AsTask();

    private void WriteBanner()
    {
        // Composed only when it will be written. (CA1873 does not see this guard around a LoggerMessage call,
        // dotnet/sdk#50893, but it does see that a local is not an expensive argument.)
        if (logger.IsEnabled(LogLevel.Information))
        {
            var banner = Compose();
            LogBanner(logger, banner);
        }
    }

    internal string Compose()
    {
        var banner = new StringBuilder("BoundaryGuard is running.");
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        foreach (var address in addresses ?? [])
        {
            Line(banner, "Service", address);
        }

        if (sandbox is not null)
        {
            Line(banner, "Graph sandbox", $"{sandbox.Sandbox.BaseUrl} (embedded; state: {sandbox.DataFile ?? "in memory"})");
        }

        var origin = addin.Value.ConfiguredBase ?? addresses?.FirstOrDefault();
        Line(banner, "Outlook add-in", File.Exists(Path.Combine(addin.Value.Folder, "manifest.xml"))
            ? $"{origin}{AddinFiles.PathPrefix}/manifest.xml (and manifest.json)"
            : $"not built: {addin.Value.Folder} has no manifest.xml (build the service with Node.js and npm installed)");

        if (pages is not null)
        {
            Line(banner, "Scorecard", File.Exists(Path.Combine(pages.Value.Folder, "index.html"))
                ? $"{origin}{ScorecardPages.PathPrefix}/" + (sandbox is null ? "" : " (demo sign-in: pick one of the seeded people)")
                : $"not built: {pages.Value.Folder} has no index.html (build the service with Node.js and npm installed)");
        }

        if (admin is not null && File.Exists(Path.Combine(admin.Value.Folder, "index.html")))
        {
            Line(banner, "Admin (IT)", $"{origin}{AdminPages.PathPrefix}/");
        }

        if (clock is SimulatedTimeProvider demo)
        {
            Line(banner, "Demo clock", string.Create(
                CultureInfo.InvariantCulture, $"started at {demo.StartAt:O}, running {demo.Speed:0.###}x real time"));
        }

        Line(banner, "Dev token", DevTokenCommand);
        return banner.ToString();
    }

    private static void Line(StringBuilder banner, string label, string value) =>
        banner.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  {label + ":",-17}{value}");

    [LoggerMessage(Level = LogLevel.Information, Message = "{Banner}")]
    private static partial void LogBanner(ILogger logger, string banner);
}
