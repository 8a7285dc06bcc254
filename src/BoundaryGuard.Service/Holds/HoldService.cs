using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Graph;
using BoundaryGuard.Graph.Mailboxes;
using BoundaryGuard.Service.Scheduling;
using Microsoft.Extensions.Options;
using NodaTime;

namespace BoundaryGuard.Service.Holds;

/// <summary>The outcome of asking for a hold: the hold, or null when the mail may go now and nothing was held.</summary>
public sealed record HoldOutcome(Hold? Hold, bool Created, HoldReasons Reasons);

/// <summary>
/// The life of a hold: created from a draft, moved when the policy or calendar changes, released at its time
/// (re-decided then, so a late release after an outage never sends at night), sent early with a reason, or
/// cancelled. Every step is a compare-and-set in <see cref="IHoldStore"/>, so each happens once even with two
/// service instances, and a draft is sent at most once: a send that began is confirmed, never simply repeated.
/// Logs carry the hold id, never a subject, a body or an address.
/// </summary>
public sealed partial class HoldService(
    IHoldStore store,
    IHoldScheduler scheduler,
    IMailboxGateway gateway,
    HoldEvaluator evaluator,
    Scorecards.MetricRecorder metrics,
    TimeProvider clock,
    IOptions<HoldsOptions> options,
    ILogger<HoldService> logger) : IHoldReleaser
{
    private readonly HoldsOptions settings = options.Value;

    /// <summary>Holds a draft when the policy says it may not go now; otherwise, for the add-in, holds nothing.</summary>
    /// <param name="source">
    /// A draft moved to "Send later" is always held (released at once when the policy allows now): the user asked
    /// BoundaryGuard to send it, and only BoundaryGuard will.
    /// </param>
    public async Task<HoldOutcome> HoldAsync(string mailbox, string messageId, HoldSource source, CancellationToken cancellationToken)
    {
        if (await store.FindPendingAsync(mailbox, messageId, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return new HoldOutcome(existing, Created: false, existing.Reasons);
        }

        var draft = await ReadDraftAsync(mailbox, messageId, cancellationToken).ConfigureAwait(false);
        if (draft is null || draft.Folder == MailFolderKind.DeletedItems)
        {
            throw new HoldException(HoldError.NotFound, "The draft was not found in the mailbox.");
        }

        if (!draft.IsDraft)
        {
            throw new HoldException(HoldError.Conflict, "The message has already been sent.");
        }

        if (!string.Equals(draft.MessageId, messageId, StringComparison.Ordinal))
        {
            // Outlook gives the add-in a REST id, which changes when the draft moves; Graph answered with the draft's
            // immutable id, and that is the one a hold keeps.
            messageId = draft.MessageId;
            if (await store.FindPendingAsync(mailbox, messageId, cancellationToken).ConfigureAwait(false) is { } held)
            {
                return new HoldOutcome(held, Created: false, held.Reasons);
            }
        }

        var department = await evaluator.DepartmentOfAsync(mailbox, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var decision = await evaluator.EvaluateAsync(department, mailbox, draft.Recipients, Instant.FromDateTimeOffset(now), cancellationToken)
            .ConfigureAwait(false);
        if (decision.Kind == DecisionKind.Send && source == HoldSource.AddIn)
        {
            return new HoldOutcome(null, Created: false, HoldReasons.None);
        }

        var releaseAt = decision.ReleaseAt?.ToDateTimeOffset() ?? now;
        var hold = new Hold(Guid.NewGuid(), mailbox, messageId, department, source, HoldState.Held, decision.Reasons, now, releaseAt, now);
        if (!await store.TryAddAsync(hold, cancellationToken).ConfigureAwait(false))
        {
            // Another request held the same draft between the lookup and here.
            var winner = await store.FindPendingAsync(mailbox, messageId, cancellationToken).ConfigureAwait(false);
            return winner is null
                ? throw new HoldException(HoldError.Conflict, "The draft's hold changed while it was being made; try again.")
                : new HoldOutcome(winner, Created: false, winner.Reasons);
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["HoldId"] = hold.Id });
        try
        {
            await gateway.MarkHeldAsync(mailbox, messageId, Mark(hold), cancellationToken).ConfigureAwait(false);
        }
        catch (GraphGatewayException e)
        {
            // Nothing is half-held: the hold is closed, and the caller hears why and may ask again.
            await FinishAsync(hold, HoldState.Cancelled, "could-not-mark-draft", cancellationToken).ConfigureAwait(false);
            throw e.Kind == GraphErrorKind.NotFound ? new HoldException(HoldError.NotFound, "The draft was not found in the mailbox.") : e;
        }

        // Should this fail, the hold is stored and marked: the sweep schedules any pending hold that has no trigger.
        await scheduler.ScheduleAsync(hold.Id, releaseAt, cancellationToken).ConfigureAwait(false);
        LogHeld(hold.Source, hold.ReleaseAt, hold.Reasons);
        await metrics.HoldCreatedAsync(hold, draft.Recipients, cancellationToken).ConfigureAwait(false);
        return new HoldOutcome(hold, Created: true, hold.Reasons);
    }

    /// <summary>Cancels a held hold: the draft stays in Drafts, unmarked, and is never sent by BoundaryGuard.</summary>
    public async Task<Hold> CancelAsync(Hold hold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hold);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["HoldId"] = hold.Id });
        RequireHeld(hold);
        var cancelled = await FinishAsync(hold, HoldState.Cancelled, null, cancellationToken).ConfigureAwait(false)
            ?? throw Changed();
        try
        {
            await gateway.UnmarkAsync(hold.Mailbox, hold.MessageId, cancellationToken).ConfigureAwait(false);
        }
        catch (GraphGatewayException e)
        {
            // The hold is cancelled either way; a leftover category on a draft the user may have deleted is harmless.
            LogUnmarkFailed(e.Kind);
        }

        return cancelled;
    }

    /// <summary>Sends a held draft now, whatever the time, and records the override and its reason.</summary>
    public async Task<Hold> SendNowAsync(Hold hold, OverrideReason reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hold);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["HoldId"] = hold.Id });
        RequireHeld(hold);
        var sending = await store.TryUpdateAsync(
            hold with { State = HoldState.Sending, Override = reason, SendStartedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow() },
            cancellationToken).ConfigureAwait(false) ?? throw Changed();
        await scheduler.CancelAsync(hold.Id, cancellationToken).ConfigureAwait(false);
        LogOverride(reason);
        return await SendAsync(sending, resumed: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The scheduled release: re-decides now, then sends, moves, cancels or records what the user did.</summary>
    public async Task ReleaseAsync(Guid holdId, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["HoldId"] = holdId });
        var hold = await store.GetAsync(holdId, cancellationToken).ConfigureAwait(false);
        if (hold is null || !hold.IsPending)
        {
            return;
        }

        try
        {
            if (hold.State == HoldState.Sending)
            {
                await SendAsync(hold, resumed: true, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (await ReconsiderAsync(hold, cancellationToken).ConfigureAwait(false) is not { State: HoldState.Held } due)
            {
                return;
            }

            var now = clock.GetUtcNow();
            if (due.ReleaseAt > now)
            {
                // Not yet (moved, or fired early): make sure a trigger is waiting for the new time.
                await scheduler.ScheduleAsync(due.Id, due.ReleaseAt, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (await store.TryUpdateAsync(due with { State = HoldState.Sending, SendStartedAt = now, UpdatedAt = now }, cancellationToken)
                .ConfigureAwait(false) is { } sending)
            {
                await SendAsync(sending, resumed: false, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (GraphGatewayException e) when (!cancellationToken.IsCancellationRequested)
        {
            await RetryLaterAsync(holdId, e, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Decides a held hold again against the draft, the policy and the calendar as they are now: a deleted draft
    /// cancels it, a draft the user sent closes it as <c>sent-by-user</c>, and a new release time moves it (to now
    /// when the mail may go now); the caller schedules the moved hold's trigger. Returns the hold as stored
    /// afterwards, or null when another writer changed it.
    /// </summary>
    public async Task<Hold?> ReconsiderAsync(Hold hold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hold);
        if (hold.State != HoldState.Held)
        {
            return hold;
        }

        var draft = await ReadDraftAsync(hold.Mailbox, hold.MessageId, cancellationToken).ConfigureAwait(false);
        if (draft is null || draft.Folder == MailFolderKind.DeletedItems)
        {
            return await FinishAsync(hold, HoldState.Cancelled, "draft-deleted", cancellationToken).ConfigureAwait(false);
        }

        if (!draft.IsDraft)
        {
            return await FinishAsync(hold, HoldState.SentByUser, null, cancellationToken).ConfigureAwait(false);
        }

        var now = clock.GetUtcNow();
        var decision = await evaluator.EvaluateAsync(hold.Department, hold.Mailbox, draft.Recipients, Instant.FromDateTimeOffset(now), cancellationToken)
            .ConfigureAwait(false);
        var releaseAt = decision.ReleaseAt?.ToDateTimeOffset() ?? now;
        if (releaseAt == hold.ReleaseAt || (releaseAt <= now && hold.ReleaseAt <= now))
        {
            return hold;
        }

        var moved = await store.TryUpdateAsync(hold with { ReleaseAt = releaseAt, Reasons = hold.Reasons | decision.Reasons, UpdatedAt = now }, cancellationToken)
            .ConfigureAwait(false);
        if (moved is null)
        {
            return null;
        }

        LogMoved(hold.ReleaseAt, releaseAt);
        try
        {
            await gateway.MarkHeldAsync(moved.Mailbox, moved.MessageId, Mark(moved), cancellationToken).ConfigureAwait(false);
        }
        catch (GraphGatewayException e) when (e.Kind != GraphErrorKind.NotFound)
        {
            // The mark only shows the release time in other clients; the schedule is what counts.
            LogUnmarkFailed(e.Kind);
        }

        return moved;
    }

    /// <summary>
    /// Re-decides every held hold, a few at a time: after a policy or calendar change. Every hold is moved first (what
    /// the faculty see, and the draft's mark), then the moved holds' triggers follow: Quartz stores triggers one at a
    /// time under its lock, some 3 to 4 ms each on PostgreSQL, and making each move wait for its trigger took 1,000
    /// holds past five seconds. A trigger left behind by a crash in between is harmless: one that fires early re-decides and
    /// waits for the new time, and the sweep schedules a hold whose trigger would come too late.
    /// </summary>
    public async Task<int> ReconsiderAllAsync(CancellationToken cancellationToken)
    {
        var held = await store.ListByStateAsync(HoldState.Held, cancellationToken).ConfigureAwait(false);
        var changed = 0;
        var moved = new System.Collections.Concurrent.ConcurrentBag<Hold>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = settings.ReconsiderConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(held, options, async (hold, ct) =>
        {
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["HoldId"] = hold.Id });
            try
            {
                if (await ReconsiderAsync(hold, ct).ConfigureAwait(false) is { } after && after != hold)
                {
                    Interlocked.Increment(ref changed);
                    if (after.State == HoldState.Held)
                    {
                        moved.Add(after);
                    }
                }
            }
            catch (GraphGatewayException e)
            {
                // Left as it was: its release re-decides anyway.
                LogReconsiderFailed(e.Kind);
            }
        }).ConfigureAwait(false);
        await Parallel.ForEachAsync(moved, options, (hold, ct) => new ValueTask(scheduler.ScheduleAsync(hold.Id, hold.ReleaseAt, ct))).ConfigureAwait(false);
        return changed;
    }

    /// <summary>
    /// Schedules every pending hold that no trigger will release in time: one stored but not scheduled before a crash,
    /// one whose move to an earlier time a crash cut off, or a send cut off by one. <paramref name="all"/> also looks at future holds (the first sweep); otherwise only overdue ones.
    /// </summary>
    public async Task<int> SweepAsync(bool all, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var repaired = 0;
        foreach (var hold in await store.ListByStateAsync(HoldState.Held, cancellationToken).ConfigureAwait(false))
        {
            // A trigger later than the hold's time is one a crash left behind when it cut off a move to an earlier time.
            if ((all || hold.ReleaseAt < now - settings.SweepInterval) &&
                (!await scheduler.IsScheduledAsync(hold.Id, cancellationToken).ConfigureAwait(false) ||
                 await scheduler.NextFireAsync(hold.Id, cancellationToken).ConfigureAwait(false) > hold.ReleaseAt) &&
                await store.GetAsync(hold.Id, cancellationToken).ConfigureAwait(false) is { State: HoldState.Held } current)
            {
                await scheduler.ScheduleAsync(current.Id, current.ReleaseAt, cancellationToken).ConfigureAwait(false);
                repaired++;
            }
        }

        foreach (var hold in await store.ListByStateAsync(HoldState.Sending, cancellationToken).ConfigureAwait(false))
        {
            if ((all || hold.SendStartedAt + settings.SendSettleTime < now) &&
                !await scheduler.IsScheduledAsync(hold.Id, cancellationToken).ConfigureAwait(false) &&
                await store.GetAsync(hold.Id, cancellationToken).ConfigureAwait(false) is { State: HoldState.Sending })
            {
                await scheduler.ScheduleAsync(hold.Id, now, cancellationToken).ConfigureAwait(false);
                repaired++;
            }
        }

        return repaired;
    }

    private async Task<Hold> SendAsync(Hold hold, bool resumed, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (resumed)
        {
            // A send began earlier (this node crashed, or Exchange had not confirmed it yet). Look before sending:
            // a draft still in Drafts is sent again only once Exchange has had time to move a sent one.
            var draft = await ReadDraftAsync(hold.Mailbox, hold.MessageId, cancellationToken).ConfigureAwait(false);
            if (draft is { IsDraft: false })
            {
                return await FinishAsync(hold, Delivered(hold), null, cancellationToken, unschedule: false).ConfigureAwait(false) ?? hold;
            }

            var settled = (hold.SendStartedAt ?? now) + settings.SendSettleTime;
            if (draft is null || draft.Folder == MailFolderKind.DeletedItems)
            {
                // Right after a send Graph may briefly not find the message on its way to Sent Items: look again later,
                // and only after the settle time call it gone (the user deleted it, or its Sent Items copy).
                if (now < settled)
                {
                    await scheduler.ScheduleAsync(hold.Id, settled, cancellationToken).ConfigureAwait(false);
                    return hold;
                }

                return await FinishAsync(hold, HoldState.Failed, "draft-missing-after-send-began", cancellationToken, unschedule: false).ConfigureAwait(false) ?? hold;
            }

            if (now < settled)
            {
                await scheduler.ScheduleAsync(hold.Id, settled, cancellationToken).ConfigureAwait(false);
                return hold;
            }

            // Claim the resend, so that of two nodes resuming the same hold only one sends.
            hold = await store.TryUpdateAsync(hold with { SendStartedAt = now, UpdatedAt = now }, cancellationToken).ConfigureAwait(false)
                ?? throw Changed();
        }

        var outcome = await gateway.SendDraftAsync(hold.Mailbox, hold.MessageId, cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case SendOutcome.Sent:
                var late = clock.GetUtcNow() - hold.ReleaseAt;
                LogSent(late);
                return await FinishAsync(hold, Delivered(hold), null, cancellationToken, unschedule: false).ConfigureAwait(false) ?? hold;
            case SendOutcome.AlreadySent:
                // Not a draft any more before this send: an earlier attempt of ours when resumed, else the user.
                return await FinishAsync(hold, resumed ? Delivered(hold) : HoldState.SentByUser, null, cancellationToken, unschedule: false).ConfigureAwait(false) ?? hold;
            case SendOutcome.DraftMissing:
                return await FinishAsync(hold, HoldState.Cancelled, "draft-deleted", cancellationToken, unschedule: false).ConfigureAwait(false) ?? hold;
            default:
                // Accepted (or its answer lost) but not in Sent Items yet: look again once it has had time to arrive.
                LogUnconfirmed();
                await scheduler.ScheduleAsync(hold.Id, clock.GetUtcNow() + settings.SendSettleTime, cancellationToken).ConfigureAwait(false);
                return hold;
        }
    }

    private async Task RetryLaterAsync(Guid holdId, GraphGatewayException error, CancellationToken cancellationToken)
    {
        var hold = await store.GetAsync(holdId, cancellationToken).ConfigureAwait(false);
        if (hold is null || !hold.IsPending)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var permanent = error.Kind is GraphErrorKind.AccessDenied or GraphErrorKind.NotFound or GraphErrorKind.Rejected;
        if (hold.State == HoldState.Held && (permanent || now - hold.ReleaseAt > settings.GiveUpAfter))
        {
            LogGaveUp(error.Kind);
            await FinishAsync(hold, HoldState.Failed, FailureReason(error.Kind), cancellationToken).ConfigureAwait(false);
            return;
        }

        // A send that began is never given up on blindly: it is only confirmed or, after the settle time, sent once more.
        LogRetry(error.Kind, settings.RetryDelay);
        await scheduler.ScheduleAsync(holdId, now + settings.RetryDelay, cancellationToken).ConfigureAwait(false);
    }

    /// <param name="unschedule">
    /// False where no trigger can be waiting: a send runs from the hold's own fired trigger, or after sending now
    /// cancelled it. A trigger a concurrent move added would only find the hold finished.
    /// </param>
    private async Task<Hold?> FinishAsync(Hold hold, HoldState state, string? reason, CancellationToken cancellationToken, bool unschedule = true)
    {
        var now = clock.GetUtcNow();
        var done = await store.TryUpdateAsync(hold with { State = state, FailureReason = reason, CompletedAt = now, UpdatedAt = now }, cancellationToken)
            .ConfigureAwait(false);
        if (done is not null)
        {
            if (unschedule)
            {
                await scheduler.CancelAsync(hold.Id, cancellationToken).ConfigureAwait(false);
            }

            LogFinished(state, reason);
            await metrics.HoldFinishedAsync(done, cancellationToken).ConfigureAwait(false);
        }

        return done;
    }

    private async Task<DraftState?> ReadDraftAsync(string mailbox, string messageId, CancellationToken cancellationToken)
    {
        try
        {
            return await gateway.GetDraftStateAsync(mailbox, messageId, cancellationToken).ConfigureAwait(false);
        }
        catch (GraphGatewayException e) when (e.Kind == GraphErrorKind.NotFound)
        {
            // Graph answers a malformed or foreign id with 404 too: to the caller, there is no such draft.
            return null;
        }
    }

    private static HoldState Delivered(Hold hold) => hold.Override is null ? HoldState.Sent : HoldState.Overridden;

    private static HoldMark Mark(Hold hold) => new(hold.Id.ToString("D"), Instant.FromDateTimeOffset(hold.ReleaseAt));

    private static void RequireHeld(Hold hold)
    {
        if (hold.State != HoldState.Held)
        {
            throw new HoldException(HoldError.Conflict, $"The hold is {HoldWireNames.States.Name(hold.State)}, not held.");
        }
    }

    private static HoldException Changed() => new(HoldError.Conflict, "The hold changed meanwhile (it is being released or was cancelled); read it again.");

    private static string FailureReason(GraphErrorKind kind) => kind switch
    {
        GraphErrorKind.AccessDenied => "mailbox-not-accessible",
        GraphErrorKind.NotFound => "mailbox-not-found",
        GraphErrorKind.Rejected => "graph-rejected-send",
        _ => "graph-unavailable",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Hold created from {Source}, release at {ReleaseAt:O} ({Reasons})")]
    private partial void LogHeld(HoldSource source, DateTimeOffset releaseAt, HoldReasons reasons);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hold moved from {From:O} to {To:O}")]
    private partial void LogMoved(DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hold sent {Late} after its release time")]
    private partial void LogSent(TimeSpan late);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hold finished as {State} {Reason}")]
    private partial void LogFinished(HoldState state, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hold sent early by its sender, reason {Reason}")]
    private partial void LogOverride(OverrideReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Send accepted but not yet confirmed in Sent Items; checking again later")]
    private partial void LogUnconfirmed();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Graph {Kind} during release; retrying in {Delay}")]
    private partial void LogRetry(GraphErrorKind kind, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Release given up after Graph {Kind}")]
    private partial void LogGaveUp(GraphErrorKind kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not update the draft's hold mark (Graph {Kind})")]
    private partial void LogUnmarkFailed(GraphErrorKind kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not re-decide the hold (Graph {Kind}); its release will")]
    private partial void LogReconsiderFailed(GraphErrorKind kind);
}
