using BoundaryGuard.Graph.Mailboxes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.Messages.Item.Move;
using NodaTime;

namespace BoundaryGuard.Graph.Tests.Contract;

/// <summary>
/// The gateway against Graph itself: the sandbox always, a real tenant when configured. Drafts are created with the
/// same SDK client the gateway uses, as Outlook would have created them.
/// </summary>
[TestFixtureSource(typeof(GraphTarget), nameof(GraphTarget.All))]
[NonParallelizable]
public sealed class MailboxGatewayContractTests(GraphTarget target)
{
    private IMailboxGateway gateway = null!;

    // Owned by the target's container, which disposes it.
    private GraphServiceClient graph => target.Services.GetRequiredService<GraphServiceClient>();

    [OneTimeSetUp]
    public async Task StartTarget()
    {
        await target.StartAsync();
        gateway = target.Services.GetRequiredService<IMailboxGateway>();
    }

    [OneTimeTearDown]
    public async Task StopTarget()
    {
        if (await target.ReportAsync() is { } report)
        {
            // Every request the suite made went through the gateway's pipeline: all of them within the limits and
            // all of them asking for immutable ids.
            Assert.That(report["violations"]!["total"]!.GetValue<long>(), Is.Zero, report.ToJsonString());
            Assert.That(report["requestsWithoutImmutableId"]!.GetValue<long>(), Is.Zero);
        }

        await target.DisposeAsync();
    }

    [Test]
    public async Task GetWorkingHoursAsync_FacultyMailbox_ReadsDaysWindowAndZone()
    {
        var hours = await gateway.GetWorkingHoursAsync(target.Mailbox);

        Assert.That(hours.Days, Is.Not.Empty);
        Assert.That(hours.Zone, Is.Not.Null);
    }

    [Test]
    public async Task GetWorkingHoursAsync_SandboxNightFloatAndCustomZone_ReadAsGraphGivesThem()
    {
        if (target is not SandboxTarget)
        {
            Assert.Ignore("Seeded people exist only in the sandbox.");
        }

        var nightFloat = await gateway.GetWorkingHoursAsync("hbrooks@med.example.edu");
        var customZone = await gateway.GetWorkingHoursAsync("praman@med.example.edu");

        Assert.That(nightFloat.IsOvernight, Is.True);
        Assert.That(customZone.Zone.Id, Does.StartWith("Customized Time Zone").Or.StartWith("UTC"));
    }

    [Test]
    public async Task GetUserAsync_SandboxFacultyResidentAndSharedMailbox_DepartmentAndTitleOrNull()
    {
        if (target is not SandboxTarget)
        {
            Assert.Ignore("Seeded people exist only in the sandbox.");
        }

        Assert.That(await gateway.GetUserAsync("mwebb@med.example.edu"), Is.EqualTo(new DirectoryUser("Department of Medicine", "Professor")));
        Assert.That(await gateway.GetUserAsync("gchen@med.example.edu"), Is.EqualTo(new DirectoryUser("Department of Surgery", "Professor")));
        Assert.That((await gateway.GetUserAsync("jlee@med.example.edu")).JobTitle, Does.StartWith("Resident"));
        Assert.That(await gateway.GetUserAsync("closures@med.example.edu"), Is.EqualTo(new DirectoryUser(null, null)));
    }

    [Test]
    public async Task GetUserAsync_UnknownMailbox_IsNotFoundInOurTerms()
    {
        var error = await Assert.ThrowsAsync<GraphGatewayException>(() => gateway.GetUserAsync("nobody-here@med.example.edu"));

        Assert.That(error!.Kind, Is.EqualTo(GraphErrorKind.NotFound));
    }

    [Test]
    public async Task MarkHeldAsync_ThenUnmark_StateShowsAndThenDropsTheHold()
    {
        var id = await CreateDraftAsync();
        var mark = new HoldMark(Guid.NewGuid().ToString("N"), Instant.FromUtc(2026, 12, 7, 12, 0));

        await gateway.MarkHeldAsync(target.Mailbox, id, mark);
        var held = await gateway.GetDraftStateAsync(target.Mailbox, id);
        await gateway.UnmarkAsync(target.Mailbox, id);
        var released = await gateway.GetDraftStateAsync(target.Mailbox, id);
        var categories = (await graph.Users[target.Mailbox].Messages[id].GetAsync(r => r.QueryParameters.Select = ["categories"]))!.Categories;

        Assert.That(held, Is.Not.Null);
        Assert.That(held!.Hold, Is.EqualTo(mark));
        Assert.That(held.IsDraft, Is.True);
        Assert.That(held.Folder, Is.EqualTo(MailFolderKind.Drafts));
        Assert.That(held.Recipients, Is.EqualTo(new[] { target.Recipient }));
        Assert.That(released!.Hold, Is.Null);
        Assert.That(categories, Does.Not.Contain(GraphMailboxGateway.HeldCategory));
    }

    [Test]
    public async Task SendDraftAsync_Draft_SentOnceAndFoundInSentItemsByTheSameId()
    {
        var id = await CreateDraftAsync();

        var first = await gateway.SendDraftAsync(target.Mailbox, id);
        var again = await gateway.SendDraftAsync(target.Mailbox, id);
        var state = await gateway.GetDraftStateAsync(target.Mailbox, id);

        Assert.That(first, Is.EqualTo(SendOutcome.Sent));
        Assert.That(again, Is.EqualTo(SendOutcome.AlreadySent));
        Assert.That(state, Is.Not.Null);
        Assert.That(state!.IsDraft, Is.False);
        Assert.That(state.Folder, Is.EqualTo(MailFolderKind.SentItems));
    }

    [Test]
    public async Task CreateDraftAsync_Message_ADraftInDraftsToItsRecipientsThatSends()
    {
        var id = await gateway.CreateDraftAsync(target.Mailbox, new OutgoingMessage("BoundaryGuard contract test", "<p>Weekly digest</p>", [target.Recipient]));

        var state = await gateway.GetDraftStateAsync(target.Mailbox, id);
        var sent = await gateway.SendDraftAsync(target.Mailbox, id);

        Assert.That(state!.IsDraft, Is.True);
        Assert.That(state.Folder, Is.EqualTo(MailFolderKind.Drafts));
        Assert.That(state.Recipients, Is.EqualTo(new[] { target.Recipient }));
        Assert.That(sent, Is.EqualTo(SendOutcome.Sent));
    }

    [Test]
    public async Task SendDraftAsync_DeletedDraft_SendsNothing()
    {
        var id = await CreateDraftAsync();
        await graph.Users[target.Mailbox].Messages[id].DeleteAsync();

        Assert.That(await gateway.SendDraftAsync(target.Mailbox, id), Is.EqualTo(SendOutcome.DraftMissing));
        Assert.That((await gateway.GetDraftStateAsync(target.Mailbox, id))?.Folder, Is.EqualTo(MailFolderKind.DeletedItems).Or.Null);
    }

    [Test]
    public async Task GetSendLaterChangesAsync_DraftsMovedIn_SeenOnceThenRemovedWhenSent()
    {
        var initial = await gateway.GetSendLaterChangesAsync(target.Mailbox, null);
        var folder = (await graph.Users[target.Mailbox].MailFolders.GetAsync(
            r => r.QueryParameters.Filter = $"displayName eq '{GraphMailboxGateway.SendLaterFolderName}'"))!.Value!.Single();
        var first = await CreateDraftAsync();
        await graph.Users[target.Mailbox].Messages[first].Move.PostAsync(new MovePostRequestBody { DestinationId = folder.Id });

        var round1 = await gateway.GetSendLaterChangesAsync(target.Mailbox, initial.DeltaLink);
        await gateway.SendDraftAsync(target.Mailbox, first);
        var round2 = await gateway.GetSendLaterChangesAsync(target.Mailbox, round1.DeltaLink);

        Assert.That(round1.Changed.Select(d => d.MessageId), Is.EqualTo(new[] { first }));
        Assert.That(round1.Changed[0].Folder, Is.EqualTo(MailFolderKind.SendLater));
        Assert.That(round1.Changed[0].IsDraft, Is.True);
        Assert.That(round2.Removed, Does.Contain(first));
        Assert.That(round2.Changed, Is.Empty);
    }

    [Test]
    public async Task GetSentItemsChangesAsync_AfterASend_GivesSentTimeAndRecipientsOnly()
    {
        var before = await gateway.GetSentItemsChangesAsync(target.Mailbox, null);
        var id = await CreateDraftAsync();
        await gateway.SendDraftAsync(target.Mailbox, id);

        var after = await gateway.GetSentItemsChangesAsync(target.Mailbox, before.DeltaLink);

        var sent = after.Changed.Single(s => s.MessageId == id);
        Assert.That(sent.Recipients, Is.EqualTo(new[] { target.Recipient }));
        Assert.That(sent.SentAt, Is.GreaterThan(Instant.FromUtc(2020, 1, 1, 0, 0)));
    }

    [Test]
    public async Task GetCalendarViewAsync_ClosureCalendar_ReadsItsEvents()
    {
        if (target.ClosureCalendar is not { } calendar)
        {
            Assert.Ignore("No closure calendar configured for this target.");
            return;
        }

        var calendars = await graph.Users[calendar.Mailbox].Calendars.GetAsync();
        var id = calendars!.Value!.Single(c => c.Name == calendar.CalendarName).Id!;

        var events = await gateway.GetCalendarViewAsync(
            calendar.Mailbox, id, Instant.FromUtc(2025, 1, 1, 0, 0), Instant.FromUtc(2028, 1, 1, 0, 0));

        Assert.That(events, Is.Not.Empty);
        Assert.That(events.All(e => e.End > e.Start), Is.True);
    }

    [Test]
    public async Task FindCalendarAsync_ClosureCalendarByNameInAnyCase_ItsIdAndNullForNoSuchName()
    {
        if (target.ClosureCalendar is not { } calendar)
        {
            Assert.Ignore("No closure calendar configured for this target.");
            return;
        }

        var calendars = await graph.Users[calendar.Mailbox].Calendars.GetAsync();
        var id = calendars!.Value!.Single(c => c.Name == calendar.CalendarName).Id!;

        var found = await gateway.FindCalendarAsync(calendar.Mailbox, calendar.CalendarName.ToUpperInvariant());
        var missing = await gateway.FindCalendarAsync(calendar.Mailbox, "No such calendar " + Guid.NewGuid());

        Assert.That(found, Is.EqualTo(id));
        Assert.That(missing, Is.Null);
    }

    [Test]
    public async Task GetWorkingHoursAsync_UnknownMailbox_IsNotFoundInOurTerms()
    {
        var error = await Assert.ThrowsAsync<GraphGatewayException>(() =>
            gateway.GetWorkingHoursAsync("nobody-here@med.example.edu"));

        Assert.That(error!.Kind, Is.EqualTo(GraphErrorKind.NotFound));
    }

    [Test]
    public async Task GetDraftStateAsync_DraftOutlookDelayed_ReadsDeferredSendTimeAndNoneOnAPlainDraft()
    {
        var delayed = await CreateDraftAsync();
        var plain = await CreateDraftAsync();
        // What Outlook's delayDeliveryTime leaves on the draft: PidTagDeferredSendTime.
        await graph.Users[target.Mailbox].Messages[delayed].PatchAsync(new Message
        {
            SingleValueExtendedProperties = [new SingleValueLegacyExtendedProperty { Id = GraphMailboxGateway.DeferredSendTimeProperty, Value = "2026-12-07T12:00:00Z" }],
        });

        var state = await gateway.GetDraftStateAsync(target.Mailbox, delayed);
        var other = await gateway.GetDraftStateAsync(target.Mailbox, plain);

        Assert.That(state!.IsDraft, Is.True);
        Assert.That(state.DeferredSendTime, Is.EqualTo(Instant.FromUtc(2026, 12, 7, 12, 0)));
        Assert.That(other!.DeferredSendTime, Is.Null);
    }

    [Test]
    public async Task GetDraftStateAsync_UnknownMessage_IsNull()
    {
        var id = await CreateDraftAsync();
        var deleted = await graph.Users[target.Mailbox].Messages[id].GetAsync(r => r.QueryParameters.Select = ["parentFolderId"]);
        await graph.Users[target.Mailbox].MailFolders[deleted!.ParentFolderId].Messages[id].DeleteAsync();
        await graph.Users[target.Mailbox].MailFolders["deleteditems"].Messages[id].DeleteAsync();

        Assert.That(await gateway.GetDraftStateAsync(target.Mailbox, id), Is.Null);
    }

    private async Task<string> CreateDraftAsync()
    {
        var draft = await graph.Users[target.Mailbox].Messages.PostAsync(new Message
        {
            Subject = "BoundaryGuard contract test",
            Body = new ItemBody { ContentType = BodyType.Text, Content = "Contract test draft." },
            ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = target.Recipient } }],
        });
        return draft!.Id!;
    }
}
