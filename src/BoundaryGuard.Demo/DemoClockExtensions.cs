using System.ComponentModel.DataAnnotations;
using BoundaryGuard.Graph;

namespace BoundaryGuard.Demo;

public static class DemoClockExtensions
{
    /// <summary>
    /// The service's one <see cref="TimeProvider"/> in the demo: the system clock, or with <c>Demo:StartAt</c> a
    /// <see cref="SimulatedTimeProvider"/> (with <c>Demo:History</c> it starts the history's length earlier, in real
    /// time, and <see cref="DemoHistory"/> runs it up to <c>Demo:StartAt</c>). A demo clock runs faster than real time,
    /// so the system clock is also registered as Graph's network clock: HTTP timeouts are about the network, which does
    /// not speed up.
    /// </summary>
    /// <remarks>
    /// The clock is created here, while services are registered, rather than by a factory: the embedded Graph sandbox
    /// starts before the container exists and must run on this very instance (see
    /// <see cref="DemoSandboxExtensions.AddEmbeddedSandbox"/>).
    /// </remarks>
    public static TBuilder AddDemoClock<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var demo = builder.Configuration.GetSection(DemoOptions.Section).Get<DemoOptions>() ?? new DemoOptions();
        var history = builder.Configuration.GetSection(DemoHistoryOptions.Section).Get<DemoHistoryOptions>() ?? new DemoHistoryOptions();
        var clock = CreateClock(demo, history);
        builder.Services.AddSingleton(clock);
        if (clock is SimulatedTimeProvider)
        {
            builder.Services.AddKeyedSingleton(GraphServiceCollectionExtensions.NetworkClockKey, TimeProvider.System);
        }

        return builder;
    }

    /// <summary>
    /// Invalid demo settings get the system clock here; the options validation then stops the start with a message
    /// that names the setting, instead of an exception from deep inside service registration.
    /// </summary>
    /// <remarks>
    /// A history runs at real time (speed 1) and is skipped forward between its events: at a fixed high speed a Graph
    /// call of 20 ms would take simulated minutes, so what the history shows would depend on the machine's load. The
    /// history sets <c>Demo:ClockSpeed</c> when it reaches <c>Demo:StartAt</c>.
    /// </remarks>
    internal static TimeProvider CreateClock(DemoOptions demo, DemoHistoryOptions? history = null)
    {
        if (demo.StartAt is not { } startAt || !Validator.TryValidateObject(demo, new ValidationContext(demo), null, validateAllProperties: true))
        {
            return TimeProvider.System;
        }

        return history is { History: true } && Validator.TryValidateObject(history, new ValidationContext(history), null, validateAllProperties: true)
            ? new SimulatedTimeProvider(startAt - history.Length, 1)
            : new SimulatedTimeProvider(startAt, demo.ClockSpeed);
    }

    /// <summary>The clock <see cref="AddDemoClock"/> registered, for what must run before the container exists.</summary>
    internal static TimeProvider RegisteredClock(IServiceCollection services) =>
        services.LastOrDefault(d => d.ServiceType == typeof(TimeProvider) && !d.IsKeyedService)?.ImplementationInstance as TimeProvider
        ?? throw new InvalidOperationException("Register the clock (AddDemoClock) before the embedded sandbox: the sandbox runs on it.");
}
