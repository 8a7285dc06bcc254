using System.Globalization;
using System.Security.Claims;
using System.Text;
using BoundaryGuard.Service.Auth;
using BoundaryGuard.Service.Holds;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using NodaTime.Text;

namespace BoundaryGuard.Service.Scorecards;

/// <summary>
/// The scorecards: a department's for its chair or IT (403 for anyone else), one's own for every mail user, the
/// institution's for IT. <c>from</c> and <c>to</c> are dates (yyyy-mm-dd) or ISO weeks (2026-W48), the weeks that
/// contain them; the default is the last twelve weeks. <c>format=csv</c> gives the weekly rows as CSV.
/// </summary>
public static class ScorecardsApi
{
    private const int DefaultWeeks = 12;

    public static IEndpointRouteBuilder MapScorecardsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/scorecards").RequireAuthorization(Caller.MailUserPolicy).WithTags("Scorecards");
        api.MapGet("/departments", ListAsync).WithName("ListScorecardDepartments").WithSummary("The departments whose scorecard the caller may see");
        api.MapGet("/departments/{id}", DepartmentAsync).WithName("GetDepartmentScorecard")
            .WithSummary("A department's scorecard, with the caller's own card: its chair or an IT admin only");
        api.MapGet("/me", MeAsync).WithName("GetMyScorecard").WithSummary("The caller's own card");
        api.MapGet("/institution", InstitutionAsync).WithName("GetInstitutionScorecard").WithSummary("The institution's scorecard: IT admins only");
        return endpoints;
    }

    private static async Task<Ok<DepartmentLink[]>> ListAsync(
        ClaimsPrincipal user, ScorecardService scorecards, HoldEvaluator evaluator, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user)!;
        var own = await DepartmentOfAsync(caller, evaluator, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(scorecards.Departments()
            .Where(d => caller.Roles.Contains(Caller.ItAdmin) || (caller.Roles.Contains(Caller.Chair) && d.Value == own))
            .OrderBy(d => d.Value, StringComparer.Ordinal)
            .Select(d => new DepartmentLink(d.Key, d.Value))
            .ToArray());
    }

    private static async Task<IResult> DepartmentAsync(
        string id, string? from, string? to, string? format, ClaimsPrincipal user, ScorecardService scorecards, HoldEvaluator evaluator,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user)!;
        if (!scorecards.Departments().TryGetValue(id, out var department))
        {
            throw new HoldException(HoldError.NotFound, "No such department.");
        }

        var own = await DepartmentOfAsync(caller, evaluator, cancellationToken).ConfigureAwait(false);
        var chair = caller.Roles.Contains(Caller.Chair) && own == department;
        if (!chair && !caller.Roles.Contains(Caller.ItAdmin))
        {
            throw new HoldException(HoldError.Forbidden, "Only the department's chair and IT see a department's scorecard.");
        }

        var range = Range(from, to, clock, evaluator.PolicyFor(department).Zone);
        var card = await scorecards.DepartmentAsync(department, range, own == department ? caller.Mailbox : null, chair, cancellationToken)
            .ConfigureAwait(false);
        return Respond(card, format);
    }

    private static async Task<IResult> MeAsync(
        string? from, string? to, string? format, ClaimsPrincipal user, ScorecardService scorecards, HoldEvaluator evaluator, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var caller = Caller.From(user)!;
        var department = await DepartmentOfAsync(caller, evaluator, cancellationToken).ConfigureAwait(false);
        var range = Range(from, to, clock, evaluator.PolicyFor(department).Zone);
        return Respond(await scorecards.PersonAsync(caller.Mailbox, department, range, cancellationToken).ConfigureAwait(false), format);
    }

    private static async Task<IResult> InstitutionAsync(
        string? from, string? to, string? format, ClaimsPrincipal user, ScorecardService scorecards, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!Caller.From(user)!.Roles.Contains(Caller.ItAdmin))
        {
            throw new HoldException(HoldError.Forbidden, "Only IT sees the institution's scorecard.");
        }

        return Respond(await scorecards.InstitutionAsync(Range(from, to, clock, DateTimeZone.Utc), cancellationToken).ConfigureAwait(false), format);
    }

    /// <summary>
    /// The caller's department from the directory. An IT admin the directory does not know (a service identity, the
    /// demo's IT administrator) has none: they see departments as IT, and an empty card of their own.
    /// </summary>
    private static async Task<string?> DepartmentOfAsync(Caller caller, HoldEvaluator evaluator, CancellationToken cancellationToken)
    {
        try
        {
            return await evaluator.DepartmentOfAsync(caller.Mailbox, cancellationToken).ConfigureAwait(false);
        }
        catch (HoldException e) when (e.Error == HoldError.NotFound && caller.Roles.Contains(Caller.ItAdmin))
        {
            return null;
        }
    }

    private static IResult Respond(ScorecardResponse card, string? format) => format switch
    {
        null or "json" => TypedResults.Ok(card),
        "csv" => TypedResults.Text(Csv(card), "text/csv", Encoding.UTF8),
        _ => throw new HoldException(HoldError.Invalid, "format is json or csv."),
    };

    /// <summary>The weeks the page charts, one row each, with the same numbers as the JSON (withheld: no rows).</summary>
    internal static string Csv(ScorecardResponse card)
    {
        var csv = new StringBuilder(
            "week,monday,attempts,held,held_share,delivered_after_hours,delivered_after_hours_to_trainees," +
            "overrides_patient_care,overrides_time_critical,overrides_recipient_asked,overrides_other," +
            "weekend_attempts,holiday_attempts,sent_in_hours,released,median_hold_hours,index\n");
        foreach (var week in card.Weeks)
        {
            var m = week.Measures;
            csv.AppendJoin(',',
                week.Week, week.Monday, Number(m.Attempts), Number(m.Held), Number(m.HeldShare), Number(m.DeliveredAfterHours),
                Number(m.DeliveredAfterHoursToTrainees), Number(m.Overrides["patient-care"]), Number(m.Overrides["time-critical"]),
                Number(m.Overrides["recipient-asked"]), Number(m.Overrides["other"]), Number(m.WeekendAttempts), Number(m.HolidayAttempts),
                Number(m.SentInHours), Number(m.Released), Number(m.MedianHoldHours), Number(m.Index)).Append('\n');
        }

        return csv.ToString();
    }

    private static string Number(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static WeekRange Range(string? from, string? to, TimeProvider clock, DateTimeZone zone)
    {
        var today = Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(zone).Date;
        var last = to is null ? IsoWeeks.Of(today) : Week(to, "to");
        var first = from is null ? IsoWeeks.Add(last, 1 - DefaultWeeks) : Week(from, "from");
        if (first > last)
        {
            throw new HoldException(HoldError.Invalid, "from must not be after to.");
        }

        var range = new WeekRange(first, last);
        return range.Count <= WeekRange.MaxWeeks
            ? range
            : throw new HoldException(HoldError.Invalid, $"A scorecard covers at most {WeekRange.MaxWeeks} weeks.");
    }

    private static int Week(string text, string name)
    {
        if (IsoWeeks.TryParse(text, out var week))
        {
            return week;
        }

        return LocalDatePattern.Iso.Parse(text) is { Success: true } date
            ? IsoWeeks.Of(date.Value)
            : throw new HoldException(HoldError.Invalid, $"{name} is a date (2026-11-23) or an ISO week (2026-W48).");
    }
}

public sealed record DepartmentLink(string Id, string Name);
