using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Demo;

/// <summary>
/// The demo's history (section <c>Demo</c>, beside <see cref="DemoOptions"/>): with <see cref="History"/> the demo
/// clock starts <see cref="HistoryWeeks"/> weeks before <c>Demo:StartAt</c>, and <see cref="DemoHistory"/> plays the
/// demo institution's faculty writing mail through the real pipeline until the clock reaches <c>Demo:StartAt</c>,
/// so the scorecard has weeks to show when the demo proper begins.
/// </summary>
public sealed class DemoHistoryOptions
{
    public const string Section = DemoOptions.Section;

    /// <summary>Play the history before <c>Demo:StartAt</c>. Needs <c>Demo:StartAt</c>.</summary>
    public bool History { get; set; }

    /// <summary>How many weeks the history covers (the scorecard's default range is twelve weeks).</summary>
    [Range(1, 52, ErrorMessage = "Demo:HistoryWeeks is a number of weeks from 1 to 52.")]
    public int HistoryWeeks { get; set; } = 12;

    public TimeSpan Length => TimeSpan.FromDays(7 * HistoryWeeks);
}

/// <summary>Refuses a history that has nothing to play on: without <c>Demo:StartAt</c> there is no demo clock to run it on.</summary>
internal sealed class DemoHistoryOptionsValidator(IOptions<DemoOptions> demo)
    : IValidateOptions<DemoHistoryOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoHistoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.History)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (demo.Value.StartAt is null)
        {
            failures.Add("Demo:History needs Demo:StartAt: the history is played on the demo clock up to that instant.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
