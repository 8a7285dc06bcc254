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
    Telemetry.ServiceMetrics telemetry,
    TimeProvider clock,
    IOptions<HoldsOptions> options,
    ILogger<HoldService> logger) : IHoldReleaser
{
    /// <summary>Why a hold ended because Outlook delivers the mail itself (<c>delayDeliveryTime</c>).</summary>
    internal const string DeferredByOutlook = "deferred-by-outlook";

    private readonly HoldsOptions settings = options.Value;

    /// <summary>Holds a draft when the policy says it may not go now; otherwise, for the add-in, holds nothing.</summary>
    /// <param name="source">
    /// A draft moved to "Send later" is always held (released at once when the policy allows now): the user asked
    /// BoundaryGuard to send it, and only BoundaryGuard will.
    /// </param>
    public Task<HoldOutcome> HoldAsync(string mailbox, string messageId, HoldSource source, CancellationToken cancellationToken) =>
        HoldAsync(mailbox, messageId, source, key: null, recipients: [], cancellationToken);

    /// <param name="key">
    /// The add-in's UUID for this Send: a hold already made with it is returned whatever its state, and with it a draft
    /// Graph does not know yet is held awaiting its sync instead of refused.
    /// </param>
    /// <param name="recipients">
    /// The recipients as the add-in read them, used only to decide a hold for a draft Graph does not know yet; never
    /// stored or logged.
    /// </param>
    public async Task<HoldOutcome> HoldAsync(
        string mailbox, string messageId, HoldSource source, Guid? key, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        if (key is { } known && await store.FindByKeyAsync(mailbox, known, cancellationToken).ConfigureAwait(false) is { } keyed)
        {
            return new HoldOutcome(keyed, Created: false, keyed.Reasons);
        }

        if (await store.FindPendingAsync(mailbox, messageId, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return new HoldOutcome(existing, Created: false, existing.Reasons);
        }

        var draft = await ReadDraftAsync(mailbox, messageId, cancellationToken).ConfigureAwait(false);
        if (draft is null && key is not null && source == HoldSource.AddIn)
        {
            // learn.microsoft.com/javascript/api/outlook/office.messagecompose (saveAsync): in cached mode "until the item
            // is synced, using the item ID will return an error". Held now, confirmed by the hold's trigger when it syncs.
            var unsynced = await DecideAndStoreAsync(mailbox, messageId, source, key, recipients, awaitingSync: true, cancellationToken).ConfigureAwait(false);
            if (unsynced is { Created: true, Hold: { } waiting })
            {
                using var waitingScope = logger.BeginScope(new Dictionary<string, object> { ["HoldId"] = waiting.Id });
                await scheduler.ScheduleAsync(waiting.Id, waiting.CreatedAt + settings.SyncFirstRetry, cancellationToken).ConfigureAwait(false);
                LogAwaitingSync(waiting.ReleaseAt, waiting.Reasons);
            }

            return unsynced;
        }

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

        var outcome = await DecideAndStoreAsync(mailbox, messageId, source, key, draft.Recipients, awaitingSync: false, cancellationToken).ConfigureAwait(false);
        if (outcome is not { Created: true, Hold: { } hold })
        {
            return outcome;
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
        await scheduler.ScheduleAsync(hold.Id, hold.ReleaseAt, cancellationToken).ConfigureAwait(false);
        LogHeld(hold.Source, hold.ReleaseAt, hold.Reasons);
        await metrics.HoldCreatedAsync(hold, draft.Recipients, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>
    /// Records that the sender sends a held draft from the compose window now (Outlook's <c>item.sendAsync</c>), with
    /// a reason, and looks after <see cref="HoldsOptions.OverrideCheckDelay"/> whether it went. The hold stays held and
    /// BoundaryGuard does not send it meanwhile: sent by then, it ends <c>overridden</c>; still a draft, the reason is
    /// dropped and the hold waits for its release, so an override that never led to a send is never counted.
    /// </summary>
    public async Task<Hold> OverrideAsync(Hold hold, OverrideReason reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hold);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["HoldId"] = hold.Id });
        RequireHeldOnServer(hold);
        var now = clock.GetUtcNow();
        var claimed = await store.TryUpdateAsync(hold with { Override = reason, UpdatedAt = now }, cancellationToken).ConfigureAwait(false)
            ?? throw Changed();
        await scheduler.ScheduleAsync(claimed.Id, now + settings.OverrideCheckDelay, cancellationToken).ConfigureAwait(false);
        LogOverrideAsked(reason);
        return claimed;
    }

    /// <summary>Cancels a held hold: the draft stays in Drafts, unmarked, and is never sent by BoundaryGuard.</summary>
    public Task<Hold> CancelAsync(Hold hold, CancellationToken cancellationToken) => CancelAsync(hold, null, cancellationToken);

    /// <param name="reason">Why, when not the sender's own choice: <c>deferred-by-outlook</c> when Outlook delivers it itself.</param>
    public async Task<Hold> CancelAsync(Hold hold, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hold);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["HoldId"] = hold.Id });
        RequireHeld(hold);
        var cancelled = await FinishAsync(hold, HoldState.Cancelled, reason, cancellationToken).ConfigureAwait(false)
            ?? throw Changed();
        if (hold.AwaitingSync)
        {
            // Never marked: Graph did not know the draft.
            return cancelled;
        }

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
        RequireHeldOnServer(hold);
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

            if (hold.AwaitingSync)
            {
                await ConfirmSyncAsync(hold, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (hold.Override is not null)
            {
                if (await CheckOverrideAsync(hold, cancellationToken).ConfigureAwait(false) is not { } unclaimed)
                {
                    return;
                }

                hold = unclaimed;
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
        if (hold.State != HoldState.Held || hold.AwaitingSync)
        {
            // A hold awaiting its draft's sync is decided when the draft appears (ConfirmSyncAsync).
            return hold;
        }

        var draft = await ReadDraftAsync(hold.Mailbox, hold.MessageId, cancellationToken).ConfigureAwait(false);
        if (draft is null || draft.Folder == MailFolderKind.DeletedItems)
        {
            return await FinishAsync(hold, HoldState.Cancelled, "draft-deleted", cancellationToken).ConfigureAwait(false);
        }

        if (!draft.IsDraft)
        {
            // Sent from the compose window after POST /holds/{id}/override: the override stands.
            return await FinishAsync(hold, hold.Override is null ? HoldState.SentByUser : HoldState.Overridden, null, cancellationToken).ConfigureAwait(false);
        }

        if (draft.DeferredSendTime is not null)
        {
            return await OwnedByOutlookAsync(hold, cancellationToken).ConfigureAwait(false);
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
                // A hold awaiting its draft's sync is looked for now, not at its release.
                await scheduler.ScheduleAsync(current.Id, current.AwaitingSync ? now : current.ReleaseAt, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Decides from the policy and <paramref name="recipients"/> and stores a new hold, or returns the hold that won a
    /// race for the same draft or key; for the add-in, no hold when the mail may go now.
    /// </summary>
    private async Task<HoldOutcome> DecideAndStoreAsync(
        string mailbox, string messageId, HoldSource source, Guid? key, IReadOnlyList<string> recipients, bool awaitingSync, CancellationToken cancellationToken)
    {
        var department = await evaluator.DepartmentOfAsync(mailbox, cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        var decision = await evaluator.EvaluateAsync(department, mailbox, recipients, Instant.FromDateTimeOffset(now), cancellationToken)
            .ConfigureAwait(false);
        if (decision.Kind == DecisionKind.Send && source == HoldSource.AddIn)
        {
            return new HoldOutcome(null, Created: false, HoldReasons.None);
        }

        var releaseAt = decision.ReleaseAt?.ToDateTimeOffset() ?? now;
        var hold = new Hold(Guid.NewGuid(), mailbox, messageId, department, source, HoldState.Held, decision.Reasons, now, releaseAt, now,
            Key: key, AwaitingSync: awaitingSync);
        if (await store.TryAddAsync(hold, cancellationToken).ConfigureAwait(false))
        {
            // Counted when stored, awaiting its draft's sync or not, so that every hold counted ends counted.
            telemetry.HoldCreated(hold);
            return new HoldOutcome(hold, Created: true, hold.Reasons);
        }

        // Another request held the same draft, or used the same key, between the lookups and here.
        var winner = (key is { } k ? await store.FindByKeyAsync(mailbox, k, cancellationToken).ConfigureAwait(false) : null)
            ?? await store.FindPendingAsync(mailbox, messageId, cancellationToken).ConfigureAwait(false);
        return winner is null
            ? throw new HoldException(HoldError.Conflict, "The draft's hold changed while it was being made; try again.")
            : new HoldOutcome(winner, Created: false, winner.Reasons);
    }

    /// <summary>
    /// Looks for the draft of a hold made before Graph knew it. Found: the hold takes the draft's immutable id, is decided
    /// again with the draft's own recipients, marked, counted, and scheduled for its release. Not yet: looks again later,
    /// each wait as long as has passed (from <see cref="HoldsOptions.SyncFirstRetry"/> up to
    /// <see cref="HoldsOptions.SyncLongestRetry"/>), and after <see cref="HoldsOptions.SyncWait"/> gives up: the hold
    /// ends <c>failed</c> and the draft, whenever it arrives, stays in Drafts unsent.
    /// </summary>
    private async Task ConfirmSyncAsync(Hold hold, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var draft = await ReadDraftAsync(hold.Mailbox, hold.MessageId, cancellationToken).ConfigureAwait(false);
        if (draft is null)
        {
            var waited = now - hold.CreatedAt;
            if (waited >= settings.SyncWait)
            {
                await FinishAsync(hold, HoldState.Failed, "draft-never-synced", cancellationToken, unschedule: false).ConfigureAwait(false);
                return;
            }

            var wait = TimeSpan.FromTicks(Math.Clamp(waited.Ticks, settings.SyncFirstRetry.Ticks, settings.SyncLongestRetry.Ticks));
            var next = now + wait < hold.CreatedAt + settings.SyncWait ? now + wait : hold.CreatedAt + settings.SyncWait;
            await scheduler.ScheduleAsync(hold.Id, next, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (draft.Folder == MailFolderKind.DeletedItems)
        {
            await FinishAsync(hold, HoldState.Cancelled, "draft-deleted", cancellationToken, unschedule: false).ConfigureAwait(false);
            return;
        }

        if (!draft.IsDraft || draft.DeferredSendTime is not null)
        {
            // Sent by the user, or Outlook's own delayed delivery owns it: BoundaryGuard must not send it too.
            await FinishAsync(hold, HoldState.SentByUser, draft.IsDraft ? DeferredByOutlook : null, cancellationToken, unschedule: false).ConfigureAwait(false);
            return;
        }

        if (!string.Equals(draft.MessageId, hold.MessageId, StringComparison.Ordinal) &&
            await store.FindPendingAsync(hold.Mailbox, draft.MessageId, cancellationToken).ConfigureAwait(false) is { } other && other.Id != hold.Id)
        {
            // The draft was held again by its immutable id meanwhile (without this key): that hold carries it.
            await FinishAsync(hold, HoldState.Failed, "draft-held-twice", cancellationToken, unschedule: false).ConfigureAwait(false);
            return;
        }

        var decision = await evaluator.EvaluateAsync(hold.Department, hold.Mailbox, draft.Recipients, Instant.FromDateTimeOffset(now), cancellationToken)
            .ConfigureAwait(false);
        var releaseAt = decision.ReleaseAt?.ToDateTimeOffset() ?? now;
        var confirmed = await store.TryUpdateAsync(
            hold with { MessageId = draft.MessageId, AwaitingSync = false, ReleaseAt = releaseAt, Reasons = hold.Reasons | decision.Reasons, UpdatedAt = now },
            cancellationToken).ConfigureAwait(false);
        if (confirmed is null)
        {
            return;
        }

        try
        {
            await gateway.MarkHeldAsync(confirmed.Mailbox, confirmed.MessageId, Mark(confirmed), cancellationToken).ConfigureAwait(false);
        }
        catch (GraphGatewayException e) when (e.Kind != GraphErrorKind.NotFound)
        {
            // The mark only shows the release time in other clients; the schedule is what counts.
            LogUnmarkFailed(e.Kind);
        }

        await scheduler.ScheduleAsync(confirmed.Id, confirmed.ReleaseAt, cancellationToken).ConfigureAwait(false);
        LogSynced(now - hold.CreatedAt, confirmed.ReleaseAt);
        await metrics.HoldCreatedAsync(confirmed, draft.Recipients, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The check after <see cref="OverrideAsync"/>: a draft that is no longer one went from the compose window, and the
    /// hold ends <c>overridden</c> (null back). Still a draft: before the check is due it waits for it (null back);
    /// after, the reason is dropped and the hold, returned, goes on to its release.
    /// </summary>
    private async Task<Hold?> CheckOverrideAsync(Hold hold, CancellationToken cancellationToken)
    {
        var draft = await ReadDraftAsync(hold.Mailbox, hold.MessageId, cancellationToken).ConfigureAwait(false);
        if (draft is { IsDraft: false })
        {
            await FinishAsync(hold, HoldState.Overridden, null, cancellationToken, unschedule: false).ConfigureAwait(false);
            return null;
        }

        var now = clock.GetUtcNow();
        var due = hold.UpdatedAt + settings.OverrideCheckDelay;
        if (draft is not null && now < due)
        {
            // The sender's own send may still be on its way: BoundaryGuard sending it too would deliver it twice.
            await scheduler.ScheduleAsync(hold.Id, due, cancellationToken).ConfigureAwait(false);
            return null;
        }

        LogOverrideNotSent();
        return await store.TryUpdateAsync(hold with { Override = null, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A held draft carrying PidTagDeferredSendTime: Outlook's delayed delivery sends it from the server, so the hold
    /// ends <c>sent-by-user</c> and BoundaryGuard never sends it too.
    /// </summary>
    private async Task<Hold?> OwnedByOutlookAsync(Hold hold, CancellationToken cancellationToken)
    {
        // learn.microsoft.com/office/dev/add-ins/outlook/delay-delivery: "the delay is processed on the server", and the
        // message may stay in Drafts until its delivery time, so a delayed draft still looks like a draft.
        var done = await FinishAsync(hold, HoldState.SentByUser, DeferredByOutlook, cancellationToken).ConfigureAwait(false);
        if (done is not null)
        {
            try
            {
                await gateway.UnmarkAsync(hold.Mailbox, hold.MessageId, cancellationToken).ConfigureAwait(false);
            }
            catch (GraphGatewayException e)
            {
                LogUnmarkFailed(e.Kind);
            }
        }

        return done;
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
            telemetry.HoldFinished(done);
            if (!done.AwaitingSync)
            {
                // A hold whose draft never synced was never counted as made, so its end is not counted either.
                await metrics.HoldFinishedAsync(done, cancellationToken).ConfigureAwait(false);
            }
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

    /// <summary>Held, and its draft known to Graph: what sending it, or letting the sender send it, needs.</summary>
    private static void RequireHeldOnServer(Hold hold)
    {
        RequireHeld(hold);
        if (hold.AwaitingSync)
        {
            throw new HoldException(HoldError.Conflict, "The draft has not reached the server yet; try again in a moment.");
        }
    }

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Hold created awaiting the draft's sync, release at {ReleaseAt:O} ({Reasons})")]
    private partial void LogAwaitingSync(DateTimeOffset releaseAt, HoldReasons reasons);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hold's draft synced after {Waited}, release at {ReleaseAt:O}")]
    private partial void LogSynced(TimeSpan waited, DateTimeOffset releaseAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sender sends the held draft from the compose window, reason {Reason}; checking it went")]
    private partial void LogOverrideAsked(OverrideReason reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Override not followed by a send: the hold waits for its release")]
    private partial void LogOverrideNotSent();

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
