using System.Diagnostics;
using BoundaryGuard.Graph.Mailboxes;
using BoundaryGuard.GraphSandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph;
using Microsoft.Graph.Models;

namespace BoundaryGuard.Graph.Tests.Contract;

/// <summary>
/// Exactly once under Graph's worst weather: 1,000 drafts in 50 mailboxes sent while a fifth of all requests are
/// throttled and one in twenty responses is lost after the operation committed.
/// </summary>
[NonParallelizable]
public sealed class SendAtScaleTests
{
    private const int Mailboxes = 50;
    private const int DraftsPerMailbox = 20;

    [Test]
    [CancelAfter(300_000)]
    public async Task SendDraftAsync_1000DraftsWithInjected429sAndLostResponses_EachSentExactlyOnceWithinLimits()
    {
        await using var target = new ScaleSandboxTarget();
        await target.StartAsync();
        var gateway = target.Services.GetRequiredService<IMailboxGateway>();
        var graph = target.Services.GetRequiredService<GraphServiceClient>();
        var mailboxes = Enumerable.Range(1, Mailboxes).Select(n => $"faculty{n:D3}@med.example.edu").ToList();
        var drafts = await Task.WhenAll(mailboxes.Select(async mailbox =>
        {
            var ids = new List<string>();
            for (var i = 0; i < DraftsPerMailbox; i++)
            {
                var draft = await graph.Users[mailbox].Messages.PostAsync(new Message
                {
                    Subject = "Load test",
                    ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = "jlee@med.example.edu" } }],
                });
                ids.Add(draft!.Id!);
            }

            return (Mailbox: mailbox, Ids: ids);
        }));
        await target.ResetReportAsync();
        await target.SetFaultsAsync(new { throttleRate = 0.2, lostResponseRate = 0.05, retryAfter = "00:00:01", seed = 20261125 });

        var clock = Stopwatch.StartNew();
        SendOutcome[] outcomes;
        try
        {
            outcomes = await Task.WhenAll(drafts.SelectMany(d => d.Ids.Select(id => gateway.SendDraftAsync(d.Mailbox, id))));
        }
        catch (GraphGatewayException)
        {
            TestContext.Out.WriteLine($"sandbox report at the failure: {(await target.ReportAsync())!.ToJsonString()}");
            throw;
        }

        var elapsed = clock.Elapsed;
        await target.SetFaultsAsync(new { });
        var report = (await target.ReportAsync())!;
        TestContext.Out.WriteLine($"1,000 sends under faults in {elapsed.TotalSeconds:F1} s; sandbox report: {report.ToJsonString()}");
        var states = await Task.WhenAll(drafts.SelectMany(d => d.Ids.Select(id => gateway.GetDraftStateAsync(d.Mailbox, id))));

        Assert.That(outcomes, Has.All.EqualTo(SendOutcome.Sent));
        Assert.That(states.Select(s => (s!.IsDraft, s.Folder)), Has.All.EqualTo((false, MailFolderKind.SentItems)));
        Assert.That(report["sends"]!.GetValue<long>(), Is.EqualTo(Mailboxes * DraftsPerMailbox), "one send per draft, none repeated");
        Assert.That(report["violations"]!["total"]!.GetValue<long>(), Is.Zero);
        Assert.That(report["throttled"]!["injected"]!.GetValue<long>(), Is.GreaterThan(100), "the faults really were injected");
        Assert.That(report["lostResponses"]!.GetValue<long>(), Is.GreaterThan(20));
        Assert.That(report["requestsWithoutImmutableId"]!.GetValue<long>(), Is.Zero);
    }

    private sealed class ScaleSandboxTarget : SandboxTarget
    {
        protected override SandboxOptions SandboxOptions() => new() { AdditionalFaculty = Mailboxes };
    }
}
