using System.ComponentModel.DataAnnotations;

namespace BoundaryGuard.Service.Holds;

/// <summary>The "Send later" folder: which mailboxes are watched and how often (section <c>SendLater</c>).</summary>
public sealed class SendLaterOptions
{
    public const string Section = "SendLater";

    /// <summary>
    /// The faculty mailboxes whose "Send later" folder is watched: the same set IT scoped the app registration to
    /// with RBAC for Applications. Empty: no folder is watched (the add-in still works).
    /// </summary>
    public IList<string> Mailboxes { get; } = [];

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);
}
