namespace BoundaryGuard.Service.Scorecards;

public static class ScorecardsServiceCollectionExtensions
{
    /// <summary>
    /// Boundary metrics and the scorecards: <see cref="ScorecardOptions"/> (section <c>Scorecard</c>), the store, the
    /// recorder, the scorecards and the chairs' weekly digest.
    /// </summary>
    public static IServiceCollection AddScorecards(this IServiceCollection services)
    {
        services.AddOptions<ScorecardOptions>().BindConfiguration(ScorecardOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IMetricStore, SqlMetricStore>();
        services.AddSingleton<RecipientRoles>();
        services.AddSingleton<MetricRecorder>();
        services.AddSingleton<ScorecardService>();
        services.AddSingleton<WeeklyDigest>();
        services.AddHostedService(provider => provider.GetRequiredService<WeeklyDigest>());
        return services;
    }
}
