using BoundaryGuard.Core.Calendars;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Core.TimeZones;
using NodaTime;
using NodaTime.Text;

namespace BoundaryGuard.Service.Holds;

/// <summary><c>POST /api/v1/holds</c>: the draft to hold, by its immutable Graph id.</summary>
/// <param name="Key">
/// Optional: a UUID the add-in chooses for one Send. A request whose key already names a hold of the mailbox returns
/// that hold; with a key, a draft Graph does not know yet (cached mode) is held awaiting its sync instead of refused.
/// </param>
/// <param name="Recipients">
/// Optional: the draft's recipients as the add-in read them, used only to decide a hold for a draft Graph does not know
/// yet. Never stored or logged.
/// </param>
public sealed record HoldRequest(string? Mailbox, string? MessageId, string? Key = null, IReadOnlyList<string?>? Recipients = null);

/// <summary>
/// <c>POST /api/v1/holds/{id}/release</c>: why the mail must go now; <c>POST /api/v1/holds/{id}/override</c>: why the
/// sender sends it now from the compose window.
/// </summary>
/// <param name="Reason"><c>patient-care</c>, <c>time-critical</c>, <c>recipient-asked</c> or <c>other</c>.</param>
public sealed record ReleaseRequest(string? Reason);

/// <summary>
/// <c>POST /api/v1/deferrals</c>: a send the add-in let Outlook defer (<c>delayDeliveryTime</c>) because the service
/// could not be reached in time. <c>id</c> is the add-in's own, so a repeated report is stored once.
/// </summary>
/// <param name="Reasons">As the add-in decided them: <c>after-hours</c>, <c>weekend</c>, <c>holiday</c>, <c>recipient-off-hours</c>.</param>
/// <param name="Cause"><c>token</c>, <c>timeout</c>, <c>unreachable</c> or <c>refused</c>.</param>
/// <param name="HoldKey">
/// Optional: the <c>key</c> of the hold request this Send made before falling back. Its hold, if the service made one and
/// it is still held, is cancelled (<c>deferred-by-outlook</c>): Outlook delivers that mail itself.
/// </param>
public sealed record DeferralRequest(
    Guid? Id, string? Mailbox, DateTimeOffset? DeferredAt, DateTimeOffset? ReleaseAt, IReadOnlyList<string>? Reasons, string? Cause,
    string? HoldKey = null);

/// <summary>A reported deferral, its instants in the sender's policy zone offset.</summary>
public sealed record DeferralResponse(
    Guid Id, string Mailbox, DateTimeOffset DeferredAt, DateTimeOffset ReleaseAt, IReadOnlyList<string> Reasons, string Cause, DateTimeOffset ReportedAt)
{
    public static DeferralResponse From(Deferral deferral, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(deferral);
        return new DeferralResponse(
            deferral.Id,
            deferral.Mailbox,
            HoldResponse.InZone(deferral.DeferredAt, zone),
            HoldResponse.InZone(deferral.ReleaseAt, zone),
            [.. deferral.Reasons.Names()],
            HoldWireNames.DeferralCauses.Name(deferral.Cause),
            HoldResponse.InZone(deferral.ReportedAt, zone));
    }
}

/// <summary>A hold as the API shows it. <c>state</c> is <c>not-needed</c> (and <c>id</c> null) when the mail may go now.</summary>
/// <param name="ReleaseAt">In the sender's policy zone offset, as the CLI prints it.</param>
/// <param name="Override">
/// On a held hold, the reason the sender gave for sending it from the compose window (POST /holds/{id}/override), until
/// the check finds it sent (<c>overridden</c>) or not (dropped).
/// </param>
/// <param name="Key">The add-in's key the hold was made with, or null.</param>
/// <param name="AwaitingSync">True while the hold waits for a draft Graph did not know yet (Outlook's cached mode).</param>
public sealed record HoldResponse(
    Guid? Id,
    string Mailbox,
    string MessageId,
    DateTimeOffset? ReleaseAt,
    IReadOnlyList<string> Reasons,
    string State,
    string? Source = null,
    DateTimeOffset? CreatedAt = null,
    DateTimeOffset? CompletedAt = null,
    string? Override = null,
    string? FailureReason = null,
    Guid? Key = null,
    bool AwaitingSync = false)
{
    public const string NotNeeded = "not-needed";

    public static HoldResponse From(Hold hold, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(hold);
        return new HoldResponse(
            hold.Id,
            hold.Mailbox,
            hold.MessageId,
            InZone(hold.ReleaseAt, zone),
            [.. hold.Reasons.Names()],
            HoldWireNames.States.Name(hold.State),
            HoldWireNames.Sources.Name(hold.Source),
            InZone(hold.CreatedAt, zone),
            hold.CompletedAt is { } completed ? InZone(completed, zone) : null,
            hold.Override is { } reason ? HoldWireNames.OverrideReasons.Name(reason) : null,
            hold.FailureReason,
            hold.Key,
            hold.AwaitingSync);
    }

    internal static DateTimeOffset InZone(DateTimeOffset at, DateTimeZone zone) =>
        Instant.FromDateTimeOffset(at).InZone(zone).ToDateTimeOffset();
}

/// <summary>
/// <c>POST /api/v1/policy/me</c>: the recipients whose working hours the snapshot should carry, in the body so that no
/// address reaches a URL. At most 500 (Exchange Online's recipients per message), each an address alone; none, or no
/// list at all, asks for the caller's policy only.
/// </summary>
public sealed record PolicySnapshotRequest(IReadOnlyList<string?>? Recipients = null);

/// <summary>
/// <c>POST /api/v1/policy/me</c>: what the add-in needs to decide offline. Mail may go at <c>t</c> when <c>t</c> is in
/// an <see cref="Open"/> interval and in one of every listed recipient's intervals in <see cref="People"/>.
/// </summary>
public sealed record PolicySnapshotResponse(
    string? Department,
    string TimeZone,
    DateTimeOffset GeneratedAt,
    DateTimeOffset ValidUntil,
    IReadOnlyList<IntervalResponse> Open,
    IReadOnlyList<ClosureResponse> Closures,
    IReadOnlyDictionary<string, IReadOnlyList<IntervalResponse>> People)
{
    /// <summary>The last day of the caller's exemption from holds (yyyy-mm-dd), if IT gave them one.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ExemptUntil { get; init; }

    public static PolicySnapshotResponse From(string? department, PolicySnapshot snapshot, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new PolicySnapshotResponse(
            department,
            snapshot.TimeZone,
            snapshot.GeneratedAt.InZone(zone).ToDateTimeOffset(),
            snapshot.ValidUntil.InZone(zone).ToDateTimeOffset(),
            Intervals(snapshot.Open, zone),
            [.. snapshot.Closures.Select(ClosureResponse.From)],
            snapshot.People.ToDictionary(p => p.Key, p => Intervals(p.Value, zone), StringComparer.OrdinalIgnoreCase));
    }

    private static IReadOnlyList<IntervalResponse> Intervals(IReadOnlyList<OpenInterval> intervals, DateTimeZone zone) =>
        [.. intervals.Select(i => new IntervalResponse(i.Start.InZone(zone).ToDateTimeOffset(), i.End.InZone(zone).ToDateTimeOffset()))];
}

/// <summary>A half-open interval <c>[start, end)</c>.</summary>
public sealed record IntervalResponse(DateTimeOffset Start, DateTimeOffset End);

/// <summary>A closed day (or afternoon, from <see cref="ClosedFrom"/>) with its name and where it came from.</summary>
public sealed record ClosureResponse(string Date, string Name, string Source, string? ClosedFrom)
{
    public static ClosureResponse From(Closure closure)
    {
        ArgumentNullException.ThrowIfNull(closure);
        return new ClosureResponse(
            LocalDatePattern.Iso.Format(closure.Date),
            closure.Name,
            closure.Source,
            closure.IsWholeDay ? null : LocalTimePattern.ExtendedIso.Format(closure.ClosedFrom!.Value));
    }
}
