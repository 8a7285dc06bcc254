using BoundaryGuard.Graph;
using BoundaryGuard.Graph.Mailboxes;
using BoundaryGuard.Service.Holds;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Scorecards;

/// <summary>
/// Counts what actually left each covered mailbox, whatever client sent it: the add-in does not run on phones or in
/// other mail apps, and without this the scorecard would only see the mail BoundaryGuard was asked about. Every
/// <see cref="SentItemsAuditOptions.Interval"/> it reads each mailbox's Sent Items through Graph's delta query (sent
/// time and recipients only: never a subject or a body) and records each message BoundaryGuard did not send itself
/// as delivered after hours or sent in hours, in the sender's policy. The delta link is kept in the database, so a
/// restart picks up where it stopped, and each message's event has a key of its own, so a round read twice records
/// nothing twice.
/// </summary>
public sealed partial class SentItemsAudit(
    IMailboxGateway gateway,
    IHoldStore holds,
    IMetricStore metrics,
    MetricRecorder recorder,
    Telemetry.ServiceMetrics telemetry,
    HoldEvaluator evaluator,
    TimeProvider clock,
    IOptions<SendLaterOptions> covered,
    IOptions<SentItemsAuditOptions> options,
    ILogger<SentItemsAudit> logger) : BackgroundService
{
    public const string Feed = "sent-items";

    /// <summary>Graph's answer to a delta token it no longer knows (410 Gone); some APIs spell it in camel case.</summary>
    private const string ExpiredToken = "SyncStateNotFound";

    /// <summary>One round over every covered mailbox.</summary>
    public async Task<SentItemsAuditRound> AuditAsync(CancellationToken cancellationToken)
    {
        var mailboxes = covered.Value.Mailboxes.Select(m => m.Trim()).Where(m => m.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        int failed = 0, recorded = 0, undecided = 0;
        foreach (var mailbox in mailboxes)
        {
            try
            {
                var (stored, waiting) = await AuditMailboxAsync(mailbox, cancellationToken).ConfigureAwait(false);
                recorded += stored;
                undecided += waiting;
            }
            catch (GraphGatewayException e)
            {
                // One mailbox out of scope or unavailable does not stop the others; its cursor is kept for next time.
                failed++;
                LogMailboxUnread(e.Kind);
            }
            catch (HoldException e)
            {
                // Gone from the directory, or its department has no policy: there is nothing to judge its mail by.
                failed++;
                LogMailboxSkipped(e.Error);
            }
        }

        return new SentItemsAuditRound(mailboxes.Count, failed, recorded, undecided);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        try
        {
            do
            {
                try
                {
                    var round = await AuditAsync(stoppingToken).ConfigureAwait(false);
                    telemetry.AuditRound(round);
                    if (round.Recorded > 0 || round.Failed > 0)
                    {
                        LogRound(round.Recorded, round.Mailboxes, round.Failed);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database was unavailable: no cursor moved past what was not recorded, so the next round
                    // covers this one. The service goes on; metrics are never worth stopping the holds for.
                    telemetry.AuditRound(null);
                    LogRoundFailed(e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<(int Recorded, int Undecided)> AuditMailboxAsync(string mailbox, CancellationToken cancellationToken)
    {
        var department = await evaluator.DepartmentOfAsync(mailbox, cancellationToken).ConfigureAwait(false);
        // Without a cursor (the mailbox's first round) the delta reports everything now in Sent Items, and all of it
        // is recorded: it is real history, and a scorecard that starts from the day BoundaryGuard was installed would
        // flatter everyone for months. The keys make reading it again (a lost cursor, an expired token) harmless.
        var link = await holds.GetCursorAsync(mailbox, Feed, cancellationToken).ConfigureAwait(false);
        DeltaPage<SentItem> changes;
        try
        {
            changes = await gateway.GetSentItemsChangesAsync(mailbox, link, cancellationToken).ConfigureAwait(false);
        }
        catch (GraphGatewayException e) when (link is not null && string.Equals(e.GraphCode, ExpiredToken, StringComparison.OrdinalIgnoreCase))
        {
            // Exchange forgets delta tokens (an old one, a moved mailbox). Kept, it would fail every round for ever;
            // Graph's remedy is a full round, which records only what the kept history lacks.
            LogCursorExpired();
            changes = await gateway.GetSentItemsChangesAsync(mailbox, null, cancellationToken).ConfigureAwait(false);
        }

        // changes.Removed is not read: mail deleted from Sent Items was still sent, and its event stays.
        var events = new List<MetricEvent>(changes.Changed.Count);
        var undecided = 0;
        foreach (var item in changes.Changed)
        {
            var hold = await holds.LatestHoldOfMessageAsync(mailbox, item.MessageId, cancellationToken).ConfigureAwait(false);
            switch (hold?.State)
            {
                case HoldState.Sending:
                    undecided++;
                    continue;
                case HoldState.Sent or HoldState.Overridden:
                    // Counted already, as the hold's released or overridden event.
                    continue;
            }

            var sent = await recorder.SentItemEventAsync(mailbox, department, item, cancellationToken).ConfigureAwait(false);
            // A held draft the user sent themselves: delivered when it went, but its attempt was counted when it was held.
            events.Add(hold is null ? sent : sent with { Source = hold.Source });
        }

        // Events first, cursor after: a crash between the two reads the same changes again, and the keys make that
        // harmless; the other order would lose them.
        var recorded = await metrics.AppendAsync(events, cancellationToken).ConfigureAwait(false);
        if (undecided == 0)
        {
            await holds.SetCursorAsync(mailbox, Feed, changes.DeltaLink, cancellationToken).ConfigureAwait(false);
        }

        // Otherwise a release BoundaryGuard began is still being confirmed (Exchange may take minutes to move a sent
        // message, see Holds:SendSettleTime): it may yet end as BoundaryGuard's send or as the user's own. The cursor
        // stays, so the next round reads the message again, decided by then; what was recorded now counts once.
        return (recorded, undecided);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent Items audit: {Recorded} messages recorded from {Mailboxes} mailboxes, {Failed} not read")]
    private partial void LogRound(int recorded, int mailboxes, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sent Items audit: a mailbox could not be read (Graph {Kind}); trying again next round")]
    private partial void LogMailboxUnread(GraphErrorKind kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sent Items audit: a mailbox was skipped ({Error}: not in the directory, or no policy for its department); trying again next round")]
    private partial void LogMailboxSkipped(HoldError error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent Items audit: a mailbox's delta token had expired; its Sent Items were read again from the start")]
    private partial void LogCursorExpired();

    [LoggerMessage(Level = LogLevel.Error, Message = "Sent Items audit: the round failed; the next one covers it")]
    private partial void LogRoundFailed(Exception exception);
}

/// <summary>What one round of the audit did, in counts (never which mailboxes).</summary>
/// <param name="Mailboxes">Covered mailboxes.</param>
/// <param name="Failed">Mailboxes not read this round (Graph failed, or not in the directory).</param>
/// <param name="Recorded">New events: messages not recorded by an earlier round.</param>
/// <param name="Undecided">Messages whose release BoundaryGuard has not confirmed yet: read again next round.</param>
public sealed record SentItemsAuditRound(int Mailboxes, int Failed, int Recorded, int Undecided);
