using BoundaryGuard.Service.Addin;
using BoundaryGuard.Service.Calendars;
using BoundaryGuard.Service.Hosting;
using BoundaryGuard.Service.Scorecards;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace BoundaryGuard.Service.Tests.Hosting;

public sealed class StartupBannerTests
{
    private static string Compose(TimeProvider clock, string? addinFolder = null, string? pagesFolder = null)
    {
        var addresses = new ServerAddressesFeature();
        addresses.Addresses.Add("http://localhost:5080");
        var features = new FeatureCollection();
        features.Set<IServerAddressesFeature>(addresses);
        var server = Mock.Of<IServer>(s => s.Features == features);
        var addin = Options.Create(new AddinOptions { Folder = addinFolder ?? new AddinOptions().Folder });
        var pages = Options.Create(new ScorecardPagesOptions { Folder = pagesFolder ?? new ScorecardPagesOptions().Folder });
        return new StartupBanner(Mock.Of<IHostApplicationLifetime>(), server, clock, NullLogger<StartupBanner>.Instance, addin, pages: pages,
            admin: Options.Create(new AdminPagesOptions())).Compose();
    }

    [Test]
    public void Compose_SystemClock_ServiceUrlAndDevTokenLineButNoDemoClock()
    {
        var banner = Compose(TimeProvider.System);

        Assert.That(banner, Does.Contain("http://localhost:5080").And.Contain(StartupBanner.DevTokenCommand).And.Not.Contain("Demo clock"));
    }

    [Test]
    public void Compose_DemoClock_NamesItsStartAndSpeed()
    {
        var banner = Compose(new SimulatedTimeProvider(new DateTimeOffset(2026, 12, 4, 23, 0, 0, TimeSpan.FromHours(-5)), 3600));

        Assert.That(banner, Does.Contain("started at 2026-12-04T23:00:00.0000000-05:00, running 3600x real time"));
    }

    [Test]
    public void Compose_AddinBuilt_WhereToDownloadItsManifest()
    {
        var banner = Compose(TimeProvider.System);

        Assert.That(banner, Does.Contain("Outlook add-in:  http://localhost:5080/addin/manifest.xml"));
    }

    [Test]
    public void Compose_AddinNotBuilt_SaysSo()
    {
        var banner = Compose(TimeProvider.System, Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")));

        Assert.That(banner, Does.Contain("Outlook add-in:  not built"));
    }

    [Test]
    public void Compose_PagesBuilt_ScorecardAddress()
    {
        var banner = Compose(TimeProvider.System);

        Assert.That(banner, Does.Contain("Scorecard:       http://localhost:5080/scorecard/"));
        Assert.That(banner, Does.Contain("Admin (IT):      http://localhost:5080/admin/"));
    }

    [Test]
    public void Compose_PagesNotBuilt_SaysSo()
    {
        var banner = Compose(TimeProvider.System, pagesFolder: Path.Combine(Path.GetTempPath(), "bg-no-pages"));

        Assert.That(banner, Does.Contain("Scorecard:       not built"));
    }
}
