namespace BoundaryGuard.Service.Scorecards;

public static class ScorecardsServiceCollectionExtensions
{
    /// <summary>
    /// Boundary metrics and the scorecards: <see cref="ScorecardOptions"/> (section <c>Scorecard</c>), the store, the
    /// recorder, the scorecards, the chairs' weekly digest, and the Sent Items audit (<see cref="SentItemsAuditOptions"/>,
    /// section <c>SentItemsAudit</c>) as background services. Needs <c>AddHolds</c>: the audit reads the holds and the
    /// covered mailboxes.
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
        services.AddOptions<SentItemsAuditOptions>().BindConfiguration(SentItemsAuditOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SentItemsAudit>();
        services.AddHostedService(provider => provider.GetRequiredService<SentItemsAudit>());
        return services;
    }
}
