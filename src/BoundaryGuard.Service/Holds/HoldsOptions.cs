using System.ComponentModel.DataAnnotations;

namespace BoundaryGuard.Service.Holds;

/// <summary>How holds are decided and released (section <c>Holds</c>).</summary>
public sealed class HoldsOptions
{
    public const string Section = "Holds";

    /// <summary>How long a recipient's working hours (and a sender's department) read from Graph are reused.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan DirectoryCacheTime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a send that began but was not confirmed is given to reach Sent Items. Only after it, a draft still
    /// sitting in Drafts is taken as never sent and sent again: Exchange may take a while to move a sent message,
    /// and sending it a second time is the one mistake BoundaryGuard must not make. At least Graph's
    /// <c>SendConfirmationTimeout</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SendSettleTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>When Graph is unavailable at release time, try again after this long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A release still failing this long after its time is given up as <c>failed</c>, with the reason.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often pending holds are checked for a release that no trigger will fire (after a crash).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many pending holds are re-decided at once after a policy or calendar change.</summary>
    [Range(1, 64)]
    public int ReconsiderConcurrency { get; set; } = 8;
}
