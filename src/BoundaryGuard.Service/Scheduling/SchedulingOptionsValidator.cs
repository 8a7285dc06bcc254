using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Scheduling;

internal sealed class SchedulingOptionsValidator : IValidateOptions<SchedulingOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulingOptions options)
    {
        var failures = new List<string>();
        if (options.Provider == SchedulingProvider.Sqlite && options.Clustered == true)
        {
            failures.Add(
                "Scheduling:Clustered=true is not possible with Scheduling:Provider=Sqlite: SQLite cannot be " +
                "clustered (it has no row locks other nodes can see, so two nodes could release the same hold). " +
                "Use Scheduling:Provider=PostgreSQL for a cluster, or run one node on SQLite.");
        }

        // Quartz keeps thresholds as whole milliseconds and treats a non-positive one as "always misfired".
        if (options.MisfireThreshold <= TimeSpan.Zero || options.MisfireThreshold.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            failures.Add("Scheduling:MisfireThreshold must be positive and a whole number of milliseconds.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
