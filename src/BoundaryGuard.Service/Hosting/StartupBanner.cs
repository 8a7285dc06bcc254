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
    /// <summary>One log entry once the service listens: where it is and what it serves, then the host's own lines.</summary>
    public static IServiceCollection AddStartupBanner(this IServiceCollection services) =>
        services.AddHostedService<StartupBanner>();
}

/// <summary>Lines a host adds to the start-up banner (the demo's: its sandbox, clock and dev token), label then value.</summary>
public interface IStartupBannerLines
{
    IEnumerable<(string Label, string Value)> Lines();
}

/// <summary>
/// Written when the application has started (only then are the listening addresses known), so a developer who ran
/// <c>dotnet run</c> sees in one place what to open, and what the host adds (the demo: its Graph sandbox and clock).
/// </summary>
internal sealed partial class StartupBanner(
    IHostApplicationLifetime lifetime,
    IServer server,
    ILogger<StartupBanner> logger,
    IOptions<AddinOptions> addin,
    IEnumerable<IStartupBannerLines> extra,
    IOptions<ScorecardPagesOptions>? pages = null,
    IOptions<AdminPagesOptions>? admin = null) : IHostedService
{
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

        var origin = addin.Value.ConfiguredBase ?? addresses?.FirstOrDefault();
        Line(banner, "Outlook add-in", File.Exists(Path.Combine(addin.Value.Folder, "manifest.xml"))
            ? $"{origin}{AddinFiles.PathPrefix}/manifest.xml (and manifest.json)"
            : $"not built: {addin.Value.Folder} has no manifest.xml (build the service with Node.js and npm installed)");

        if (pages is not null)
        {
            Line(banner, "Scorecard", File.Exists(Path.Combine(pages.Value.Folder, "index.html"))
                ? $"{origin}{ScorecardPages.PathPrefix}/"
                : $"not built: {pages.Value.Folder} has no index.html (build the service with Node.js and npm installed)");
        }

        if (admin is not null && File.Exists(Path.Combine(admin.Value.Folder, "index.html")))
        {
            Line(banner, "Admin (IT)", $"{origin}{AdminPages.PathPrefix}/");
        }

        foreach (var (label, value) in extra.SelectMany(lines => lines.Lines()))
        {
            Line(banner, label, value);
        }

        return banner.ToString();
    }

    private static void Line(StringBuilder banner, string label, string value) =>
        banner.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  {label + ":",-17}{value}");

    [LoggerMessage(Level = LogLevel.Information, Message = "{Banner}")]
    private static partial void LogBanner(ILogger logger, string banner);
}
