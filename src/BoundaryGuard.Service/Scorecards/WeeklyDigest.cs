using System.Globalization;
using System.Net;
using System.Text;
using BoundaryGuard.Graph;
using BoundaryGuard.Graph.Mailboxes;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Policies;
using Microsoft.Extensions.Options;
using NodaTime;

namespace BoundaryGuard.Service.Scorecards;

/// <summary>
/// The weekly digest: each department's chairs get last week's scorecard by mail, sent through the gateway from
/// <see cref="ScorecardOptions.DigestSender"/> on <see cref="ScorecardOptions.DigestDay"/> from
/// <see cref="ScorecardOptions.DigestTime"/>, and only in the department's working time (a digest never arrives at
/// night or on a holiday). Sent at most once a week per department: the week is recorded before the mail goes.
/// </summary>
public sealed partial class WeeklyDigest(
    ScorecardService scorecards,
    PolicyCatalog catalog,
    IMailboxGateway gateway,
    IHoldStore cursors,
    TimeProvider clock,
    IOptions<ScorecardOptions> options,
    ILogger<WeeklyDigest> logger) : BackgroundService
{
    private readonly ScorecardOptions settings = options.Value;

    // One check at a time in this process; see docs/chairs.md on running the digest on one node of a cluster.
    private readonly SemaphoreSlim checking = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.DigestSender is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.DigestCheckInterval, clock);
        do
        {
            try
            {
                await SendDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is GraphGatewayException or System.Data.Common.DbException)
            {
                LogFailed(e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Sends every digest that is due now; returns how many went.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        if (settings.DigestSender is not { } sender)
        {
            return 0;
        }

        await checking.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SendDueAsync(sender, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            checking.Release();
        }
    }

    private async Task<int> SendDueAsync(string sender, CancellationToken cancellationToken)
    {
        var now = Instant.FromDateTimeOffset(clock.GetUtcNow());
        var sent = 0;
        foreach (var department in catalog.Departments.Where(d => d != "*").Order(StringComparer.Ordinal))
        {
            if (catalog.For(department) is not { Scorecard.Chairs.Count: > 0 } policy || policy.Evaluate(now, []).Kind != Core.Decisions.DecisionKind.Send)
            {
                continue;
            }

            var week = DueWeek(now, policy.Zone);
            var feed = $"digest:{ScorecardService.Slug(department)}";
            var last = await cursors.GetCursorAsync(sender, feed, cancellationToken).ConfigureAwait(false);
            // Made up only after a digest has gone: a newly configured digest starts with the next digest day.
            if (last == IsoWeeks.Name(week) || (last is null && week != IsoWeeks.Add(IsoWeeks.Of(now.InZone(policy.Zone).Date), -1)))
            {
                continue;
            }

            var card = await scorecards.DepartmentAsync(department, new WeekRange(week, week), null, forChair: false, cancellationToken).ConfigureAwait(false);
            // Recorded first: a crash after this loses one digest rather than sending it twice.
            await cursors.SetCursorAsync(sender, feed, IsoWeeks.Name(week), cancellationToken).ConfigureAwait(false);
            var draft = await gateway.CreateDraftAsync(sender, Compose(card), cancellationToken).ConfigureAwait(false);
            await gateway.SendDraftAsync(sender, draft, cancellationToken).ConfigureAwait(false);
            var chairs = policy.Scorecard.Chairs.Count;
            LogSent(week, chairs);
            sent++;
        }

        return sent;

        OutgoingMessage Compose(ScorecardResponse card) =>
            new($"BoundaryGuard weekly: {card.Name}, {card.To}", Html(card), [.. catalog.For(card.Name)!.Scorecard.Chairs.Order(StringComparer.OrdinalIgnoreCase)]);
    }

    /// <summary>
    /// The week whose digest is due at <paramref name="now"/> in <paramref name="zone"/>: the one before the latest
    /// digest day and time that has passed. A digest day that was a holiday is made up at the next working time.
    /// </summary>
    private int DueWeek(Instant now, DateTimeZone zone)
    {
        var local = now.InZone(zone).LocalDateTime;
        var thisWeek = IsoWeeks.Of(local.Date);
        var dueThisWeek = IsoWeeks.Monday(thisWeek).PlusDays(((int)settings.DigestDay + 6) % 7)
            .At(LocalTime.FromTicksSinceMidnight(settings.DigestTime.Ticks));
        return IsoWeeks.Add(thisWeek, local >= dueThisWeek ? -1 : -2);
    }

    internal static string Html(ScorecardResponse card)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<h2>{WebUtility.HtmlEncode(card.Name)}: week {card.To}</h2>");
        if (card.Suppressed || card.Totals is not { } m || card.Trend is not { } trend)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<p>Withheld: {card.People} people were active, fewer than the {card.MinimumGroupSize} a scorecard needs.</p>");
            return html.ToString();
        }

        var previous = trend.PreviousFourWeeks;
        html.Append("<table>");
        Row("Boundary modeling index (0–100)", m.Index.ToString(CultureInfo.InvariantCulture), previous.Index.ToString(CultureInfo.InvariantCulture));
        Row("After-hours send attempts", Count(m.Attempts), Count(previous.Attempts));
        Row("Held share", Share(m.HeldShare), Share(previous.HeldShare));
        Row("After-hours deliveries", Count(m.DeliveredAfterHours), Count(previous.DeliveredAfterHours));
        Row("… to trainees", Count(m.DeliveredAfterHoursToTrainees), Count(previous.DeliveredAfterHoursToTrainees));
        Row("Sent early with a reason", Count(m.Overrides.Values.Sum()), Count(previous.Overrides.Values.Sum()));
        Row("Median hold", Hours(m.MedianHoldHours), Hours(previous.MedianHoldHours));
        html.Append("</table><p>Left: last week. Right: the average week of the four before. Held mail is good practice.</p>");
        return html.ToString();

        void Row(string name, string value, string before) =>
            html.Append(CultureInfo.InvariantCulture, $"<tr><th align=\"left\">{name}</th><td>{value}</td><td>{before}</td></tr>");
        static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);
        static string Share(double? share) => share is { } s ? s.ToString("P0", CultureInfo.InvariantCulture) : "–";
        static string Hours(double? hours) => hours is { } h ? h.ToString("0.#", CultureInfo.InvariantCulture) + " h" : "–";
    }

    public override void Dispose()
    {
        checking.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Weekly digest of week {Week} sent to {Chairs} chair(s)")]
    private partial void LogSent(int week, int chairs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Weekly digests not sent this time ({Error}); the next check tries again")]
    private partial void LogFailed(string error);
}
