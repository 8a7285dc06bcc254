using System.Diagnostics;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Graph;
using BoundaryGuard.Graph.Mailboxes;
using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Scheduling;
using BoundaryGuard.Service.Scorecards;
using Microsoft.Extensions.Options;
using NodaTime;
using Quartz;

namespace BoundaryGuard.Demo;

/// <summary>What the history did, in counts (the per-week log line and the tests read these).</summary>
internal sealed record DemoHistoryCounts
{
    /// <summary>Drafts saved in a sandbox mailbox.</summary>
    public int Written { get; set; }

    /// <summary>Sent at once from Outlook in working hours (the add-in let them go).</summary>
    public int SentInHours { get; set; }

    /// <summary>Held at the add-in's request.</summary>
    public int Held { get; set; }

    /// <summary>Moved to "Send later" and held by the folder's poller.</summary>
    public int SendLater { get; set; }

    /// <summary>Sent from a phone, which no add-in intercepts.</summary>
    public int SentFromPhone { get; set; }

    /// <summary>Held mail that BoundaryGuard released at its time.</summary>
    public int Released { get; set; }

    public int SentNow { get; set; }

    public int Cancelled { get; set; }

    /// <summary>Steps that failed (logged by kind); the history goes on without them.</summary>
    public int Failed { get; set; }

    /// <summary>What happened since <paramref name="before"/> was taken.</summary>
    public DemoHistoryCounts Since(DemoHistoryCounts before) => new()
    {
        Written = Written - before.Written,
        SentInHours = SentInHours - before.SentInHours,
        Held = Held - before.Held,
        SendLater = SendLater - before.SendLater,
        SentFromPhone = SentFromPhone - before.SentFromPhone,
        Released = Released - before.Released,
        SentNow = SentNow - before.SentNow,
        Cancelled = Cancelled - before.Cancelled,
        Failed = Failed - before.Failed,
    };
}

/// <summary>
/// Plays the demo institution's faculty writing mail over the weeks before <c>Demo:StartAt</c> (<see cref="DemoHistoryPlan"/>),
/// through the real pipeline: drafts are saved in the sandbox's mailboxes through Graph, held through
/// <see cref="HoldService"/> as the add-in's requests are, moved to "Send later" for the poller to find, sent early or
/// cancelled; Quartz releases them at their time. Nothing is written to the database except by the service itself.
/// </summary>
/// <remarks>
/// <para><b>The clock.</b> The demo clock starts <c>Demo:HistoryWeeks</c> before <c>Demo:StartAt</c>, in real time. Before
/// each step the history waits until the service is quiet (no release running or due, no "Send later" draft waiting
/// for the poller), then skips the clock to the next instant anything is due: its own next mail, or the next trigger
/// of a pending hold. So a 07:00 release fires from its Quartz trigger as the clock reaches 07:00, every mail is
/// written at its planned minute however busy the machine is, and twelve weeks take as long as the work in them,
/// not as long as the weeks. At <c>Demo:StartAt</c> the clock runs at <c>Demo:ClockSpeed</c>, as without a history.</para>
/// <para>A database that already has scorecard weeks in the history's range keeps them: the history is not played
/// twice over. The log carries counts, never a subject, a body or an address.</para>
/// </remarks>
internal sealed partial class DemoHistory(
    TimeProvider clock,
    IOptions<DemoOptions> demo,
    IOptions<DemoHistoryOptions> options,
    IOptions<SendLaterOptions> sendLater,
    HoldService holds,
    IHoldStore store,
    IHoldScheduler releases,
    ISchedulerFactory schedulers,
    HoldEvaluator evaluator,
    IMetricStore metrics,
    IMailboxGateway directory,
    DemoLetters letters,
    IHostApplicationLifetime lifetime,
    IConfiguration configuration,
    ILogger<DemoHistory> logger,
    EmbeddedGraphSandbox sandbox) : BackgroundService
{
    // Mail starts a little after the clock does: the service takes real seconds to start, which at real time are
    // simulated seconds too.
    private static readonly TimeSpan Settling = TimeSpan.FromMinutes(15);

    // How often, in real time, a busy service is looked at again, and how long the history waits before going on.
    private static readonly TimeSpan LookAgain = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    // A quarter of a sandbox token's lifetime: see AdvanceToAsync.
    private readonly TimeSpan longestSkip =
        (configuration.GetSection(SandboxOptions.Section).Get<SandboxOptions>() ?? new SandboxOptions()).TokenLifetime / 4;

    private readonly TaskCompletionSource finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<int, Guid> held = [];
    private readonly List<Pickup> pickups = [];
    private DemoMailClient? clients;

    // Simulated time skipped since the sandbox was last seen with no request on its way.
    private TimeSpan skippedUnseen;

    /// <summary>Completes when the clock has reached <c>Demo:StartAt</c> and runs at <c>Demo:ClockSpeed</c>.</summary>
    public Task Finished => finished.Task;

    public DemoHistoryCounts Totals { get; } = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (clock is not SimulatedTimeProvider simulated || demo.Value.StartAt is not { } end)
        {
            // The options validation has stopped the start already.
            finished.TrySetResult();
            return;
        }

        try
        {
            await ServiceStartedAsync(stoppingToken).ConfigureAwait(false);
            if (await PlayedBeforeAsync(simulated.StartAt, end, stoppingToken).ConfigureAwait(false))
            {
                LogPlayedBefore(end);
            }
            else
            {
                using var http = new HttpClient();
                clients = new DemoMailClient(http, sandbox.Sandbox, clock);
                await PlayAsync(simulated, end, stoppingToken).ConfigureAwait(false);
                LogFinished(options.Value.HistoryWeeks, Totals.Written, end, demo.Value.ClockSpeed);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            finished.TrySetCanceled(stoppingToken);
            return;
        }
        catch (Exception e)
        {
            // The demo still starts where it was asked to, with whatever history there is.
            LogFailed(e);
        }

        simulated.SkipTo(end);
        simulated.ChangeSpeed(demo.Value.ClockSpeed);
        finished.TrySetResult();
    }

    private async Task PlayAsync(SimulatedTimeProvider simulated, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var cast = await CastAsync(cancellationToken).ConfigureAwait(false);
        var plan = DemoHistoryPlan.Create(
            cast, evaluator.PolicyFor, Instant.FromDateTimeOffset(simulated.StartAt + Settling), Instant.FromDateTimeOffset(end));
        var steps = plan
            .Select(m => new Step(m.At, m, FollowUp: false))
            .Concat(plan.Where(m => m.FollowUp != DemoFollowUp.None).Select(m => new Step(m.At + m.FollowUpAfter, m, FollowUp: true)))
            .Where(s => s.At < Instant.FromDateTimeOffset(end))
            .OrderBy(s => s.At).ThenBy(s => s.Mail.Number).ThenBy(s => s.FollowUp)
            .ToList();
        LogStarting(options.Value.HistoryWeeks, simulated.StartAt, end, cast.Count, plan.Count);

        var zone = evaluator.PolicyFor(null).Zone;
        var week = new WeekTally(IsoWeeks.Of(Instant.FromDateTimeOffset(simulated.StartAt).InZone(zone).Date), Totals with { });
        foreach (var step in steps)
        {
            if (IsoWeeks.Of(step.At.InZone(zone).Date) is var stepWeek && stepWeek != week.Week)
            {
                // A week ends at midnight before its Monday, so Monday morning's releases count in the week they happen.
                await AdvanceToAsync(simulated, IsoWeeks.Monday(stepWeek).AtStartOfDayInZone(zone).ToDateTimeOffset(), cancellationToken)
                    .ConfigureAwait(false);
                await QuietAsync(cancellationToken).ConfigureAwait(false);
                week = await EndWeekAsync(week, stepWeek, cancellationToken).ConfigureAwait(false);
            }

            await AdvanceToAsync(simulated, step.At.ToDateTimeOffset(), cancellationToken).ConfigureAwait(false);
            await RunAsync(step, cancellationToken).ConfigureAwait(false);
        }

        await AdvanceToAsync(simulated, end, cancellationToken).ConfigureAwait(false);
        await QuietAsync(cancellationToken).ConfigureAwait(false);
        await EndWeekAsync(week, 0, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The demo faculty who are in the sandbox's directory (its data file may predate the numbered faculty).</summary>
    private async Task<List<DemoPerson>> CastAsync(CancellationToken cancellationToken)
    {
        var cast = new List<DemoPerson>();
        foreach (var person in DemoCast.People)
        {
            try
            {
                await directory.GetUserAsync(person.User.UserPrincipalName, cancellationToken).ConfigureAwait(false);
                cast.Add(person);
            }
            catch (GraphGatewayException e) when (e.Kind == GraphErrorKind.NotFound)
            {
                LogNotInDirectory(person.User.DisplayName);
            }
        }

        return cast;
    }

    private async Task RunAsync(Step step, CancellationToken cancellationToken)
    {
        try
        {
            if (step.FollowUp)
            {
                await FollowUpAsync(step.Mail, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WriteAsync(step.Mail, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is HoldException or GraphGatewayException or DemoMailException)
        {
            Totals.Failed++;
            LogStepFailed(step.Mail.Number, step.FollowUp ? "follow-up" : "write", e.GetType().Name);
        }
    }

    private async Task WriteAsync(DemoMail planned, CancellationToken cancellationToken)
    {
        var clients = this.clients!;
        var sender = planned.Sender.UserPrincipalName;
        var letter = letters.Write(planned);
        var draft = await clients.CreateDraftAsync(sender, letter, cancellationToken).ConfigureAwait(false);
        Totals.Written++;
        switch (planned.Client)
        {
            case DemoClient.Outlook:
                // The add-in decides on the writer's computer from the policy it cached, which is this decision; only
                // mail it would hold reaches the service.
                var department = await evaluator.DepartmentOfAsync(sender, cancellationToken).ConfigureAwait(false);
                var decision = await evaluator.EvaluateAsync(department, sender, letter.To, Instant.FromDateTimeOffset(clock.GetUtcNow()), cancellationToken)
                    .ConfigureAwait(false);
                if (decision.Kind != DecisionKind.Send &&
                    (await holds.HoldAsync(sender, draft, HoldSource.AddIn, cancellationToken).ConfigureAwait(false)).Hold is { } hold)
                {
                    held[planned.Number] = hold.Id;
                    Totals.Held++;
                }
                else
                {
                    await clients.SendAsync(sender, draft, cancellationToken).ConfigureAwait(false);
                    Totals.SentInHours++;
                }

                break;
            case DemoClient.PhoneSendLater when Watched(sender):
                await clients.MoveToSendLaterAsync(sender, draft, cancellationToken).ConfigureAwait(false);
                pickups.Add(new Pickup(planned.Number, sender, draft, clock.GetUtcNow() + sendLater.Value.PollInterval));
                Totals.SendLater++;
                break;
            default:
                // A phone send, or a "Send later" no poller watches (the numbered faculty's): the mail goes now.
                await clients.SendAsync(sender, draft, cancellationToken).ConfigureAwait(false);
                Totals.SentFromPhone++;
                break;
        }
    }

    private async Task FollowUpAsync(DemoMail planned, CancellationToken cancellationToken)
    {
        // Only mail still held can be sent early or cancelled: the rest went in working hours or was released.
        if (!held.TryGetValue(planned.Number, out var id) ||
            await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { State: HoldState.Held } hold)
        {
            return;
        }

        if (planned.FollowUp == DemoFollowUp.SendNow)
        {
            await holds.SendNowAsync(hold, planned.Reason, cancellationToken).ConfigureAwait(false);
            Totals.SentNow++;
        }
        else
        {
            await holds.CancelAsync(hold, cancellationToken).ConfigureAwait(false);
            Totals.Cancelled++;
        }
    }

    /// <summary>Skips the clock forward to <paramref name="target"/>, stopping at every release due on the way.</summary>
    /// <remarks>
    /// The service's own background work (the "Send later" poller's rounds, which every skip sets off) goes on while
    /// the clock skips, and a request of theirs carries a sandbox token that lasts a day of simulated time. So the
    /// clock skips a quarter of that at most, and before each such stretch it lets real time pass until the sandbox
    /// has no request on its way: a request would have to stall between getting its token and arriving through four
    /// of those to arrive with a stale token (the poller would then read that mailbox again next round).
    /// </remarks>
    private async Task AdvanceToAsync(SimulatedTimeProvider simulated, DateTimeOffset target, CancellationToken cancellationToken)
    {
        while (clock.GetUtcNow() is var now && now < target)
        {
            var due = await QuietAsync(cancellationToken).ConfigureAwait(false);
            var skip = (due is { } at && at < target ? at : target) - now;
            skip = skip > longestSkip ? longestSkip : skip;
            if (skippedUnseen + skip > longestSkip)
            {
                await SandboxIdleAsync(cancellationToken).ConfigureAwait(false);
                skippedUnseen = TimeSpan.Zero;
            }

            skippedUnseen += skip;
            simulated.SkipTo(now + skip);
        }
    }

    private async Task SandboxIdleAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        do
        {
            await Task.Delay(LookAgain, cancellationToken).ConfigureAwait(false);
        }
        while (await clients!.RequestsInFlightAsync(cancellationToken).ConfigureAwait(false) > 0 && waited.Elapsed < Patience);
    }

    /// <summary>
    /// Waits until nothing is running or due, and returns the next instant something will be: a pending hold's
    /// trigger, or the poller's next round for a draft in "Send later". After <see cref="Patience"/> of real time it
    /// goes on regardless (logged), so one stuck release cannot hold up the demo.
    /// </summary>
    private async Task<DateTimeOffset?> QuietAsync(CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var (busy, next) = await LookAsync(cancellationToken).ConfigureAwait(false);
            if (!busy)
            {
                return next;
            }

            if (waited.Elapsed > Patience)
            {
                LogImpatient(Patience);
                return next;
            }

            await Task.Delay(LookAgain, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(bool Busy, DateTimeOffset? Next)> LookAsync(CancellationToken cancellationToken)
    {
        // A firing Quartz has reserved or is running: with the AdoJobStore, a row of its fired triggers.
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        if ((await scheduler.QueryFireInstances(new FireInstanceQuery { Take = 1 }, cancellationToken).ConfigureAwait(false)).Items.Count > 0)
        {
            return (true, null);
        }

        var now = clock.GetUtcNow();
        DateTimeOffset? next = null;
        void Due(DateTimeOffset at) => next = next is { } earlier && earlier <= at ? earlier : at;

        var pending = (await store.ListByStateAsync(HoldState.Held, cancellationToken).ConfigureAwait(false))
            .Concat(await store.ListByStateAsync(HoldState.Sending, cancellationToken).ConfigureAwait(false));
        foreach (var hold in pending)
        {
            if (hold is { State: HoldState.Held } && hold.ReleaseAt > now)
            {
                // A held hold's trigger is at its release time.
                Due(hold.ReleaseAt);
                continue;
            }

            // Due or sending: busy until its trigger has fired and its job finished, unless it waits for a later retry.
            if (await releases.NextFireAsync(hold.Id, cancellationToken).ConfigureAwait(false) is not { } fire || fire <= now)
            {
                return (true, null);
            }

            Due(fire);
        }

        foreach (var pickup in pickups.ToList())
        {
            // Held once the poller's hold has its trigger: the hold is marked and scheduled, so a skip cannot cut it off.
            var found = (await store.ListByMailboxAsync(pickup.Mailbox, 20, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(h => h.MessageId == pickup.MessageId);
            if (found is not null &&
                (found.State != HoldState.Held || await releases.NextFireAsync(found.Id, cancellationToken).ConfigureAwait(false) is not null))
            {
                held[pickup.Number] = found.Id;
                pickups.Remove(pickup);
            }
            else if (found is not null || pickup.Due <= now)
            {
                return (true, null);
            }
            else
            {
                Due(pickup.Due);
            }
        }

        return (false, next);
    }

    /// <summary>Logs the week's counts and starts the next week's tally.</summary>
    private async Task<WeekTally> EndWeekAsync(WeekTally week, int next, CancellationToken cancellationToken)
    {
        Totals.Released = (await store.ListByStateAsync(HoldState.Sent, cancellationToken).ConfigureAwait(false)).Count;
        var name = IsoWeeks.Name(week.Week);
        var counts = Totals.Since(week.Before);
        LogWeek(name, counts.Written, counts.SentInHours, counts.Held, counts.SendLater, counts.SentFromPhone, counts.Released, counts.SentNow,
            counts.Cancelled);
        return new WeekTally(next, Totals with { });
    }

    private async Task ServiceStartedAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        // Quartz starts its scheduler once the application has started; releases need it running.
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        while (await scheduler.GetStatus(cancellationToken).ConfigureAwait(false) != SchedulerStatus.Running)
        {
            await Task.Delay(LookAgain, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> PlayedBeforeAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var zone = evaluator.PolicyFor(null).Zone;
        var weeks = await metrics.WeeksAsync(
            null, null, IsoWeeks.Of(Instant.FromDateTimeOffset(start).InZone(zone).Date), IsoWeeks.Of(Instant.FromDateTimeOffset(end).InZone(zone).Date),
            cancellationToken).ConfigureAwait(false);
        return weeks.Count > 0;
    }

    private bool Watched(string mailbox) => sendLater.Value.Mailboxes.Any(m => string.Equals(m.Trim(), mailbox, StringComparison.OrdinalIgnoreCase));

    private sealed record Step(Instant At, DemoMail Mail, bool FollowUp);

    /// <summary>A draft moved to "Send later": the poller should hold it by <paramref name="Due"/>, its next round.</summary>
    private sealed record Pickup(int Number, string Mailbox, string MessageId, DateTimeOffset Due);

    private sealed record WeekTally(int Week, DemoHistoryCounts Before);

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Demo history: {Weeks} weeks from {From:O} to {To:O}, {People} faculty writing {Mails} mails; the clock skips the quiet stretches")]
    private partial void LogStarting(int weeks, DateTimeOffset from, DateTimeOffset to, int people, int mails);

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Demo history {Week}: {Written} mails written: {InHours} sent in working hours, {Held} held by the add-in, {SendLater} put in Send later, " +
        "{Phone} sent from a phone; {Released} released at their time, {SentNow} sent early, {Cancelled} cancelled")]
    private partial void LogWeek(string week, int written, int inHours, int held, int sendLater, int phone, int released, int sentNow, int cancelled);

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Demo history done: {Weeks} weeks, {Mails} mails; the demo starts at {StartAt:O} and the clock runs at {Speed}x")]
    private partial void LogFinished(int weeks, int mails, DateTimeOffset startAt, double speed);

    [LoggerMessage(Level = LogLevel.Information, Message =
        "Demo history: the database already has scorecard weeks before Demo:StartAt, so the history is not played again " +
        "(delete the database and the sandbox's data file to play it afresh); the demo starts at {StartAt:O}")]
    private partial void LogPlayedBefore(DateTimeOffset startAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo history: {Name} is not in the sandbox's directory and writes no mail (its data file predates the history)")]
    private partial void LogNotInDirectory(string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo history: mail {Number} ({Step}) failed with {Error}; going on")]
    private partial void LogStepFailed(int number, string step, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo history: the service was still busy after {Patience}; going on")]
    private partial void LogImpatient(TimeSpan patience);

    [LoggerMessage(Level = LogLevel.Error, Message = "Demo history stopped early; the demo starts with the history made so far")]
    private partial void LogFailed(Exception exception);
}
