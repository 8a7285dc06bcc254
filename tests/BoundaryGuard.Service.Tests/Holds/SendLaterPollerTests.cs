using BoundaryGuard.Service.Holds;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph.Users.Item.Messages.Item.Move;

namespace BoundaryGuard.Service.Tests.Holds;

/// <summary>A draft moved into "Send later" from any client becomes a hold, and goes out in working hours exactly once.</summary>
public sealed class SendLaterPollerTests
{
    private const string Sender = "mwebb@med.example.edu";
    private const string Resident = "jlee@med.example.edu";

    private static readonly DateTimeOffset FridayNight = new(2026, 12, 4, 23, 30, 0, TimeSpan.FromHours(-5));
    private static readonly DateTimeOffset MondayOpen = new(2026, 12, 7, 7, 0, 0, TimeSpan.FromHours(-5));

    private HoldsWorld world = null!;
    private HoldsApp app = null!;

    [SetUp]
    public async Task SetUp()
    {
        world = await HoldsWorld.StartAsync(FridayNight);
        app = new HoldsApp(world, new() { ["SendLater:Mailboxes:0"] = Sender, ["SendLater:PollInterval"] = "00:05:00" });
    }

    [TearDown]
    public async Task TearDown()
    {
        await app.DisposeAsync();
        await world.DisposeAsync();
    }

    private SendLaterPoller Poller => app.Services.GetRequiredService<SendLaterPoller>();

    [Test]
    public async Task Poll_DraftMovedToSendLaterAtNight_HeldUntilMondayAndSentOnce()
    {
        var draft = await MoveToSendLaterAsync(await world.CreateDraftAsync(Sender, Resident));

        await Poller.PollAsync(default);
        await Poller.PollAsync(default);

        var hold = (await app.Store.ListByMailboxAsync(Sender, 10, default)).Single();
        Assert.That(hold.Source, Is.EqualTo(HoldSource.SendLater));
        Assert.That(hold.MessageId, Is.EqualTo(draft));
        Assert.That(hold.ReleaseAt, Is.EqualTo(MondayOpen));

        world.Clock.SetUtcNow(MondayOpen);
        await Eventually.TrueAsync(async () => (await app.Store.GetAsync(hold.Id, default))!.State == HoldState.Sent, "the release");
        Assert.That(await world.SentAtAsync(Sender, draft), Is.EqualTo(MondayOpen));
        Assert.That(await world.SendsAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Poll_DraftMovedToSendLaterInWorkingHours_SentNow()
    {
        var tuesday = new DateTimeOffset(2026, 12, 8, 10, 0, 0, TimeSpan.FromHours(-5));
        world.Clock.SetUtcNow(tuesday);
        var draft = await MoveToSendLaterAsync(await world.CreateDraftAsync(Sender, Resident));

        await Poller.PollAsync(default);

        await Eventually.TrueAsync(async () => await world.SentAtAsync(Sender, draft) == tuesday, "the send");
        Assert.That(await world.SendsAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Poll_IntervalElapses_PicksUpTheFolderWithoutBeingAsked()
    {
        var draft = await MoveToSendLaterAsync(await world.CreateDraftAsync(Sender, Resident));

        world.Clock.Advance(TimeSpan.FromMinutes(5));

        var hold = await Eventually.ValueAsync(
            () => app.Store.FindPendingAsync(Sender, draft, default), h => h is not null, "the poller's own round");
        Assert.That(hold!.Source, Is.EqualTo(HoldSource.SendLater));
    }

    private async Task<string> MoveToSendLaterAsync(string draft)
    {
        // The first round creates the folder, as it would for a mailbox that never had one.
        await Poller.PollAsync(default);
        var folders = await world.Graph.Users[Sender].MailFolders.GetAsync(r => r.QueryParameters.Filter = "displayName eq 'Send later'");
        var moved = await world.Graph.Users[Sender].Messages[draft].Move.PostAsync(new MovePostRequestBody { DestinationId = folders!.Value!.Single().Id });
        return moved!.Id!;
    }
}
