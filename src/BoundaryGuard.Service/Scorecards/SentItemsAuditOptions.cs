using System.ComponentModel.DataAnnotations;

namespace BoundaryGuard.Service.Scorecards;

/// <summary>
/// The Sent Items audit (section <c>SentItemsAudit</c>). It reads the mailboxes BoundaryGuard covers, which are the
/// faculty mailboxes listed in <see cref="Holds.SendLaterOptions.Mailboxes"/> (<c>SendLater:Mailboxes</c>): the set
/// IT scoped the app registration to. There is no second list to keep in step with the first.
/// </summary>
public sealed class SentItemsAuditOptions
{
    public const string Section = "SentItemsAudit";

    /// <summary>
    /// How often each covered mailbox's Sent Items is read. The scorecard counts weeks, so minutes of delay cost
    /// nothing; at most a day, because Exchange forgets old delta tokens and a forgotten one means reading the whole
    /// folder again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);
}
