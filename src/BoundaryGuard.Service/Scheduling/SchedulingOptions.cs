using System.ComponentModel.DataAnnotations;

namespace BoundaryGuard.Service.Scheduling;

public enum SchedulingProvider
{
    Sqlite,
    PostgreSQL,
}

/// <summary>Where and how held mail's release triggers are stored (section <c>Scheduling</c>).</summary>
public sealed class SchedulingOptions
{
    public const string Section = "Scheduling";

    public SchedulingProvider Provider { get; set; } = SchedulingProvider.Sqlite;

    [Required(AllowEmptyStrings = false)]
    public string ConnectionString { get; set; } = "Data Source=boundaryguard.db";

    /// <summary>
    /// Null means "as the provider allows": clustered on PostgreSQL, single node on SQLite. SQLite serializes
    /// every writer inside one process and has no row locks another node could see, so a clustered SQLite
    /// store would let two nodes fire the same release; it is refused at start-up rather than trusted.
    /// </summary>
    public bool? Clustered { get; set; }

    /// <summary>Quartz's own default: a release later than this is handled as a misfire (fired now).</summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Rows of every scheduler sharing a database are told apart by this name, so nodes of one deployment
    /// must agree on it and two deployments on one database must not.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string SchedulerName { get; set; } = "BoundaryGuard";

    /// <summary>
    /// How many releases run at once on this node (Quartz's thread pool). A release mostly waits on Graph and on its
    /// mailbox's pacing, so this is well above the core count; per-mailbox limits are the gateway's job.
    /// </summary>
    [Range(1, 256)]
    public int MaxConcurrentReleases { get; set; } = 32;

    /// <summary>
    /// Missed releases Quartz takes up per pass after an outage (its default is 20). A service back at 09:00 has a
    /// weekend's held mail overdue at once; it should all be picked up in the first pass, not 20 per misfire interval.
    /// </summary>
    [Range(20, 100_000)]
    public int MaxMisfiresPerPass { get; set; } = 10_000;

    public bool IsClustered => Clustered ?? Provider == SchedulingProvider.PostgreSQL;
}
