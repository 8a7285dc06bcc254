using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.GraphSandbox.Seed;

namespace BoundaryGuard.Service.Tests.Holds;

/// <summary>
/// The service as a process of its own, killed with SIGKILL at random moments while it releases 2,000 holds, ten
/// times over: afterwards every hold is sent and the sandbox saw each draft sent once. Real time throughout. The
/// holds are made under a policy that is closed for the next hour, then the policy is changed to open now: the
/// service re-decides every hold and releases them at once, and the kills begin.
/// </summary>
[NonParallelizable]
public sealed class CrashTests
{
    private const int Mailboxes = 100;
    private const int DraftsPerMailbox = 20;
    private const int Kills = 10;

    [Test]
    public async Task Release_ServiceKilledTenTimesWhileReleasing2000Holds_EverySentExactlyOnce()
    {
        await using var world = await HoldsWorld.StartRealTimeAsync(new SandboxOptions { AdditionalFaculty = Mailboxes });
        var now = world.Time.GetUtcNow();
        world.WriteUtcPolicy(opensAt: now.AddHours(1), closesAt: now.AddMinutes(-1));
        await using var service = await ServiceProcess.StartAsync(world, new()
        {
            ["Holds:SendSettleTime"] = "00:00:05",
            ["Holds:SweepInterval"] = "00:00:05",
            ["Graph:SendConfirmationTimeout"] = "00:00:02",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        var drafts = await service.HoldDraftsAsync(DemoInstitution.AdditionalFaculty(Mailboxes).Select(f => f.UserPrincipalName), DraftsPerMailbox);
        Assert.That(world.HoldStates(), Is.EqualTo(new Dictionary<string, long> { ["held"] = Mailboxes * DraftsPerMailbox }));

        now = world.Time.GetUtcNow();
        world.WriteUtcPolicy(opensAt: now, closesAt: now.AddMinutes(-10));
        var random = new Random(20261125);
        for (var kill = 0; kill < Kills; kill++)
        {
            await Task.Delay(random.Next(200, 2500));
            await service.KillAsync();
            TestContext.Progress.WriteLine($"kill {kill + 1}: {await world.SendsAsync()} sends so far");
            await service.StartAsync();
        }

        await Eventually.ValueAsync(() => Task.FromResult(world.HoldStates()), s => s.Count == 1 && s.ContainsKey("sent"), "every hold sent", seconds: 240);
        Assert.That(await world.SendsAsync(), Is.EqualTo(Mailboxes * DraftsPerMailbox), "one send per draft, none repeated");
        foreach (var (mailbox, draft) in drafts)
        {
            Assert.That(await world.SentAtAsync(mailbox, draft), Is.Not.Null);
        }
    }
}
