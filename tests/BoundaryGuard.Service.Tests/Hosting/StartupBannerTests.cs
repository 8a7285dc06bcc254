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
    private static string Compose(string? addinFolder = null, string? pagesFolder = null, params IStartupBannerLines[] extra)
    {
        var addresses = new ServerAddressesFeature();
        addresses.Addresses.Add("http://localhost:5080");
        var features = new FeatureCollection();
        features.Set<IServerAddressesFeature>(addresses);
        var server = Mock.Of<IServer>(s => s.Features == features);
        var addin = Options.Create(new AddinOptions { Folder = addinFolder ?? new AddinOptions().Folder });
        var pages = Options.Create(new ScorecardPagesOptions { Folder = pagesFolder ?? new ScorecardPagesOptions().Folder });
        return new StartupBanner(Mock.Of<IHostApplicationLifetime>(), server, NullLogger<StartupBanner>.Instance, addin, extra, pages: pages,
            admin: Options.Create(new AdminPagesOptions())).Compose();
    }

    [Test]
    public void Compose_ServiceAlone_ItsAddressAndNothingOfTheDemo()
    {
        var banner = Compose();

        Assert.That(banner, Does.Contain("http://localhost:5080").And.Not.Contain("Dev token").And.Not.Contain("Demo").And.Not.Contain("sandbox"));
    }

    [Test]
    public void Compose_HostLines_AfterTheServiceOwnInOrder()
    {
        var banner = Compose(extra: new Lines(("First", "one"), ("Second", "two")));

        Assert.That(banner, Does.EndWith($"  First:           one{Environment.NewLine}  Second:          two"));
    }

    [Test]
    public void Compose_AddinBuilt_WhereToDownloadItsManifest()
    {
        var banner = Compose();

        Assert.That(banner, Does.Contain("Outlook add-in:  http://localhost:5080/addin/manifest.xml"));
    }

    [Test]
    public void Compose_AddinNotBuilt_SaysSo()
    {
        var banner = Compose(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")));

        Assert.That(banner, Does.Contain("Outlook add-in:  not built"));
    }

    [Test]
    public void Compose_PagesBuilt_ScorecardAddress()
    {
        var banner = Compose();

        Assert.That(banner, Does.Contain("Scorecard:       http://localhost:5080/scorecard/"));
        Assert.That(banner, Does.Contain("Admin (IT):      http://localhost:5080/admin/"));
    }

    [Test]
    public void Compose_PagesNotBuilt_SaysSo()
    {
        var banner = Compose(pagesFolder: Path.Combine(Path.GetTempPath(), "bg-no-pages"));

        Assert.That(banner, Does.Contain("Scorecard:       not built"));
    }

    private sealed class Lines(params (string Label, string Value)[] lines) : IStartupBannerLines
    {
        IEnumerable<(string Label, string Value)> IStartupBannerLines.Lines() => lines;
    }
}
