using BoundaryGuard.Graph.Mailboxes;
using BoundaryGuard.Service.Holds;
using NodaTime;

namespace BoundaryGuard.Service.Scorecards;

/// <summary>
/// Turns what happens to mail into boundary metrics: holds made and how they ended, the add-in's deferrals, and what
/// the Sent Items audit saw. Each event is stamped with the sender's local day and hour and whether it fell in a
/// night, a weekend or a closure of the sender's department policy. Recording never fails the mail flow it observes:
/// a metric that cannot be stored is logged (by kind and hold id only) and the flow goes on.
/// </summary>
public sealed partial class MetricRecorder(IMetricStore store, HoldEvaluator evaluator, RecipientRoles roles, ILogger<MetricRecorder> logger)
{
    public Task HoldCreatedAsync(Hold hold, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hold);
        return RecordAsync(MetricKind.HoldCreated, hold.Id, async () =>
            Event(HoldKey(hold.Id, MetricKind.HoldCreated), MetricKind.HoldCreated, hold.CreatedAt, hold.Mailbox, hold.Department,
                await roles.CountAsync(recipients, cancellationToken).ConfigureAwait(false), hold.Reasons, source: hold.Source),
            cancellationToken);
    }

    /// <summary>A hold that ended: released, sent early (overridden) or cancelled. Other endings count nothing here.</summary>
    public Task HoldFinishedAsync(Hold hold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hold);
        MetricKind? kind = hold.State switch
        {
            HoldState.Sent => MetricKind.Released,
            HoldState.Overridden => MetricKind.Overridden,
            HoldState.Cancelled => MetricKind.Cancelled,
            // Sent by the user outside BoundaryGuard: the Sent Items audit counts it when and as it went.
            _ => null,
        };
        if (kind is not { } finished)
        {
            return Task.CompletedTask;
        }

        return RecordAsync(finished, hold.Id, async () =>
        {
            // Recipients are counted once, when the hold was made; the draft may be gone now.
            var created = await store.FindAsync(HoldKey(hold.Id, MetricKind.HoldCreated), cancellationToken).ConfigureAwait(false);
            var at = hold.CompletedAt ?? hold.UpdatedAt;
            return Event(HoldKey(hold.Id, finished), finished, at, hold.Mailbox, hold.Department, created?.Recipients ?? RecipientCounts.None,
                hold.Reasons, hold.Override, hold.Source,
                finished == MetricKind.Released ? (int)Math.Round((at - hold.CreatedAt).TotalMinutes) : null);
        }, cancellationToken);
    }

    public Task DeferredAsync(Deferral deferral, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deferral);
        return RecordAsync(MetricKind.Deferred, deferral.Id, () => Task.FromResult(
            Event($"deferral:{deferral.Id:D}", MetricKind.Deferred, deferral.DeferredAt, deferral.Mailbox, deferral.Department,
                RecipientCounts.None, deferral.Reasons)), cancellationToken);
    }

    /// <summary>A message the Sent Items audit found that BoundaryGuard did not send: after hours or in hours.</summary>
    public async Task<MetricEvent> SentItemEventAsync(string mailbox, string? department, SentItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var at = item.SentAt.ToDateTimeOffset();
        var counts = await roles.CountAsync(item.Recipients, cancellationToken).ConfigureAwait(false);
        var probe = Event("", MetricKind.SentInHours, at, mailbox, department, counts, Core.Decisions.HoldReasons.None);
        return probe with
        {
            Key = $"sent:{mailbox.ToLowerInvariant()}:{item.MessageId}",
            Kind = probe.AfterHours ? MetricKind.DeliveredAfterHours : MetricKind.SentInHours,
        };
    }

    private MetricEvent Event(
        string key, MetricKind kind, DateTimeOffset at, string sender, string? department, RecipientCounts recipients,
        Core.Decisions.HoldReasons reasons, OverrideReason? overrideReason = null, HoldSource? source = null, int? holdMinutes = null)
    {
        var policy = evaluator.PolicyFor(department);
        var instant = Instant.FromDateTimeOffset(at);
        var local = instant.InZone(policy.Zone).LocalDateTime;
        // The policy alone (no recipients): is this instant outside the sender's own working time, and why.
        var why = policy.Evaluate(instant, []).Reasons;
        var period = (why.HasFlag(Core.Decisions.HoldReasons.AfterHours) ? MetricPeriod.Night : MetricPeriod.None)
            | (why.HasFlag(Core.Decisions.HoldReasons.Weekend) ? MetricPeriod.Weekend : MetricPeriod.None)
            | (why.HasFlag(Core.Decisions.HoldReasons.Holiday) ? MetricPeriod.Closure : MetricPeriod.None);
        return new MetricEvent(key, kind, at, sender.ToLowerInvariant(), department ?? "", local.Date, local.Hour, period, reasons, recipients,
            overrideReason, source, holdMinutes);
    }

    private async Task RecordAsync(MetricKind kind, Guid id, Func<Task<MetricEvent>> build, CancellationToken cancellationToken)
    {
        try
        {
            await store.AppendAsync([await build().ConfigureAwait(false)], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotRecorded(kind, id, e.GetType().Name);
        }
    }

    private static string HoldKey(Guid id, MetricKind kind) => $"hold:{id:D}:{MetricWireNames.Kinds.Name(kind)}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Kind} metric of {Id} was not recorded ({Error})")]
    private partial void LogNotRecorded(MetricKind kind, Guid id, string error);
}
