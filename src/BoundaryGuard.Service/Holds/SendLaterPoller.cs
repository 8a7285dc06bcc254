using BoundaryGuard.Graph;
using BoundaryGuard.Graph.Mailboxes;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Holds;

/// <summary>
/// Drafts moved into a mailbox's "Send later" folder, from any client (Outlook on a phone included), become holds:
/// each watched mailbox's folder is read through Graph's delta query every <see cref="SendLaterOptions.PollInterval"/>,
/// and the delta link is kept in the database, so a restart picks up where it stopped. Holding is idempotent per
/// draft, so a round repeated after a crash holds nothing twice.
/// </summary>
public sealed partial class SendLaterPoller(
    IMailboxGateway gateway,
    IHoldStore store,
    HoldService holds,
    TimeProvider clock,
    IOptions<SendLaterOptions> options,
    ILogger<SendLaterPoller> logger) : BackgroundService
{
    public const string Feed = "send-later";

    /// <summary>One round over every watched mailbox; returns how many holds it created.</summary>
    public async Task<int> PollAsync(CancellationToken cancellationToken)
    {
        var created = 0;
        foreach (var mailbox in options.Value.Mailboxes.Select(m => m.Trim()).Where(m => m.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            try
            {
                created += await PollMailboxAsync(mailbox, cancellationToken).ConfigureAwait(false);
            }
            catch (GraphGatewayException e)
            {
                // One mailbox out of scope or unavailable does not stop the others; its link is kept for next time.
                LogMailboxFailed(e.Kind);
            }
        }

        return created;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, clock);
        try
        {
            do
            {
                if (await PollAsync(stoppingToken).ConfigureAwait(false) is > 0 and var created)
                {
                    LogCreated(created);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<int> PollMailboxAsync(string mailbox, CancellationToken cancellationToken)
    {
        var link = await store.GetCursorAsync(mailbox, Feed, cancellationToken).ConfigureAwait(false);
        var page = await gateway.GetSendLaterChangesAsync(mailbox, link, cancellationToken).ConfigureAwait(false);
        var created = 0;
        foreach (var draft in page.Changed.Where(d => d is { IsDraft: true, Folder: MailFolderKind.SendLater }))
        {
            try
            {
                if ((await holds.HoldAsync(mailbox, draft.MessageId, HoldSource.SendLater, cancellationToken).ConfigureAwait(false)).Created)
                {
                    created++;
                }
            }
            catch (HoldException e) when (e.Error is HoldError.NotFound or HoldError.Conflict)
            {
                // Sent or deleted since the delta was read: nothing to hold.
            }
        }

        // Only after every draft of the round is held: a crash before this line repeats the round, harmlessly.
        await store.SetCursorAsync(mailbox, Feed, page.DeltaLink, cancellationToken).ConfigureAwait(false);
        return created;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Send later: {Count} drafts held")]
    private partial void LogCreated(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Send later: a mailbox could not be read (Graph {Kind}); trying again next round")]
    private partial void LogMailboxFailed(GraphErrorKind kind);
}
