using BoundaryGuard.Service.Problems;
using BoundaryGuard.Service.Scheduling;

namespace BoundaryGuard.Service.Holds;

public static class HoldsServiceCollectionExtensions
{
    /// <summary>
    /// Holding and releasing mail: <see cref="HoldsOptions"/> (section <c>Holds</c>), the store, the decision with
    /// the service's inputs, <see cref="HoldService"/> as the scheduler's releaser, the sweep and re-decision on policy
    /// change, the "Send later" folder, and ProblemDetails for every API error.
    /// </summary>
    public static IServiceCollection AddHolds(this IServiceCollection services)
    {
        services.AddOptions<HoldsOptions>().BindConfiguration(HoldsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddMemoryCache();
        services.AddHoldStore();
        services.AddSingleton<HoldEvaluator>();
        services.AddSingleton<HoldService>();
        services.AddSingleton<IHoldReleaser>(provider => provider.GetRequiredService<HoldService>());
        services.AddHostedService<HoldsBackgroundService>();
        services.AddOptions<SendLaterOptions>().BindConfiguration(SendLaterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SendLaterPoller>();
        services.AddHostedService(provider => provider.GetRequiredService<SendLaterPoller>());
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        return services;
    }
}
