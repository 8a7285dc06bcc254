using BoundaryGuard.Service.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace BoundaryGuard.Service.Tests.Hosting;

public sealed class StartupBannerTests
{
    private static string Compose(TimeProvider clock)
    {
        var addresses = new ServerAddressesFeature();
        addresses.Addresses.Add("http://localhost:5080");
        var features = new FeatureCollection();
        features.Set<IServerAddressesFeature>(addresses);
        var server = Mock.Of<IServer>(s => s.Features == features);
        return new StartupBanner(Mock.Of<IHostApplicationLifetime>(), server, clock, NullLogger<StartupBanner>.Instance).Compose();
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
}
