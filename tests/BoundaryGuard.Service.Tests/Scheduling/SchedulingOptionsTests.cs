using BoundaryGuard.Service.Scheduling;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BoundaryGuard.Service.Tests.Scheduling;

public sealed class SchedulingOptionsTests
{
    [Test]
    public async Task StartAsync_ClusteredSqlite_RefusedWithReason()
    {
        using var target = SchedulingTarget.Create(SchedulingProvider.Sqlite);
        var clock = new FakeTimeProvider();
        using var host = SchedulingHost.Build(target, clock, new RecordingReleaser(clock), clustered: true);

        await Assert.ThatAsync(
            () => host.StartAsync(),
            Throws.TypeOf<OptionsValidationException>().With.Message.Contains("SQLite cannot be clustered"));
    }

    [Test]
    public void Defaults_Unconfigured_SqliteSingleNodeWithQuartzMisfireThreshold()
    {
        var options = new SchedulingOptions();

        Assert.That(options.Provider, Is.EqualTo(SchedulingProvider.Sqlite));
        Assert.That(options.IsClustered, Is.False);
        Assert.That(options.MisfireThreshold, Is.EqualTo(TimeSpan.FromSeconds(60)));
    }

    [Test]
    public void IsClustered_PostgreSqlUnconfigured_True()
    {
        Assert.That(new SchedulingOptions { Provider = SchedulingProvider.PostgreSQL }.IsClustered, Is.True);
    }

    [Test]
    public void Validate_NonPositiveMisfireThreshold_Fails()
    {
        var result = new SchedulingOptionsValidator().Validate(null, new SchedulingOptions { MisfireThreshold = TimeSpan.Zero });

        Assert.That(result.Failed, Is.True);
    }
}
