using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Scheduling;

namespace BoundaryGuard.Service.Tests.Holds;

/// <summary>
/// Two service instances on one clustered PostgreSQL database, as a production deployment runs: every hold is
/// released once, by one of them, and each draft is sent once.
/// </summary>
public sealed class TwoInstanceTests
{
    private static readonly DateTimeOffset FridayNight = new(2026, 12, 4, 23, 30, 0, TimeSpan.FromHours(-5));
    private static readonly DateTimeOffset MondayOpen = new(2026, 12, 7, 7, 0, 0, TimeSpan.FromHours(-5));

    [Test]
    public async Task Release_TwoInstancesOnePostgresDatabase_EachHoldSentExactlyOnce()
    {
        await using var world = await HoldsWorld.StartAsync(FridayNight, SchedulingProvider.PostgreSQL);
        await using var first = new HoldsApp(world);
        await using var second = new HoldsApp(world);
        string[] senders = ["mwebb@med.example.edu", "sokafor@med.example.edu", "praman@med.example.edu", "ehayes@med.example.edu"];
        var holds = new List<(string Mailbox, string Draft, Guid Id)>();
        foreach (var sender in senders)
        {
            for (var i = 0; i < 10; i++)
            {
                var draft = await world.CreateDraftAsync(sender, "jlee@med.example.edu");
                // Half the holds are made through each instance.
                var app = i % 2 == 0 ? first : second;
                holds.Add((sender, draft, Guid.Parse((await app.HoldAsync(sender, draft))["id"]!.GetValue<string>())));
            }
        }

        world.Clock.SetUtcNow(MondayOpen);

        await Eventually.ValueAsync(world.SendsAsync, sends => sends == holds.Count, "every hold's send");
        foreach (var (mailbox, draft, id) in holds)
        {
            var hold = await Eventually.ValueAsync(() => first.Store.GetAsync(id, default), h => h?.State == HoldState.Sent, $"hold {id} sent");
            Assert.That(hold!.CompletedAt, Is.EqualTo(MondayOpen));
            Assert.That(await world.SentAtAsync(mailbox, draft), Is.EqualTo(MondayOpen));
        }

        await Task.Delay(500);
        Assert.That(await world.SendsAsync(), Is.EqualTo(holds.Count), "no draft sent twice");
        var report = await world.ReportAsync();
        Assert.That(report["violations"]!["total"]!.GetValue<long>(), Is.Zero, report.ToJsonString());
    }
}
