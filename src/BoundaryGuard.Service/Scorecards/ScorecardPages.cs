using BoundaryGuard.Service.Hosting;

namespace BoundaryGuard.Service.Scorecards;

/// <summary>
/// Serves the scorecard pages at <c>/scorecard/</c> (built from Pages/src/scorecard with Chart.js, which is served
/// from here too: the pages load nothing from another site), as <see cref="PageFolders"/> serves every site of pages.
/// </summary>
public static class ScorecardPages
{
    public const string PathPrefix = "/scorecard";

    public static IServiceCollection AddScorecardPages(this IServiceCollection services)
    {
        services.AddOptions<ScorecardPagesOptions>().BindConfiguration(ScorecardPagesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    public static IEndpointRouteBuilder MapScorecardPages(this IEndpointRouteBuilder endpoints)
    {
        // The service's front door is the scorecard.
        endpoints.MapGet("/", () => Results.Redirect($"{PathPrefix}/")).AllowAnonymous().ExcludeFromDescription();
        return endpoints.MapPageFolder<ScorecardPagesOptions>(PathPrefix, options => options.Folder);
    }
}
