using System.Diagnostics;
using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.GraphSandbox.Seed;
using BoundaryGuard.Service.Scheduling;

namespace BoundaryGuard.Service.Tests.Holds;

/// <summary>
/// The drain benchmark (issue 4): 10,000 holds due at the same instant across 1,000 sandbox mailboxes, the sandbox's
/// real limits on, the service in a process of its own on the real clock. It reports p50, p99 and the maximum of
/// (sent − due) and the total drain time; it fails only when a hold is not sent exactly once. "Sent" is when the hold
/// became <c>sent</c>: after Graph accepted the send and the message was found in Sent Items.
/// </summary>
/// <remarks>
/// The holds are made under a policy that is closed for hours; then the policy is changed to open at the next whole
/// minute at least <see cref="Lead"/> away, and the running service moves every hold to that instant.
/// Run: <c>dotnet test tests/BoundaryGuard.Service.Tests -c Release --filter TestCategory=Benchmark</c>
/// (with BOUNDARYGUARD_TEST_POSTGRES set for the PostgreSQL leg).
/// </remarks>
[Explicit("A benchmark, run by hand: several minutes per database.")]
[Category("Benchmark")]
[NonParallelizable]
[TestFixture(SchedulingProvider.Sqlite)]
[TestFixture(SchedulingProvider.PostgreSQL)]
public sealed class DrainBenchmark(SchedulingProvider provider)
{
    private const int Mailboxes = 1_000;
    private const int DraftsPerMailbox = 10;
    private const int Holds = Mailboxes * DraftsPerMailbox;
    private static readonly TimeSpan Lead = TimeSpan.FromMinutes(3);

    [Test]
    public async Task Drain_10000HoldsDueAtOnceAcross1000Mailboxes_EachSentOnce()
    {
        await using var world = await HoldsWorld.StartRealTimeAsync(new SandboxOptions { AdditionalFaculty = Mailboxes }, provider);
        var now = world.Time.GetUtcNow();
        world.WriteUtcPolicy(opensAt: now.AddHours(3), closesAt: now.AddMinutes(-1));
        await using var service = await ServiceProcess.StartAsync(world, new() { ["Logging:LogLevel:Default"] = "Warning" });

        var clock = Stopwatch.StartNew();
        await service.HoldDraftsAsync(DemoInstitution.AdditionalFaculty(Mailboxes).Select(f => f.UserPrincipalName), DraftsPerMailbox);
        Report($"{Holds:N0} drafts made and held in {clock.Elapsed.TotalSeconds:F0} s");

        now = world.Time.GetUtcNow() + Lead;
        var due = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(1);
        clock.Restart();
        world.WriteUtcPolicy(opensAt: due, closesAt: due.AddMinutes(-10));
        var dueMs = due.ToUnixTimeMilliseconds();
        await Eventually.ValueAsync(
            () => Task.FromResult(Count(world, $"SELECT COUNT(*) FROM holds WHERE state = 'held' AND release_at = {dueMs}")),
            moved => moved == Holds || world.Time.GetUtcNow() >= due,
            "every hold moved to the due instant",
            seconds: (int)(Lead + TimeSpan.FromMinutes(1)).TotalSeconds);
        Assert.That(Count(world, $"SELECT COUNT(*) FROM holds WHERE release_at = {dueMs}"), Is.EqualTo(Holds), "all moved before the due instant; lengthen Lead");
        Report($"policy change: {Holds:N0} holds re-decided and rescheduled in {clock.Elapsed.TotalSeconds:F0} s; due at {due:HH:mm:ss}Z");

        await Eventually.ValueAsync(
            () => Task.FromResult(world.HoldStates()),
            states => states.Count == 1 && states.GetValueOrDefault("sent") == Holds,
            "every hold sent",
            seconds: (int)(due - world.Time.GetUtcNow() + TimeSpan.FromMinutes(15)).TotalSeconds);
        Assert.That(await world.SendsAsync(), Is.EqualTo(Holds), "one send per draft, none repeated");

        var late = new List<long>(Holds);
        world.Query("SELECT completed_at - release_at FROM holds", row => late.Add(row.GetInt64(0)));
        late.Sort();
        var report = await world.ReportAsync();
        Report($"{provider}: {Holds:N0} holds, {Mailboxes:N0} mailboxes: sent − due p50 {Seconds(Percentile(late, 0.50))}, " +
               $"p99 {Seconds(Percentile(late, 0.99))}, max (drain time) {Seconds(late[^1])}; " +
               $"sandbox: {report["sends"]} sends, {report["violations"]!["total"]} limit violations");
    }

    private static long Percentile(List<long> sorted, double p) => sorted[(int)Math.Ceiling(p * sorted.Count) - 1];

    private static string Seconds(long milliseconds) => $"{milliseconds / 1000.0:F1} s";

    private static void Report(string line)
    {
        TestContext.Progress.WriteLine(line);
        TestContext.Out.WriteLine(line);
    }

    private static long Count(HoldsWorld world, string sql)
    {
        long count = 0;
        world.Query(sql, row => count = row.GetInt64(0));
        return count;
    }
}
