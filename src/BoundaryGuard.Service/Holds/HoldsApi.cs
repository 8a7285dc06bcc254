using System.Net.Mail;
using System.Security.Claims;
using BoundaryGuard.Service.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using BoundaryGuard.Core.Decisions;
using NodaTime;

namespace BoundaryGuard.Service.Holds;

/// <summary>The add-in's API: hold a draft, list and read holds, send one now with a reason, cancel one, and the policy snapshot.</summary>
public static class HoldsApi
{
    /// <summary>How far ahead <c>POST /api/v1/policy/me</c> reaches.</summary>
    public static readonly Duration SnapshotLength = Duration.FromDays(21);

    private const int ListLimit = 500;

    // Exchange Online takes at most 500 recipients per message.
    private const int MaxRecipients = 500;

    /// <summary>Room for 500 recipients of the longest addresses (254 characters) and the rest of a request.</summary>
    internal const int MaxBodyBytes = 256 * 1024;

    /// <summary>How far ahead of the service's clock a client's clock may run before its report is refused.</summary>
    private static readonly TimeSpan ReportClockSkew = TimeSpan.FromMinutes(5);

    private static readonly Dictionary<string, HoldReasons> ReasonsByName = Enum.GetValues<HoldReasons>()
        .Where(r => r != HoldReasons.None)
        .ToDictionary(r => r.Names().Single(), StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapHoldsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").RequireAuthorization(Caller.MailUserPolicy).RequireCors(Addin.AddinCors.PolicyName)
            .RequireRateLimiting(RateLimits.CallerRateLimits.Addin).WithTags("Holds")
            // The add-in's requests are small JSON (500 recipients at most); a larger body is refused (413) before it
            // is read. Routing applies IRequestSizeLimitMetadata to the server's body limit for minimal APIs.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes));
        api.MapPost("/holds", CreateAsync).WithName("CreateHold").WithSummary("Hold a draft until its recipients' next working-hours start");
        api.MapGet("/holds", ListAsync).WithName("ListHolds").WithSummary("The caller's own holds, newest first");
        api.MapGet("/holds/{id:guid}", GetAsync).WithName("GetHold");
        api.MapPost("/holds/{id:guid}/release", ReleaseAsync).WithName("ReleaseHold").WithSummary("Send a held draft now, recording why");
        api.MapPost("/holds/{id:guid}/override", OverrideAsync).WithName("OverrideHold")
            .WithSummary("Record why the sender sends a held draft from the compose window now; the hold ends overridden if it went");
        api.MapDelete("/holds/{id:guid}", CancelAsync).WithName("CancelHold").WithSummary("Cancel a hold: the draft stays in Drafts");
        api.MapPost("/deferrals", ReportDeferralAsync).WithName("ReportDeferral")
            .WithSummary("Record a send Outlook deferred itself because the service could not be reached at Send");
        api.MapGet("/deferrals", ListDeferralsAsync).WithName("ListDeferrals").WithSummary("The caller's own deferrals, newest first");
        // A POST, so the recipients' addresses travel in the body and never reach an access log or a proxy in a URL.
        api.MapPost("/policy/me", PolicyAsync).WithName("GetMyPolicy")
            .WithSummary("The caller's policy for the next 21 days, with the working hours of the recipients the body names");
        return endpoints;
    }

    private static async Task<Results<Created<HoldResponse>, Ok<HoldResponse>, ValidationProblem>> CreateAsync(
        HoldRequest request, ClaimsPrincipal user, HoldService holds, HoldEvaluator evaluator, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request?.Mailbox))
        {
            errors["mailbox"] = ["The sender's mailbox is required."];
        }

        if (string.IsNullOrWhiteSpace(request?.MessageId))
        {
            errors["messageId"] = ["The draft's immutable id is required."];
        }

        var key = ParseKey(request?.Key, "key", errors);
        var recipients = request?.Recipients ?? [];
        if (recipients.Count > MaxRecipients || recipients.Any(string.IsNullOrWhiteSpace))
        {
            errors["recipients"] = [$"At most {MaxRecipients} addresses, none of them empty."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var mailbox = request!.Mailbox!.Trim();
        RequireOwner(user, mailbox);
        var outcome = await holds.HoldAsync(mailbox, request.MessageId!.Trim(), HoldSource.AddIn, key, [.. recipients.Select(r => r!.Trim())], cancellationToken)
            .ConfigureAwait(false);
        if (outcome.Hold is not { } hold)
        {
            return TypedResults.Ok(new HoldResponse(null, mailbox, request.MessageId.Trim(), null, [], HoldResponse.NotNeeded));
        }

        var body = HoldResponse.From(hold, evaluator.PolicyFor(hold.Department).Zone);
        return outcome.Created ? TypedResults.Created($"/api/v1/holds/{hold.Id:D}", body) : TypedResults.Ok(body);
    }

    private static async Task<Ok<HoldResponse[]>> ListAsync(
        ClaimsPrincipal user, IHoldStore store, HoldEvaluator evaluator, CancellationToken cancellationToken)
    {
        var caller = CallerOf(user);
        var list = await store.ListByMailboxAsync(caller.Mailbox, ListLimit, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(list.Select(h => HoldResponse.From(h, evaluator.PolicyFor(h.Department).Zone)).ToArray());
    }

    private static async Task<Ok<HoldResponse>> GetAsync(
        Guid id, ClaimsPrincipal user, IHoldStore store, HoldEvaluator evaluator, CancellationToken cancellationToken)
    {
        var hold = await OwnHoldAsync(id, user, store, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(HoldResponse.From(hold, evaluator.PolicyFor(hold.Department).Zone));
    }

    private static Task<Results<Ok<HoldResponse>, ValidationProblem>> ReleaseAsync(
        Guid id, ReleaseRequest request, ClaimsPrincipal user, IHoldStore store, HoldService holds, HoldEvaluator evaluator,
        CancellationToken cancellationToken) =>
        WithReasonAsync(id, request, user, store, evaluator, holds.SendNowAsync, cancellationToken);

    /// <summary>
    /// The task pane sends the open draft itself (Outlook's <c>item.sendAsync</c>, Mailbox 1.15), which runs Smart
    /// Alerts' OnMessageSend again: its POST /holds then gets this hold with <c>override</c> set and lets the send go.
    /// </summary>
    // learn.microsoft.com/javascript/api/outlook/office.messagecompose (sendAsync): the send goes through OnMessageSend again.
    private static Task<Results<Ok<HoldResponse>, ValidationProblem>> OverrideAsync(
        Guid id, ReleaseRequest request, ClaimsPrincipal user, IHoldStore store, HoldService holds, HoldEvaluator evaluator,
        CancellationToken cancellationToken) =>
        WithReasonAsync(id, request, user, store, evaluator, holds.OverrideAsync, cancellationToken);

    /// <summary>A send now with a reason (release or override): the reason checked, the hold the caller's own, then <paramref name="act"/>.</summary>
    private static async Task<Results<Ok<HoldResponse>, ValidationProblem>> WithReasonAsync(
        Guid id, ReleaseRequest request, ClaimsPrincipal user, IHoldStore store, HoldEvaluator evaluator,
        Func<Hold, OverrideReason, CancellationToken, Task<Hold>> act, CancellationToken cancellationToken)
    {
        if (!HoldWireNames.OverrideReasons.TryParse(request?.Reason, out var reason))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["reason"] = [$"One of: {string.Join(", ", HoldWireNames.OverrideReasons.Names)}."],
            });
        }

        var hold = await OwnHoldAsync(id, user, store, cancellationToken).ConfigureAwait(false);
        await act(hold, reason, cancellationToken).ConfigureAwait(false);
        var after = await store.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? hold;
        return TypedResults.Ok(HoldResponse.From(after, evaluator.PolicyFor(after.Department).Zone));
    }

    private static async Task<Ok<HoldResponse>> CancelAsync(
        Guid id, ClaimsPrincipal user, IHoldStore store, HoldService holds, HoldEvaluator evaluator, CancellationToken cancellationToken)
    {
        var hold = await OwnHoldAsync(id, user, store, cancellationToken).ConfigureAwait(false);
        var cancelled = await holds.CancelAsync(hold, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(HoldResponse.From(cancelled, evaluator.PolicyFor(cancelled.Department).Zone));
    }

    private static async Task<Results<Created<DeferralResponse>, Ok<DeferralResponse>, ValidationProblem>> ReportDeferralAsync(
        DeferralRequest request, ClaimsPrincipal user, IHoldStore store, HoldService holds, HoldEvaluator evaluator, Scorecards.MetricRecorder metrics,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        if (request?.Id is not { } id || id == Guid.Empty)
        {
            errors["id"] = ["The deferral's id (a UUID chosen by the add-in) is required."];
        }

        if (string.IsNullOrWhiteSpace(request?.Mailbox))
        {
            errors["mailbox"] = ["The sender's mailbox is required."];
        }

        if (request?.DeferredAt is not { } deferredAt)
        {
            errors["deferredAt"] = ["When the send was deferred is required."];
        }
        else if (deferredAt > now + ReportClockSkew)
        {
            errors["deferredAt"] = ["A deferral cannot be in the future."];
        }

        if (request?.ReleaseAt is not { } releaseAt)
        {
            errors["releaseAt"] = ["The instant Outlook will deliver the mail is required."];
        }
        else if (request.DeferredAt is { } at && releaseAt <= at)
        {
            errors["releaseAt"] = ["The delivery instant must come after the send was deferred."];
        }

        var reasons = HoldReasons.None;
        foreach (var name in request?.Reasons ?? [])
        {
            if (ReasonsByName.TryGetValue(name ?? string.Empty, out var reason))
            {
                reasons |= reason;
            }
            else
            {
                errors["reasons"] = [$"Each one of: {string.Join(", ", ReasonsByName.Keys)}."];
            }
        }

        if (!HoldWireNames.DeferralCauses.TryParse(request?.Cause, out var cause))
        {
            errors["cause"] = [$"One of: {string.Join(", ", HoldWireNames.DeferralCauses.Names)}."];
        }

        var holdKey = ParseKey(request?.HoldKey, "holdKey", errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var mailbox = request!.Mailbox!.Trim();
        RequireOwner(user, mailbox);
        var department = await evaluator.DepartmentOfAsync(mailbox, cancellationToken).ConfigureAwait(false);
        var deferral = new Deferral(request.Id!.Value, mailbox, department, request.DeferredAt!.Value, request.ReleaseAt!.Value, reasons, cause, now);
        var body = DeferralResponse.From(deferral, evaluator.PolicyFor(department).Zone);
        var added = await store.TryAddDeferralAsync(deferral, cancellationToken).ConfigureAwait(false);
        if (holdKey is { } key && await store.FindByKeyAsync(mailbox, key, cancellationToken).ConfigureAwait(false) is { State: HoldState.Held } keyed)
        {
            // learn.microsoft.com/office/dev/add-ins/outlook/delay-delivery: "the delay is processed on the server", so
            // Outlook delivers this mail itself; a hold the service made for the same Send must not deliver it again.
            try
            {
                await holds.CancelAsync(keyed, HoldService.DeferredByOutlook, cancellationToken).ConfigureAwait(false);
            }
            catch (HoldException e) when (e.Error == HoldError.Conflict)
            {
                // Released or cancelled meanwhile; a release reads PidTagDeferredSendTime before sending anyway.
            }
        }

        if (!added)
        {
            return TypedResults.Ok(body);
        }

        await metrics.DeferredAsync(deferral, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/deferrals/{deferral.Id:D}", body);
    }

    private static async Task<Ok<DeferralResponse[]>> ListDeferralsAsync(
        ClaimsPrincipal user, IHoldStore store, HoldEvaluator evaluator, CancellationToken cancellationToken)
    {
        var caller = CallerOf(user);
        var list = await store.ListDeferralsByMailboxAsync(caller.Mailbox, ListLimit, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(list.Select(d => DeferralResponse.From(d, evaluator.PolicyFor(d.Department).Zone)).ToArray());
    }

    private static async Task<Results<Ok<PolicySnapshotResponse>, ValidationProblem>> PolicyAsync(
        PolicySnapshotRequest? request, ClaimsPrincipal user, HoldEvaluator evaluator, TimeProvider clock, CancellationToken cancellationToken)
    {
        var recipients = request?.Recipients ?? [];
        if (recipients.Count > MaxRecipients)
        {
            return RecipientsProblem($"At most {MaxRecipients} addresses.");
        }

        if (!recipients.All(IsAddress))
        {
            return RecipientsProblem("Each one an email address alone, such as someone@example.edu.");
        }

        var caller = CallerOf(user);
        var department = await evaluator.DepartmentOfAsync(caller.Mailbox, cancellationToken).ConfigureAwait(false);
        var policy = evaluator.PolicyFor(department);
        var now = Instant.FromDateTimeOffset(clock.GetUtcNow());
        var snapshot = policy.Snapshot(now, SnapshotLength);
        if (recipients.Count > 0)
        {
            // Each named recipient's hours, from the policy's people or the directory, as intervals like the rest.
            var people = new Dictionary<string, IReadOnlyList<Core.TimeZones.OpenInterval>>(snapshot.People, StringComparer.OrdinalIgnoreCase);
            foreach (var address in recipients.Select(a => a!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var hours = await evaluator.RecipientHoursAsync(policy, [address], cancellationToken).ConfigureAwait(false);
                if (hours.Length == 1)
                {
                    people[address] = Core.TimeZones.DstRule.OpenIntervals(hours[0], hours[0].Zone, now, snapshot.ValidUntil);
                }
            }

            snapshot = snapshot with { People = people };
        }

        var exemptUntil = evaluator.ExemptUntil(caller.Mailbox) is { } last && now.InZone(policy.Zone).Date <= last ? last : (LocalDate?)null;
        if (exemptUntil is { } until)
        {
            // Exempt: open to everyone until the exemption ends, when the add-in must ask again.
            var end = Instant.Min(snapshot.ValidUntil, until.PlusDays(1).AtStartOfDayInZone(policy.Zone).ToInstant());
            Core.TimeZones.OpenInterval[] always = [new(now, end)];
            snapshot = snapshot with
            {
                ValidUntil = end, Open = always, Closures = [], People = snapshot.People.ToDictionary(p => p.Key, p => (IReadOnlyList<Core.TimeZones.OpenInterval>)always),
            };
        }

        return TypedResults.Ok(PolicySnapshotResponse.From(department, snapshot, policy.Zone) with
        {
            ExemptUntil = exemptUntil is { } day ? NodaTime.Text.LocalDatePattern.Iso.Format(day) : null,
        });
    }

    /// <summary>One address alone (<c>jlee@med.example.edu</c>): no display name, no list, nothing else around it.</summary>
    private static bool IsAddress(string? value) =>
        value is not null && MailAddress.TryCreate(value.Trim(), out var parsed) && parsed.DisplayName.Length == 0
        && string.Equals(parsed.Address, value.Trim(), StringComparison.Ordinal);

    // The message names no address: a refused one must not be copied into a response that a log or a proxy may keep.
    private static ValidationProblem RecipientsProblem(string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["recipients"] = [message] });

    /// <summary>An add-in key: a UUID (8-4-4-4-12 hex), or null when absent; anything else is a problem named <paramref name="field"/>.</summary>
    private static Guid? ParseKey(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (Guid.TryParseExact(value.Trim(), "D", out var key) && key != Guid.Empty)
        {
            return key;
        }

        errors[field] = ["A UUID such as 3f2b8c1e-7a4d-4e5f-9b6a-1c2d3e4f5a6b, chosen by the add-in for one Send."];
        return null;
    }

    private static async Task<Hold> OwnHoldAsync(Guid id, ClaimsPrincipal user, IHoldStore store, CancellationToken cancellationToken)
    {
        var hold = await store.GetAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new HoldException(HoldError.NotFound, "No such hold.");
        RequireOwner(user, hold.Mailbox);
        return hold;
    }

    private static void RequireOwner(ClaimsPrincipal user, string mailbox)
    {
        if (!CallerOf(user).Owns(mailbox))
        {
            throw new HoldException(HoldError.Forbidden, "A caller acts only on holds of their own mailbox.");
        }
    }

    // The mail-user policy already required a caller with a mailbox.
    private static Caller CallerOf(ClaimsPrincipal user) => Caller.From(user)!;
}
