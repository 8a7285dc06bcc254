using System.Globalization;
using BoundaryGuard.GraphSandbox.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Demo;

public static class DemoHistoryExtensions
{
    /// <summary>
    /// The demo's history (<see cref="DemoHistoryOptions"/>, <c>Demo:History</c>): validated at start, and when on,
    /// <see cref="DemoHistory"/> plays the weeks before <c>Demo:StartAt</c>. Register it after
    /// <see cref="DemoClockExtensions.AddDemoClock"/> and before <see cref="DemoSandboxExtensions.AddEmbeddedSandbox"/>:
    /// it gives the embedded sandbox, which starts there, its settings for the history.
    /// </summary>
    /// <remarks>
    /// Two sandbox settings change, unless set explicitly: <c>Sandbox:AdditionalFaculty</c> seeds the numbered faculty
    /// the history needs, and <c>Sandbox:TokenLifetime</c> is a day, because a token fetched just before the history
    /// skips the clock ahead must still be valid when its request arrives.
    /// </remarks>
    public static TBuilder AddDemoHistory<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<DemoHistoryOptions>().BindConfiguration(DemoHistoryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DemoHistoryOptions>, DemoHistoryOptionsValidator>());
        if (builder.Configuration.GetSection(DemoHistoryOptions.Section).Get<DemoHistoryOptions>() is not { History: true })
        {
            return builder;
        }

        var sandbox = builder.Configuration.GetSection(SandboxOptions.Section);
        var settings = new Dictionary<string, string?>();
        if (sandbox[nameof(SandboxOptions.AdditionalFaculty)] is null)
        {
            settings[$"{SandboxOptions.Section}:{nameof(SandboxOptions.AdditionalFaculty)}"] =
                DemoCast.AdditionalFaculty.ToString(CultureInfo.InvariantCulture);
        }

        if (sandbox[nameof(SandboxOptions.TokenLifetime)] is null)
        {
            settings[$"{SandboxOptions.Section}:{nameof(SandboxOptions.TokenLifetime)}"] =
                TimeSpan.FromDays(1).ToString("c", CultureInfo.InvariantCulture);
        }

        builder.Configuration.AddInMemoryCollection(settings);
        services.AddSingleton<DemoLetters>();
        services.AddSingleton<DemoHistory>();
        services.AddHostedService(provider => provider.GetRequiredService<DemoHistory>());
        return builder;
    }
}
