using System.Diagnostics;
using System.Diagnostics.Metrics;
using BoundaryGuard.Service.Holds;

namespace BoundaryGuard.Service.Telemetry;

/// <summary>
/// The service's instruments, on the meter <see cref="MeterName"/>, and its activity source for release spans. Tags
/// are wire names the code already has (a hold's source, an override reason, a failure reason, an outcome): never a
/// mailbox, a department, a message id, a subject or a body. docs/telemetry.md lists them for IT.
/// </summary>
/// <remarks>
/// Counted per process: with two nodes, IT sums them. <see cref="ReleaseLateness"/> is the one histogram; the pending
/// gauge reads the database, at most once per <see cref="PendingCacheTime"/> however many readers collect.
/// </remarks>
public sealed partial class ServiceMetrics
{
    public const string MeterName = "BoundaryGuard";

    public const string ActivitySourceName = "BoundaryGuard";

    internal const string SourceTag = "boundaryguard.hold.source";
    internal const string ReasonTag = "boundaryguard.hold.reason";
    internal const string StateTag = "boundaryguard.hold.state";
    internal const string OutcomeTag = "boundaryguard.audit.outcome";

    /// <summary>How long a count of pending holds is reused before the database is asked again.</summary>
    internal static readonly TimeSpan PendingCacheTime = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Spans around each release. Static, as the .NET guidance has it for an ActivitySource
    /// (learn.microsoft.com/dotnet/core/diagnostics/distributed-tracing-instrumentation-walkthroughs): there is no factory.
    /// </summary>
    internal static readonly ActivitySource Source = new(ActivitySourceName);

    private readonly Counter<long> created;
    private readonly Counter<long> released;
    private readonly Counter<long> sentEarly;
    private readonly Counter<long> cancelled;
    private readonly Counter<long> sentByUser;
    private readonly Counter<long> failed;
    private readonly Histogram<double> lateness;
    private readonly Counter<long> misfires;
    private readonly Counter<long> auditRounds;
    private readonly IHoldStore store;
    private readonly TimeProvider clock;
    private readonly ILogger<ServiceMetrics> logger;
    private readonly Lock gate = new();
    private (DateTimeOffset At, long Held, long Sending)? pending;

    public ServiceMetrics(IMeterFactory meterFactory, IHoldStore store, TimeProvider clock, ILogger<ServiceMetrics> logger)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        this.store = store;
        this.clock = clock;
        this.logger = logger;
        var meter = meterFactory.Create(MeterName);
        created = meter.CreateCounter<long>("boundaryguard.holds.created", "{hold}", "Holds made, by how the draft came (add-in or Send later).");
        released = meter.CreateCounter<long>("boundaryguard.holds.released", "{hold}", "Held mail BoundaryGuard sent at its release.");
        sentEarly = meter.CreateCounter<long>("boundaryguard.holds.sent_early", "{hold}", "Held mail its sender sent early (an override), by the reason given.");
        cancelled = meter.CreateCounter<long>("boundaryguard.holds.cancelled", "{hold}", "Holds cancelled, by reason (the sender, a deleted draft, Outlook's own delayed delivery, ...).");
        sentByUser = meter.CreateCounter<long>("boundaryguard.holds.sent_by_user", "{hold}", "Held drafts the sender sent themselves, outside BoundaryGuard.");
        failed = meter.CreateCounter<long>("boundaryguard.holds.failed", "{hold}", "Holds given up, by reason.");
        lateness = meter.CreateHistogram(
            "boundaryguard.holds.release.lateness", "s", "Seconds from a hold's release time to its confirmed send.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0, 1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600, 14400, 43200, 86400] });
        misfires = meter.CreateCounter<long>("boundaryguard.scheduler.misfires", "{trigger}", "Release triggers Quartz found overdue by more than its misfire threshold.");
        auditRounds = meter.CreateCounter<long>("boundaryguard.audit.rounds", "{round}", "Sent Items audit rounds, by outcome (complete, partial, failed).");
        meter.CreateObservableGauge("boundaryguard.holds.pending", ObservePending, "{hold}", "Holds waiting for their release (held) or for their send to be confirmed (sending).");
    }

    internal void HoldCreated(Hold hold) =>
        created.Add(1, new KeyValuePair<string, object?>(SourceTag, HoldWireNames.Sources.Name(hold.Source)));

    /// <summary>A hold reached a final state: counted by it, with its reason, and a release's lateness recorded.</summary>
    internal void HoldFinished(Hold hold)
    {
        switch (hold.State)
        {
            case HoldState.Sent:
                released.Add(1, new KeyValuePair<string, object?>(SourceTag, HoldWireNames.Sources.Name(hold.Source)));
                // A send a moment early (nodes' clocks) is on time, not negative lateness.
                var late = (hold.CompletedAt ?? hold.UpdatedAt) - hold.ReleaseAt;
                lateness.Record(Math.Max(0, late.TotalSeconds));
                break;
            case HoldState.Overridden:
                sentEarly.Add(1, Reason(hold.Override is { } why ? HoldWireNames.OverrideReasons.Name(why) : null));
                break;
            case HoldState.Cancelled:
                cancelled.Add(1, Reason(hold.FailureReason ?? "sender"));
                break;
            case HoldState.SentByUser:
                sentByUser.Add(1, Reason(hold.FailureReason ?? "sender"));
                break;
            case HoldState.Failed:
                failed.Add(1, Reason(hold.FailureReason));
                break;
        }
    }

    internal void Misfired() => misfires.Add(1);

    /// <summary>One Sent Items audit round; null when the round itself failed.</summary>
    internal void AuditRound(Scorecards.SentItemsAuditRound? round) =>
        auditRounds.Add(1, new KeyValuePair<string, object?>(OutcomeTag, round switch
        {
            null => "failed",
            { Failed: > 0 } => "partial",
            _ => "complete",
        }));

    private static KeyValuePair<string, object?> Reason(string? reason) => new(ReasonTag, reason ?? "unknown");

    private IEnumerable<Measurement<long>> ObservePending()
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            if (pending is not { } last || now - last.At >= PendingCacheTime || now < last.At)
            {
                try
                {
                    // A collection callback is synchronous; it runs on the metric reader's own thread, never a request's.
                    pending = (now,
                        store.CountByStateAsync(HoldState.Held, CancellationToken.None).GetAwaiter().GetResult(),
                        store.CountByStateAsync(HoldState.Sending, CancellationToken.None).GetAwaiter().GetResult());
                }
                catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
                {
                    // The database is away: no value is better than a stale one, and the health check says why.
                    LogPendingUnread(e.GetType().Name);
                    pending = null;
                    return [];
                }
            }

            var (_, held, sending) = pending.Value;
            return
            [
                new Measurement<long>(held, new KeyValuePair<string, object?>(StateTag, HoldWireNames.States.Name(HoldState.Held))),
                new Measurement<long>(sending, new KeyValuePair<string, object?>(StateTag, HoldWireNames.States.Name(HoldState.Sending))),
            ];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pending holds not counted for telemetry ({Error})")]
    private partial void LogPendingUnread(string error);
}
