using BoundaryGuard.Service.Holds;

namespace BoundaryGuard.Service.Scorecards;

/// <summary>
/// The counters of one sender in one ISO week (a row of <c>metric_weeks</c>), and how one event moves them. Every
/// measure of the scorecard is computed from these, so how an event counts is decided here and nowhere else.
/// </summary>
public sealed record MetricWeek
{
    /// <summary>The <see cref="Sender"/> of a department's own rows: the sum of its senders' weeks.</summary>
    public const string Everyone = "*";

    public required string Department { get; init; }

    public required int Week { get; init; }

    public required string Sender { get; init; }

    /// <summary>After-hours send attempts: held (by BoundaryGuard or by Outlook's fallback) or delivered after hours.</summary>
    public long Attempts { get; init; }

    /// <summary>Attempts whose delivery was moved into working hours: holds made plus add-in deferrals.</summary>
    public long Held { get; init; }

    public long Deferred { get; init; }

    public long Released { get; init; }

    public long Cancelled { get; init; }

    public long Overrides { get; init; }

    public long OverridePatientCare { get; init; }

    public long OverrideTimeCritical { get; init; }

    public long OverrideRecipientAsked { get; init; }

    public long OverrideOther { get; init; }

    /// <summary>Mail that reached recipients after hours: overrides sent after hours and what the audit found.</summary>
    public long DeliveredAfterHours { get; init; }

    public long DeliveredAfterHoursToTrainees { get; init; }

    public long SentInHours { get; init; }

    /// <summary>Attempts on a weekend.</summary>
    public long Weekend { get; init; }

    /// <summary>Attempts on a holiday or closure.</summary>
    public long Holiday { get; init; }

    /// <summary>The counters one event adds to its sender's week (all zero for events that count nothing).</summary>
    public static MetricWeek Of(MetricEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        // An audited after-hours send of a held draft (its Source set) was counted as an attempt when it was held.
        var attempt = e.Kind is MetricKind.HoldCreated or MetricKind.Deferred || (e.Kind == MetricKind.DeliveredAfterHours && e.Source is null) ? 1 : 0;
        var deliveredLate = e.Kind == MetricKind.DeliveredAfterHours || (e.Kind == MetricKind.Overridden && e.AfterHours) ? 1 : 0;
        var overridden = e.Kind == MetricKind.Overridden ? 1 : 0;
        return new MetricWeek
        {
            Department = e.Department,
            Week = e.IsoWeek,
            Sender = e.Sender,
            Attempts = attempt,
            Held = e.Kind is MetricKind.HoldCreated or MetricKind.Deferred ? 1 : 0,
            Deferred = e.Kind == MetricKind.Deferred ? 1 : 0,
            Released = e.Kind == MetricKind.Released ? 1 : 0,
            Cancelled = e.Kind == MetricKind.Cancelled ? 1 : 0,
            Overrides = overridden,
            OverridePatientCare = overridden * (e.Override == OverrideReason.PatientCare ? 1 : 0),
            OverrideTimeCritical = overridden * (e.Override == OverrideReason.TimeCritical ? 1 : 0),
            OverrideRecipientAsked = overridden * (e.Override == OverrideReason.RecipientAsked ? 1 : 0),
            OverrideOther = overridden * (e.Override == OverrideReason.Other ? 1 : 0),
            DeliveredAfterHours = deliveredLate,
            DeliveredAfterHoursToTrainees = deliveredLate * (e.Recipients.Trainees > 0 ? 1 : 0),
            SentInHours = e.Kind == MetricKind.SentInHours ? 1 : 0,
            Weekend = attempt * (e.Period.HasFlag(MetricPeriod.Weekend) ? 1 : 0),
            Holiday = attempt * (e.Period.HasFlag(MetricPeriod.Closure) ? 1 : 0),
        };
    }

    /// <summary>The sum of two sets of counters (the identity of the first is kept).</summary>
    public MetricWeek Plus(MetricWeek other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return this with
        {
            Attempts = Attempts + other.Attempts,
            Held = Held + other.Held,
            Deferred = Deferred + other.Deferred,
            Released = Released + other.Released,
            Cancelled = Cancelled + other.Cancelled,
            Overrides = Overrides + other.Overrides,
            OverridePatientCare = OverridePatientCare + other.OverridePatientCare,
            OverrideTimeCritical = OverrideTimeCritical + other.OverrideTimeCritical,
            OverrideRecipientAsked = OverrideRecipientAsked + other.OverrideRecipientAsked,
            OverrideOther = OverrideOther + other.OverrideOther,
            DeliveredAfterHours = DeliveredAfterHours + other.DeliveredAfterHours,
            DeliveredAfterHoursToTrainees = DeliveredAfterHoursToTrainees + other.DeliveredAfterHoursToTrainees,
            SentInHours = SentInHours + other.SentInHours,
            Weekend = Weekend + other.Weekend,
            Holiday = Holiday + other.Holiday,
        };
    }

    /// <summary>The counters in column order of <c>metric_weeks</c> (after department, week and sender).</summary>
    internal long[] Counters() =>
    [
        Attempts, Held, Deferred, Released, Cancelled, Overrides, OverridePatientCare, OverrideTimeCritical,
        OverrideRecipientAsked, OverrideOther, DeliveredAfterHours, DeliveredAfterHoursToTrainees, SentInHours, Weekend, Holiday,
    ];

    internal static readonly string[] CounterColumns =
    [
        "attempts", "held", "deferred", "released", "cancelled", "overrides", "override_patient_care",
        "override_time_critical", "override_recipient_asked", "override_other", "delivered_after_hours",
        "delivered_after_hours_trainees", "sent_in_hours", "weekend", "holiday",
    ];

    internal static MetricWeek FromCounters(string department, int week, string sender, IReadOnlyList<long> c) => new()
    {
        Department = department,
        Week = week,
        Sender = sender,
        Attempts = c[0],
        Held = c[1],
        Deferred = c[2],
        Released = c[3],
        Cancelled = c[4],
        Overrides = c[5],
        OverridePatientCare = c[6],
        OverrideTimeCritical = c[7],
        OverrideRecipientAsked = c[8],
        OverrideOther = c[9],
        DeliveredAfterHours = c[10],
        DeliveredAfterHoursToTrainees = c[11],
        SentInHours = c[12],
        Weekend = c[13],
        Holiday = c[14],
    };
}
