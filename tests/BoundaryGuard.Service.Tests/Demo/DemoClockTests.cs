using BoundaryGuard.Demo;
using BoundaryGuard.Graph;
using BoundaryGuard.Service.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Tests.Demo;

public sealed class DemoClockTests
{
    private static IHost Build(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.AddDemoClock();
        return builder.Build();
    }

    [Test]
    public void AddDemoClock_NoDemoSettings_SystemClockAndNoNetworkClock()
    {
        using var host = Build();

        Assert.That(host.Services.GetRequiredService<TimeProvider>(), Is.SameAs(TimeProvider.System));
        Assert.That(host.Services.GetKeyedService<TimeProvider>(GraphServiceCollectionExtensions.NetworkClockKey), Is.Null);
    }

    [Test]
    public void AddDemoClock_DemoStartAt_SimulatedClockFromThereAndSystemNetworkClock()
    {
        using var host = Build(("Demo:StartAt", "2026-12-04T23:00:00-05:00"), ("Demo:ClockSpeed", "3600"));

        var clock = host.Services.GetRequiredService<TimeProvider>();
        Assert.That(clock, Is.TypeOf<SimulatedTimeProvider>());
        Assert.That(((SimulatedTimeProvider)clock).StartAt, Is.EqualTo(new DateTimeOffset(2026, 12, 4, 23, 0, 0, TimeSpan.FromHours(-5))));
        Assert.That(((SimulatedTimeProvider)clock).Speed, Is.EqualTo(3600));
        Assert.That(host.Services.GetKeyedService<TimeProvider>(GraphServiceCollectionExtensions.NetworkClockKey), Is.SameAs(TimeProvider.System));
    }

    [TestCase("0")]
    [TestCase("-2")]
    public void StartAsync_ClockSpeedNotPositive_FailsNamingTheSetting(string speed)
    {
        using var host = Build(("Demo:StartAt", "2026-12-04T23:00:00-05:00"), ("Demo:ClockSpeed", speed));

        Assert.That(async () => await host.StartAsync(), Throws.TypeOf<OptionsValidationException>()
            .With.Message.Contains(nameof(DemoOptions.ClockSpeed)));
    }
}
