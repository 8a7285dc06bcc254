using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BoundaryGuard.Graph.Mailboxes;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph.Models;

namespace BoundaryGuard.Service.Tests.Holds;

/// <summary>
/// What the add-in meets at Send beyond the plain hold: a request repeated under its key, a draft Outlook's cached mode
/// has not synced yet, Outlook's own delayed delivery (which must never be doubled), and a send from the compose
/// window. Real sandbox over HTTP, real database, fake clock. Marcus Webb writes to Jordan Lee on a Friday night.
/// </summary>
[TestFixture(SchedulingProvider.Sqlite)]
[TestFixture(SchedulingProvider.PostgreSQL)]
public sealed class HoldKeysTests(SchedulingProvider provider)
{
    private const string Sender = "mwebb@med.example.edu";
    private const string Colleague = "sokafor@med.example.edu";
    private const string Resident = "jlee@med.example.edu";

    private static readonly DateTimeOffset FridayNight = new(2026, 12, 4, 23, 30, 0, TimeSpan.FromHours(-5));
    private static readonly DateTimeOffset MondayOpen = new(2026, 12, 7, 7, 0, 0, TimeSpan.FromHours(-5));

    private HoldsWorld world = null!;

    [SetUp]
    public async Task SetUp() => world = await HoldsWorld.StartAsync(FridayNight, provider);

    [TearDown]
    // Null when SetUp ignored the PostgreSQL leg.
    public async Task TearDown() => await (world?.DisposeAsync() ?? ValueTask.CompletedTask);

    [Test]
    public async Task Post_SameKeyAgain_SameHoldWhateverItsStateEvenForAnotherMessageId()
    {
        await using var app = new HoldsApp(world);
        var draft = await world.CreateDraftAsync(Sender, Resident);
        var key = Guid.NewGuid();
        using var client = app.ClientFor(Sender);

        using var first = await client.PostAsJsonAsync("/api/v1/holds", new { mailbox = Sender, messageId = draft, key });
        var held = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = held["id"]!.GetValue<Guid>();
        using (await client.DeleteAsync($"/api/v1/holds/{id}"))
        {
        }

        using var again = await client.PostAsJsonAsync("/api/v1/holds", new { mailbox = Sender, messageId = "AAMkSomethingElse", key });
        var repeated = (await again.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(held["key"]!.GetValue<Guid>(), Is.EqualTo(key));
        Assert.That(held["awaitingSync"]!.GetValue<bool>(), Is.False);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(repeated["id"]!.GetValue<Guid>(), Is.EqualTo(id));
        Assert.That(repeated["state"]!.GetValue<string>(), Is.EqualTo("cancelled"));
        Assert.That(await app.Store.ListByMailboxAsync(Sender, 10, default), Has.Count.EqualTo(1));
    }

    [TestCase("{\"mailbox\":\"mwebb@med.example.edu\",\"messageId\":\"AAMk1\",\"key\":\"send-1\"}", "key")]
    [TestCase("{\"mailbox\":\"mwebb@med.example.edu\",\"messageId\":\"AAMk1\",\"key\":\"00000000-0000-0000-0000-000000000000\"}", "key")]
    [TestCase("{\"mailbox\":\"mwebb@med.example.edu\",\"messageId\":\"AAMk1\",\"recipients\":[\"jlee@med.example.edu\",\" \"]}", "recipients")]
    public async Task Post_BadKeyOrRecipients_ValidationProblemNamingItAndNothingHeld(string json, string field)
    {
        await using var app = new HoldsApp(world);
        using var client = app.ClientFor(Sender);
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/v1/holds", content);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem!["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { field }), problem.ToJsonString());
        Assert.That(await app.Store.ListByMailboxAsync(Sender, 10, default), Is.Empty);
    }

    [Test]
    public async Task CachedMode_DraftNotSyncedYet_AcceptedAtOnceConfirmedWhenItAppearsAndReleasedOnce()
    {
        await using var app = new HoldsApp(world);
        var draft = await world.CreateDraftAsync(Sender, Resident);
        await world.UnsyncedAsync(draft, TimeSpan.FromSeconds(30));
        using var client = app.ClientFor(Sender);

        using var response = await client.PostAsJsonAsync("/api/v1/holds", new { mailbox = Sender, messageId = draft, key = Guid.NewGuid(), recipients = new[] { Resident } });
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = body["id"]!.GetValue<Guid>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToJsonString());
        Assert.That(body["awaitingSync"]!.GetValue<bool>(), Is.True);
        Assert.That(body["state"]!.GetValue<string>(), Is.EqualTo("held"));
        Assert.That(body["releaseAt"]!.GetValue<string>(), Is.EqualTo("2026-12-07T07:00:00-05:00"));
        Assert.That(body["reasons"]!.AsArray().Select(r => r!.GetValue<string>()), Is.EqualTo(new[] { "after-hours", "recipient-off-hours" }));
        Assert.That(world.MetricKinds(), Is.Empty, "not counted before the draft is there");

        // The sandbox's clock runs on, a second per look, until the hold finds its draft (looks at +5, +10, +20, +40 s).
        var confirmed = await Eventually.ValueAsync(
            async () =>
            {
                world.Clock.Advance(TimeSpan.FromSeconds(1));
                return await app.Store.GetAsync(id, default);
            },
            h => h is { AwaitingSync: false },
            "the hold to find its draft");
        Assert.That(world.Clock.GetUtcNow(), Is.GreaterThanOrEqualTo(FridayNight.AddSeconds(30)));
        Assert.That(confirmed!.State, Is.EqualTo(HoldState.Held));
        Assert.That(confirmed.MessageId, Is.EqualTo(draft));
        // Marked, then scheduled, then counted, each after the hold stopped awaiting its draft.
        await Eventually.TrueAsync(async () => await app.Scheduler.NextFireAsync(id, default) == MondayOpen, "the release to be scheduled");
        Assert.That((await Gateway(app).GetDraftStateAsync(Sender, draft))!.Hold!.HoldId, Is.EqualTo(id.ToString("D")));
        await MetricsAsync(new() { ["hold-created"] = 1 });

        world.Clock.SetUtcNow(MondayOpen.AddSeconds(-1));
        Assert.That(await world.SendsAsync(), Is.Zero);
        world.Clock.SetUtcNow(MondayOpen);
        await StateAsync(app, id, HoldState.Sent);
        Assert.That(await world.SentAtAsync(Sender, draft), Is.EqualTo(MondayOpen));
        world.Clock.Advance(TimeSpan.FromDays(1));
        await Task.Delay(300);
        Assert.That(await world.SendsAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task CachedMode_DraftNeverSyncs_FailedDraftNeverSyncedAndNothingSent()
    {
        await using var app = new HoldsApp(world, new() { ["Holds:SyncWait"] = "00:01:00" });
        var draft = await world.CreateDraftAsync(Sender, Resident);
        await world.UnsyncedAsync(draft, TimeSpan.FromHours(1));
        using var client = app.ClientFor(Sender);

        using var response = await client.PostAsJsonAsync("/api/v1/holds", new { mailbox = Sender, messageId = draft, key = Guid.NewGuid(), recipients = new[] { Resident } });
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var failed = await Eventually.ValueAsync(
            async () =>
            {
                world.Clock.Advance(TimeSpan.FromSeconds(2));
                return await app.Store.GetAsync(id, default);
            },
            h => h?.State == HoldState.Failed,
            "the hold to give up on its draft");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(failed!.FailureReason, Is.EqualTo("draft-never-synced"));
        Assert.That(failed.CompletedAt, Is.GreaterThanOrEqualTo(FridayNight.AddMinutes(1)).And.LessThan(FridayNight.AddMinutes(2)));
        world.Clock.SetUtcNow(MondayOpen);
        await Task.Delay(300);
        var state = await Gateway(app).GetDraftStateAsync(Sender, draft);
        Assert.That(state!.IsDraft, Is.True, "the draft arrived later and stays in Drafts");
        Assert.That(state.Folder, Is.EqualTo(MailFolderKind.Drafts));
        Assert.That(await world.SendsAsync(), Is.Zero);
        Assert.That(world.MetricKinds(), Is.Empty);
    }

    [Test]
    public async Task CachedMode_WithoutKey_StillNotFound()
    {
        await using var app = new HoldsApp(world);
        var draft = await world.CreateDraftAsync(Sender, Resident);
        await world.UnsyncedAsync(draft, TimeSpan.FromSeconds(30));
        using var client = app.ClientFor(Sender);

        using var response = await client.PostAsJsonAsync("/api/v1/holds", new { mailbox = Sender, messageId = draft, recipients = new[] { Resident } });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await app.Store.ListByMailboxAsync(Sender, 10, default), Is.Empty);
    }

    [Test]
    public async Task Deferral_WithTheHoldsKey_HoldCancelledDeferredByOutlookUnmarkedAndNeverSentByUs()
    {
        await using var app = new HoldsApp(world);
        var draft = await world.CreateDraftAsync(Sender, Resident);
        var key = Guid.NewGuid();
        using var client = app.ClientFor(Sender);
        // The hold was made, but its answer came too late: the add-in fell back to Outlook's delayed delivery.
        using var hold = await client.PostAsJsonAsync("/api/v1/holds", new { mailbox = Sender, messageId = draft, key });
        var id = (await hold.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();

        using var report = await client.PostAsJsonAsync("/api/v1/deferrals", new
        {
            id = Guid.NewGuid(),
            mailbox = Sender,
            deferredAt = "2026-12-05T04:30:00.000Z",
            releaseAt = "2026-12-07T12:00:00.000Z",
            reasons = new[] { "after-hours" },
            cause = "timeout",
            holdKey = key,
        });

        Assert.That(report.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var cancelled = await app.Store.GetAsync(id, default);
        Assert.That(cancelled!.State, Is.EqualTo(HoldState.Cancelled));
        Assert.That(cancelled.FailureReason, Is.EqualTo("deferred-by-outlook"));
        Assert.That((await Gateway(app).GetDraftStateAsync(Sender, draft))!.Hold, Is.Null);
        Assert.That(await client.GetFromJsonAsync<JsonArray>("/api/v1/deferrals"), Has.Count.EqualTo(1));
        world.Clock.SetUtcNow(MondayOpen);
        await Task.Delay(300);
        Assert.That(await world.SendsAsync(), Is.Zero);
    }

    [Test]
    public async Task Deferral_HoldKeyNotAUuid_ValidationProblemAndNothingStoredOrCancelled()
    {
        await using var app = new HoldsApp(world);
        var draft = await world.CreateDraftAsync(Sender, Resident);
        var id = Guid.Parse((await app.HoldAsync(Sender, draft))["id"]!.GetValue<string>());
        using var client = app.ClientFor(Sender);

        using var report = await client.PostAsJsonAsync("/api/v1/deferrals", new
        {
            id = Guid.NewGuid(), mailbox = Sender, deferredAt = "2026-12-05T04:30:00.000Z", releaseAt = "2026-12-07T12:00:00.000Z",
            reasons = new[] { "after-hours" }, cause = "timeout", holdKey = "not-a-uuid",
        });
        var problem = await report.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(report.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem!["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { "holdKey" }));
        Assert.That(await client.GetFromJsonAsync<JsonArray>("/api/v1/deferrals"), Is.Empty);
        Assert.That((await app.Store.GetAsync(id, default))!.State, Is.EqualTo(HoldState.Held));
    }

    [Test]
    public async Task Release_DraftCarriesDeferredSendTime_SentByUserAndZeroSendsFromUs()
    {
        await using var app = new HoldsApp(world);
        var draft = await world.CreateDraftAsync(Sender, Resident);
        var id = Guid.Parse((await app.HoldAsync(Sender, draft))["id"]!.GetValue<string>());
        // Outlook's delayDeliveryTime, as Exchange keeps it on the draft (PidTagDeferredSendTime), with no report to us.
        await world.Graph.Users[Sender].Messages[draft].PatchAsync(new Message
        {
            SingleValueExtendedProperties = [new SingleValueLegacyExtendedProperty { Id = GraphMailboxGateway.DeferredSendTimeProperty, Value = "2026-12-07T12:00:00Z" }],
        });

        world.Clock.SetUtcNow(MondayOpen);
        var done = await StateAsync(app, id, HoldState.SentByUser);

        Assert.That(done.FailureReason, Is.EqualTo("deferred-by-outlook"));
        await Task.Delay(300);
        Assert.That(await world.SendsAsync(), Is.Zero);
        var state = await Gateway(app).GetDraftStateAsync(Sender, draft);
        Assert.That(state!.IsDraft, Is.True, "Outlook delivers it, not BoundaryGuard");
        Assert.That(state.Hold, Is.Null);
    }

    [Test]
    public async Task Override_DraftSentFromComposeWindow_OverriddenWithItsReasonAndSentOnce()
    {
        await using var app = new HoldsApp(world);
        var draft = await world.CreateDraftAsync(Sender, Resident);
        var id = Guid.Parse((await app.HoldAsync(Sender, draft))["id"]!.GetValue<string>());
        using var client = app.ClientFor(Sender);

        using var response = await client.PostAsJsonAsync($"/api/v1/holds/{id}/override", new { reason = "patient-care" });
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        // item.sendAsync runs OnMessageSend again: the add-in asks once more and finds the override.
        var again = await app.HoldAsync(Sender, draft);
        await world.Graph.Users[Sender].Messages[draft].Send.PostAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body["state"]!.GetValue<string>(), Is.EqualTo("held"));
        Assert.That(body["override"]!.GetValue<string>(), Is.EqualTo("patient-care"));
        Assert.That(again["id"]!.GetValue<Guid>(), Is.EqualTo(id));
        Assert.That(again["override"]!.GetValue<string>(), Is.EqualTo("patient-care"));
        Assert.That(await app.Scheduler.NextFireAsync(id, default), Is.EqualTo(FridayNight.AddMinutes(2)));

        world.Clock.Advance(TimeSpan.FromMinutes(2));
        var done = await StateAsync(app, id, HoldState.Overridden);
        Assert.That(done.Override, Is.EqualTo(OverrideReason.PatientCare));
        await MetricsAsync(new() { ["hold-created"] = 1, ["overridden"] = 1 });
        world.Clock.SetUtcNow(MondayOpen);
        await Task.Delay(300);
        Assert.That(await world.SendsAsync(), Is.EqualTo(1), "the user's own send, and no other");
    }

    [Test]
    public async Task Override_NoSendFollowed_ReasonDroppedAndReleasedOnTimeAsSent()
    {
        await using var app = new HoldsApp(world);
        var draft = await world.CreateDraftAsync(Sender, Resident);
        var id = Guid.Parse((await app.HoldAsync(Sender, draft))["id"]!.GetValue<string>());
        using var client = app.ClientFor(Sender);
        using var response = await client.PostAsJsonAsync($"/api/v1/holds/{id}/override", new { reason = "time-critical" });

        world.Clock.Advance(TimeSpan.FromMinutes(2));
        var waiting = await Eventually.ValueAsync(() => app.Store.GetAsync(id, default), h => h is { Override: null }, "the override to be dropped");
        Assert.That(waiting!.State, Is.EqualTo(HoldState.Held));
        await Eventually.TrueAsync(async () => await app.Scheduler.NextFireAsync(id, default) == MondayOpen, "the release to be scheduled again");

        world.Clock.SetUtcNow(MondayOpen);
        var sent = await StateAsync(app, id, HoldState.Sent);
        Assert.That(sent.Override, Is.Null);
        Assert.That(await world.SentAtAsync(Sender, draft), Is.EqualTo(MondayOpen));
        Assert.That(await world.SendsAsync(), Is.EqualTo(1));
        await MetricsAsync(new() { ["hold-created"] = 1, ["released"] = 1 });
    }

    [TestCase(null)]
    [TestCase("because")]
    public async Task Override_MissingOrUnknownReason_ValidationProblemAndUnchanged(string? reason)
    {
        await using var app = new HoldsApp(world);
        var id = Guid.Parse((await app.HoldAsync(Sender, await world.CreateDraftAsync(Sender, Resident)))["id"]!.GetValue<string>());
        using var client = app.ClientFor(Sender);

        using var response = await client.PostAsJsonAsync($"/api/v1/holds/{id}/override", new { reason });
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem!["errors"]!.AsObject().ContainsKey("reason"), Is.True);
        Assert.That((await app.Store.GetAsync(id, default))!.Override, Is.Null);
    }

    [Test]
    public async Task Override_SomeoneElsesHold_ForbiddenAndUnchanged()
    {
        await using var app = new HoldsApp(world);
        var id = Guid.Parse((await app.HoldAsync(Colleague, await world.CreateDraftAsync(Colleague, Resident)))["id"]!.GetValue<string>());
        using var client = app.ClientFor(Sender);

        using var response = await client.PostAsJsonAsync($"/api/v1/holds/{id}/override", new { reason = "other" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await app.Store.GetAsync(id, default))!.Override, Is.Null);
    }

    /// <summary>Metrics are recorded after the hold's change is stored: waits for exactly these counts.</summary>
    private Task<Dictionary<string, long>> MetricsAsync(Dictionary<string, long> expected) =>
        Eventually.ValueAsync(() => Task.FromResult(world.MetricKinds()), kinds => kinds.Count == expected.Count && !kinds.Except(expected).Any(),
            "the metric events " + string.Join(", ", expected));

    private static IMailboxGateway Gateway(HoldsApp app) => app.Services.GetRequiredService<IMailboxGateway>();

    private static async Task<Hold> StateAsync(HoldsApp app, Guid id, HoldState state) =>
        (await Eventually.ValueAsync(() => app.Store.GetAsync(id, default), h => h?.State == state, $"hold {id} to become {state}"))!;
}
