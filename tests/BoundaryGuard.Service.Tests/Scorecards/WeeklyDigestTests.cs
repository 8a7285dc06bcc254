using BoundaryGuard.Service.Scorecards;
using BoundaryGuard.Service.Tests.Holds;
using Microsoft.Extensions.DependencyInjection;

namespace BoundaryGuard.Service.Tests.Scorecards;

/// <summary>
/// The chairs' weekly digest: last week's scorecard, mailed through the gateway from the digest mailbox to each
/// department's chairs on Monday from 08:00 in the department's zone, once, and never outside working time.
/// </summary>
public sealed class WeeklyDigestTests
{
    private const string Sender = "closures@med.example.edu";

    private static readonly DateTimeOffset FridayBefore = new(2026, 11, 20, 9, 0, 0, TimeSpan.FromHours(-5));

    // Monday of week 49 in New York (Medicine's zone) and Chicago (Surgery's).
    private static readonly DateTimeOffset MondayEarly = new(2026, 11, 30, 7, 59, 0, TimeSpan.FromHours(-5));

    private HoldsWorld world = null!;
    private HoldsApp app = null!;

    [SetUp]
    public async Task SetUp()
    {
        world = await HoldsWorld.StartAsync(FridayBefore);
        app = new HoldsApp(world, Quiet());
        await ScorecardSeed.Week48Async(app.Services.GetRequiredService<IMetricStore>());
    }

    /// <summary>A service that sends digests (its own check runs at start, then daily: the test calls the rest).</summary>
    private HoldsApp DigestApp(string day = "Monday")
    {
        var settings = Quiet();
        settings["Scorecard:DigestSender"] = Sender;
        settings["Scorecard:DigestDay"] = day;
        return new HoldsApp(world, settings);
    }

    // These tests jump the fake clock by days; a fake clock fires a periodic timer once for every period it jumps over,
    // so the service's other periodic work is slowed to an hour (its longest) and the digest's check to a day.
    private static Dictionary<string, string?> Quiet() => new()
    {
        ["Holds:SweepInterval"] = "01:00:00",
        ["SendLater:PollInterval"] = "01:00:00",
        ["SentItemsAudit:Interval"] = "1.00:00:00",
        ["Scorecard:DigestCheckInterval"] = "1.00:00:00",
    };

    [TearDown]
    public async Task TearDown()
    {
        await app.DisposeAsync();
        await world.DisposeAsync();
    }

    private async Task<List<(string Subject, string Body)>> InboxAsync(string mailbox)
    {
        var page = await world.Graph.Users[mailbox].MailFolders["inbox"].Messages.GetAsync(r => r.QueryParameters.Select = ["subject", "body"]);
        return [.. page!.Value!.Where(m => m.Subject!.StartsWith("BoundaryGuard weekly", StringComparison.Ordinal)).Select(m => (m.Subject!, m.Body!.Content!))];
    }

    [Test]
    public async Task SendDue_Monday0800_EachChairGetsLastWeekOnceAndSmallDepartmentsAreWithheld()
    {
        world.Clock.SetUtcNow(MondayEarly);
        await using var digestApp = DigestApp();
        var digest = digestApp.Services.GetRequiredService<WeeklyDigest>();
        Assert.That(await digest.SendDueAsync(default), Is.Zero, "07:59 is before the digest time");

        world.Clock.SetUtcNow(MondayEarly.AddMinutes(1));
        var medicineOnly = await digest.SendDueAsync(default);
        // Surgery's 08:00 is an hour later, in Chicago.
        world.Clock.SetUtcNow(MondayEarly.AddHours(1).AddMinutes(1));
        var surgery = await digest.SendDueAsync(default);
        var again = await digest.SendDueAsync(default);
        var medicine = await InboxAsync(ScorecardSeed.MedicineChair);
        var surgeryChair = await InboxAsync(ScorecardSeed.SurgeryChair);

        Assert.That((medicineOnly, surgery, again), Is.EqualTo((1, 1, 0)));
        Assert.That(medicine.Select(m => m.Subject), Is.EqualTo(new[] { "BoundaryGuard weekly: Department of Medicine, 2026-W48" }));
        Assert.That(medicine[0].Body, Does.Contain("Boundary modeling index (0–100)</th><td>86</td>"));
        Assert.That(medicine[0].Body, Does.Contain("After-hours send attempts</th><td>14</td>"));
        Assert.That(surgeryChair.Single().Body, Does.Contain("Withheld: 4 people were active"));
    }

    [Test]
    public async Task SendDue_DigestDayIsAClosure_MadeUpAtTheNextWorkingTime()
    {
        // Friday digests; the Medicine policy closes the day after Thanksgiving (Friday 27 November).
        await using var fridays = DigestApp("Friday");
        var digest = fridays.Services.GetRequiredService<WeeklyDigest>();
        await digest.SendDueAsync(default);
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.FromHours(-5)));

        await digest.SendDueAsync(default);
        var onTheClosure = await InboxAsync(ScorecardSeed.MedicineChair);
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 7, 0, 0, TimeSpan.FromHours(-5)));
        await digest.SendDueAsync(default);
        var monday = await InboxAsync(ScorecardSeed.MedicineChair);

        Assert.That(onTheClosure.Select(m => m.Subject), Is.EqualTo(new[] { "BoundaryGuard weekly: Department of Medicine, 2026-W46" }));
        Assert.That(monday.Select(m => m.Subject), Is.EquivalentTo(new[]
        {
            "BoundaryGuard weekly: Department of Medicine, 2026-W46", "BoundaryGuard weekly: Department of Medicine, 2026-W47",
        }));
    }
}
