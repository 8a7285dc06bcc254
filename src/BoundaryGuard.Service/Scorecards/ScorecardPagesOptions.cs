namespace BoundaryGuard.Service.Scorecards;

/// <summary>The scorecard pages the service serves at <c>/scorecard/</c> (section <c>ScorecardPages</c>).</summary>
public sealed class ScorecardPagesOptions
{
    public const string Section = "ScorecardPages";

    /// <summary>The built pages (Pages/dist/scorecard, copied beside the service by the build).</summary>
    public string Folder { get; set; } = Path.Combine(AppContext.BaseDirectory, "scorecard");
}
