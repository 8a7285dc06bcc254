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

    /// <summary>
    /// How long a hold made for a draft Graph did not know yet (Outlook's cached mode) waits for the draft to reach
    /// the server. Never found by then, the hold ends <c>failed</c> (<c>draft-never-synced</c>) and nothing is sent.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SyncWait { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The first look for a draft that had not synced; each next look waits as long as has passed, up to <see cref="SyncLongestRetry"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SyncFirstRetry { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two looks for a draft that had not synced.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SyncLongestRetry { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// After the sender asked to send a held draft from the compose window (<c>POST /holds/{id}/override</c>), how long
    /// until BoundaryGuard looks whether it went: sent, the hold ends <c>overridden</c>; still a draft, the reason is
    /// dropped and the hold waits for its release. Meanwhile BoundaryGuard does not send it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan OverrideCheckDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many pending holds are re-decided at once after a policy or calendar change.</summary>
    [Range(1, 64)]
    public int ReconsiderConcurrency { get; set; } = 8;
}
