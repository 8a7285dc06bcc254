using BoundaryGuard.Demo;
using BoundaryGuard.Service.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Tests.Demo;

/// <summary><c>Demo:History</c> at registration and at start: the clock it needs and what it refuses.</summary>
public sealed class DemoHistorySettingsTests
{
    private const string StartAtText = "2026-12-04T23:00:00-05:00";
    private static readonly DateTimeOffset StartAt = DateTimeOffset.Parse(StartAtText, System.Globalization.CultureInfo.InvariantCulture);

    private static HostApplicationBuilder Builder(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.AddDemoClock();
        builder.AddDemoHistory();
        return builder;
    }

    [Test]
    public void AddDemoClock_History_StartsTwelveWeeksBeforeStartAtInRealTime()
    {
        using var host = Builder(("Demo:StartAt", StartAtText), ("Demo:ClockSpeed", "3600"), ("Demo:History", "true")).Build();

        var clock = (SimulatedTimeProvider)host.Services.GetRequiredService<TimeProvider>();

        Assert.That(clock.StartAt, Is.EqualTo(StartAt.AddDays(-84)));
        Assert.That(clock.Speed, Is.EqualTo(1));
    }

    [Test]
    public void AddDemoClock_HistoryWeeks_StartsThatManyWeeksBefore()
    {
        using var host = Builder(("Demo:StartAt", StartAtText), ("Demo:History", "true"), ("Demo:HistoryWeeks", "3")).Build();

        Assert.That(((SimulatedTimeProvider)host.Services.GetRequiredService<TimeProvider>()).StartAt, Is.EqualTo(StartAt.AddDays(-21)));
    }

    [Test]
    public void AddDemoHistory_EmbeddedSandbox_SeedsTheNumberedFacultyAndDayLongTokensUnlessSet()
    {
        var builder = Builder(("Demo:StartAt", StartAtText), ("Demo:History", "true"), ("Sandbox:TokenLifetime", "02:00:00"));

        Assert.That(builder.Configuration["Sandbox:AdditionalFaculty"], Is.EqualTo("2"));
        Assert.That(builder.Configuration["Sandbox:TokenLifetime"], Is.EqualTo("02:00:00"));
        Assert.That(Builder(("Demo:StartAt", StartAtText), ("Demo:History", "true")).Configuration["Sandbox:TokenLifetime"], Is.EqualTo("1.00:00:00"));
    }

    [Test]
    public void AddDemoHistory_Off_LeavesTheSandboxAloneAndPlaysNothing()
    {
        var builder = Builder(("Demo:StartAt", StartAtText));
        using var host = builder.Build();

        Assert.That(builder.Configuration["Sandbox:AdditionalFaculty"], Is.Null);
        Assert.That(host.Services.GetService<DemoHistory>(), Is.Null);
        Assert.That(((SimulatedTimeProvider)host.Services.GetRequiredService<TimeProvider>()).StartAt, Is.EqualTo(StartAt));
    }

    [Test]
    public void Validate_HistoryWithoutStartAt_FailsNamingTheSetting()
    {
        var result = new DemoHistoryOptionsValidator(Options.Create(new DemoOptions())).Validate(null, new DemoHistoryOptions { History = true });

        Assert.That(result.Failures, Is.EqualTo(new[] { "Demo:History needs Demo:StartAt: the history is played on the demo clock up to that instant." }));
    }

    [Test]
    public void Validate_HistoryOff_Succeeds() =>
        Assert.That(new DemoHistoryOptionsValidator(Options.Create(new DemoOptions())).Validate(null, new DemoHistoryOptions()).Succeeded, Is.True);

    [TestCase("0")]
    [TestCase("53")]
    public async Task Start_HistoryWeeksOutOfRange_RefusedNamingTheSetting(string weeks)
    {
        await using var service = new DemoApplication(new()
        {
            ["Demo:StartAt"] = StartAtText,
            ["Demo:History"] = "true",
            ["Demo:HistoryWeeks"] = weeks,
            ["Sandbox:Port"] = "0",
        });

        Assert.That(() => service.Services, Throws.TypeOf<OptionsValidationException>().With.Message.Contains("Demo:HistoryWeeks"));
    }
}
