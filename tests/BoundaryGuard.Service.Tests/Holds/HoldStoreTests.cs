using System.Globalization;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Scheduling;
using BoundaryGuard.Service.Tests.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Tests.Holds;

/// <summary>
/// The store against a real database. The PostgreSQL database is shared by every test and run, so each test works
/// in mailboxes of its own and never assumes a table is empty: listings across mailboxes are filtered to the
/// test's own ids.
/// </summary>
[TestFixture(SchedulingProvider.Sqlite)]
[TestFixture(SchedulingProvider.PostgreSQL)]
public sealed class HoldStoreTests(SchedulingProvider provider)
{
    private const int Writers = 16;

    // Friday 4 December 2026, 23:40 in New York, to the millisecond the store keeps.
    private static readonly DateTimeOffset CreatedAt = new(2026, 12, 4, 23, 40, 0, 123, TimeSpan.FromHours(-5));
    private static readonly DateTimeOffset ReleaseAt = new(2026, 12, 7, 7, 0, 0, TimeSpan.FromHours(-5));

    private SchedulingTarget? created;
    private SqlHoldStore store = null!;

    [SetUp]
    public async Task SetUp()
    {
        created = SchedulingTarget.Create(provider);
        var options = Options.Create(new SchedulingOptions { Provider = provider, ConnectionString = Target.ConnectionString });
        await new SchemaMigrator(options, TimeProvider.System).MigrateAsync(CancellationToken.None);
        store = new SqlHoldStore(options);
    }

    [TearDown]
    // Null when SetUp ignored the PostgreSQL leg.
    public void TearDown() => created?.Dispose();

    private SchedulingTarget Target => created!;

    [Test]
    public async Task GetAsync_EveryStateSourceAndOverride_ReturnsEveryFieldAsAdded()
    {
        var mailbox = NewMailbox();
        var overrides = Enum.GetValues<OverrideReason>();
        var sources = Enum.GetValues<HoldSource>();
        var holds = Enum.GetValues<HoldState>().Select((state, i) => NewHold(mailbox) with
        {
            Department = i == 0 ? null : "Surgery",
            Source = sources[i % sources.Length],
            State = state,
            Reasons = (HoldReasons)(i % 16),
            UpdatedAt = CreatedAt.AddMinutes(i),
            SendStartedAt = i == 0 ? null : ReleaseAt.AddSeconds(i),
            CompletedAt = i == 0 ? null : ReleaseAt.AddSeconds(i + 1),
            Override = i == 0 ? null : overrides[i % overrides.Length],
            FailureReason = i == 0 ? null : "graph-error-" + i.ToString(CultureInfo.InvariantCulture),
            Key = i == 0 ? null : Guid.NewGuid(),
            AwaitingSync = i % 2 == 1,
        }).ToList();

        foreach (var hold in holds)
        {
            Assert.That(await store.TryAddAsync(hold, CancellationToken.None), Is.True);
        }

        foreach (var hold in holds)
        {
            var stored = await store.GetAsync(hold.Id, CancellationToken.None);
            Assert.That(stored, Is.EqualTo(hold));
            Assert.That(stored!.CreatedAt.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(stored.ReleaseAt.Offset, Is.EqualTo(TimeSpan.Zero));
        }
    }

    [Test]
    public async Task GetAsync_EveryReasonFlagTogether_ReturnsTheFlags()
    {
        var all = HoldReasons.AfterHours | HoldReasons.Weekend | HoldReasons.Holiday | HoldReasons.RecipientOffHours;
        var hold = NewHold(NewMailbox()) with { Reasons = all };

        await store.TryAddAsync(hold, CancellationToken.None);

        Assert.That((await store.GetAsync(hold.Id, CancellationToken.None))!.Reasons, Is.EqualTo(all));
    }

    [Test]
    public async Task GetAsync_UnknownId_ReturnsNull()
    {
        Assert.That(await store.GetAsync(Guid.NewGuid(), CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task TryAddAsync_MixedCaseMailbox_StoresItLowerCased()
    {
        var mailbox = NewMailbox();
        var hold = NewHold(mailbox.ToUpperInvariant());

        await store.TryAddAsync(hold, CancellationToken.None);

        Assert.That((await store.GetAsync(hold.Id, CancellationToken.None))!.Mailbox, Is.EqualTo(mailbox));
    }

    [TestCase(HoldState.Held)]
    [TestCase(HoldState.Sending)]
    public async Task TryAddAsync_DraftAlreadyPending_ReturnsFalseAndStoresNothing(HoldState pending)
    {
        var first = NewHold(NewMailbox()) with { State = pending };
        await store.TryAddAsync(first, CancellationToken.None);
        // Another spelling of the same mailbox is the same draft.
        var second = NewHold(first.Mailbox.ToUpperInvariant(), first.MessageId);

        Assert.That(await store.TryAddAsync(second, CancellationToken.None), Is.False);

        Assert.That(await store.GetAsync(second.Id, CancellationToken.None), Is.Null);
        Assert.That(await store.FindPendingAsync(first.Mailbox, first.MessageId, CancellationToken.None), Is.EqualTo(first));
    }

    [Test]
    public async Task TryAddAsync_PreviousHoldOfDraftFinal_AddsNewHold()
    {
        var first = NewHold(NewMailbox());
        await store.TryAddAsync(first, CancellationToken.None);
        await store.TryUpdateAsync(first with { State = HoldState.Cancelled }, CancellationToken.None);
        var second = NewHold(first.Mailbox, first.MessageId);

        Assert.That(await store.TryAddAsync(second, CancellationToken.None), Is.True);

        Assert.That(await store.FindPendingAsync(first.Mailbox, first.MessageId, CancellationToken.None), Is.EqualTo(second));
    }

    [Test]
    public async Task TryAddAsync_SameDraftInOtherMailbox_AddsBoth()
    {
        var first = NewHold(NewMailbox());
        var second = NewHold(NewMailbox(), first.MessageId);

        Assert.That(await store.TryAddAsync(first, CancellationToken.None), Is.True);
        Assert.That(await store.TryAddAsync(second, CancellationToken.None), Is.True);
    }

    [Test]
    public async Task TryAddAsync_KeyAlreadyUsedInTheMailbox_ReturnsFalseButTheSameKeyElsewhereIsAdded()
    {
        var first = NewHold(NewMailbox()) with { Key = Guid.NewGuid(), State = HoldState.Cancelled };
        await store.TryAddAsync(first, CancellationToken.None);
        var sameKey = NewHold(first.Mailbox.ToUpperInvariant()) with { Key = first.Key };
        var otherMailbox = NewHold(NewMailbox()) with { Key = first.Key };
        var noKeys = new[] { NewHold(first.Mailbox), NewHold(first.Mailbox) };

        Assert.That(await store.TryAddAsync(sameKey, CancellationToken.None), Is.False, "the key names a hold already, final or not");
        Assert.That(await store.TryAddAsync(otherMailbox, CancellationToken.None), Is.True);
        Assert.That(await store.TryAddAsync(noKeys[0], CancellationToken.None), Is.True);
        Assert.That(await store.TryAddAsync(noKeys[1], CancellationToken.None), Is.True, "holds without a key never conflict on it");
        Assert.That(await store.GetAsync(sameKey.Id, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task FindByKeyAsync_KeyedHold_FoundWhateverItsStateOnlyInItsMailbox()
    {
        var hold = NewHold(NewMailbox()) with { Key = Guid.NewGuid() };
        await store.TryAddAsync(hold, CancellationToken.None);
        var sent = await store.TryUpdateAsync(hold with { State = HoldState.Sent }, CancellationToken.None);

        Assert.That(await store.FindByKeyAsync(hold.Mailbox.ToUpperInvariant(), hold.Key!.Value, CancellationToken.None), Is.EqualTo(sent));
        Assert.That(await store.FindByKeyAsync(NewMailbox(), hold.Key.Value, CancellationToken.None), Is.Null);
        Assert.That(await store.FindByKeyAsync(hold.Mailbox, Guid.NewGuid(), CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task TryUpdateAsync_AwaitingSync_TakesTheDraftsIdOnceThenKeepsIt()
    {
        var hold = NewHold(NewMailbox(), "cached-rest-id") with { Key = Guid.NewGuid(), AwaitingSync = true };
        await store.TryAddAsync(hold, CancellationToken.None);

        var synced = await store.TryUpdateAsync(hold with { MessageId = "AAMkImmutable", AwaitingSync = false }, CancellationToken.None);
        var later = await store.TryUpdateAsync(synced! with { MessageId = "another" }, CancellationToken.None);

        Assert.That(synced, Is.EqualTo(hold with { MessageId = "AAMkImmutable", AwaitingSync = false, Version = 1 }));
        Assert.That(later!.MessageId, Is.EqualTo("AAMkImmutable"));
        Assert.That(await store.FindPendingAsync(hold.Mailbox, "AAMkImmutable", CancellationToken.None), Is.EqualTo(later));
    }

    [Test]
    public async Task TryAddAsync_VersionNotZero_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => store.TryAddAsync(NewHold(NewMailbox()) with { Version = 3 }, CancellationToken.None));
    }

    [Test]
    public async Task FindPendingAsync_OnlyFinalHolds_ReturnsNull()
    {
        var hold = NewHold(NewMailbox()) with { State = HoldState.Sent };
        await store.TryAddAsync(hold, CancellationToken.None);

        Assert.That(await store.FindPendingAsync(hold.Mailbox, hold.MessageId, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task TryUpdateAsync_CurrentVersion_StoresChangesAndBumpsVersion()
    {
        var hold = NewHold(NewMailbox());
        await store.TryAddAsync(hold, CancellationToken.None);
        var sending = hold with
        {
            State = HoldState.Sending,
            Department = "Medicine",
            Reasons = HoldReasons.Holiday,
            ReleaseAt = ReleaseAt.AddHours(1),
            UpdatedAt = ReleaseAt.AddHours(1),
            SendStartedAt = ReleaseAt.AddHours(1),
        };

        var updated = await store.TryUpdateAsync(sending, CancellationToken.None);

        Assert.That(updated, Is.EqualTo(sending with { Version = 1 }));
        Assert.That(await store.GetAsync(hold.Id, CancellationToken.None), Is.EqualTo(updated));

        var sent = updated! with { State = HoldState.Sent, CompletedAt = ReleaseAt.AddHours(1).AddSeconds(2) };
        Assert.That(await store.TryUpdateAsync(sent, CancellationToken.None), Is.EqualTo(sent with { Version = 2 }));
    }

    [Test]
    public async Task TryUpdateAsync_StaleVersion_ReturnsNullAndChangesNothing()
    {
        var hold = NewHold(NewMailbox());
        await store.TryAddAsync(hold, CancellationToken.None);
        var current = await store.TryUpdateAsync(hold with { UpdatedAt = ReleaseAt }, CancellationToken.None);

        var stale = await store.TryUpdateAsync(hold with { State = HoldState.Cancelled }, CancellationToken.None);

        Assert.That(stale, Is.Null);
        Assert.That(await store.GetAsync(hold.Id, CancellationToken.None), Is.EqualTo(current));
    }

    [Test]
    public async Task TryUpdateAsync_UnknownId_ReturnsNull()
    {
        Assert.That(await store.TryUpdateAsync(NewHold(NewMailbox()), CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task TryUpdateAsync_IdentityChanged_KeepsStoredIdentity()
    {
        var hold = NewHold(NewMailbox());
        await store.TryAddAsync(hold, CancellationToken.None);

        var updated = await store.TryUpdateAsync(
            hold with { Mailbox = NewMailbox(), MessageId = "other", CreatedAt = ReleaseAt, State = HoldState.Cancelled },
            CancellationToken.None);

        Assert.That(updated, Is.EqualTo(hold with { State = HoldState.Cancelled, Version = 1 }));
    }

    [Test]
    public async Task TryUpdateAsync_ManyWritersSameVersion_ExactlyOneWins()
    {
        var hold = NewHold(NewMailbox());
        await store.TryAddAsync(hold, CancellationToken.None);

        var results = await RaceAsync(i => store.TryUpdateAsync(
            hold with { State = HoldState.Failed, FailureReason = "writer-" + i.ToString(CultureInfo.InvariantCulture) },
            CancellationToken.None));

        var winners = results.Where(r => r is not null).ToList();
        Assert.That(winners, Has.Count.EqualTo(1));
        Assert.That(await store.GetAsync(hold.Id, CancellationToken.None), Is.EqualTo(winners[0]));
        Assert.That(winners[0]!.Version, Is.EqualTo(1));
    }

    [Test]
    public async Task TryAddAsync_ManyWritersSameDraft_ExactlyOneStored()
    {
        var mailbox = NewMailbox();
        var holds = Enumerable.Range(0, Writers).Select(_ => NewHold(mailbox, "AAMkAD-same-draft")).ToList();

        var results = await RaceAsync(i => store.TryAddAsync(holds[i], CancellationToken.None));

        Assert.That(results.Count(added => added), Is.EqualTo(1));
        var winner = holds[Array.IndexOf(results, true)];
        Assert.That(await store.ListByMailboxAsync(mailbox, Writers, CancellationToken.None), Is.EqualTo(new[] { winner }));
    }

    [Test]
    public async Task ListByMailboxAsync_SeveralHolds_NewestFirstUpToLimit()
    {
        var mailbox = NewMailbox();
        var holds = Enumerable.Range(0, 5).Select(i => NewHold(mailbox) with { CreatedAt = CreatedAt.AddMinutes(i) }).ToList();
        // Added out of order, so insertion order cannot pass for creation order.
        foreach (var hold in holds.OrderBy(h => h.Id))
        {
            await store.TryAddAsync(hold, CancellationToken.None);
        }

        await store.TryAddAsync(NewHold(NewMailbox()), CancellationToken.None);

        var listed = await store.ListByMailboxAsync(mailbox.ToUpperInvariant(), 3, CancellationToken.None);

        Assert.That(listed, Is.EqualTo(new[] { holds[4], holds[3], holds[2] }));
    }

    [Test]
    public async Task ListByMailboxAsync_UnknownMailbox_ReturnsEmpty()
    {
        Assert.That(await store.ListByMailboxAsync(NewMailbox(), 10, CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task ListByStateAsync_SeveralStates_OnlyThatStateEarliestReleaseFirst()
    {
        var mailbox = NewMailbox();
        var late = NewHold(mailbox) with { ReleaseAt = ReleaseAt.AddDays(1) };
        var early = NewHold(mailbox) with { ReleaseAt = ReleaseAt };
        var middle = NewHold(mailbox) with { ReleaseAt = ReleaseAt.AddHours(3) };
        var sending = NewHold(mailbox) with { State = HoldState.Sending, ReleaseAt = ReleaseAt.AddHours(1) };
        foreach (var hold in new[] { late, early, sending, middle })
        {
            await store.TryAddAsync(hold, CancellationToken.None);
        }

        var ours = new HashSet<Guid> { late.Id, early.Id, middle.Id, sending.Id };
        var held = (await store.ListByStateAsync(HoldState.Held, CancellationToken.None)).Where(h => ours.Contains(h.Id));
        var inFlight = (await store.ListByStateAsync(HoldState.Sending, CancellationToken.None)).Where(h => ours.Contains(h.Id));

        Assert.That(held, Is.EqualTo(new[] { early, middle, late }));
        Assert.That(inFlight, Is.EqualTo(new[] { sending }));
    }

    [Test]
    public async Task GetCursorAsync_NeverSet_ReturnsNull()
    {
        Assert.That(await store.GetCursorAsync(NewMailbox(), "send-later", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task SetCursorAsync_SetTwice_KeepsLatestPerMailboxAndFeed()
    {
        var mailbox = NewMailbox();
        await store.SetCursorAsync(mailbox, "send-later", "https://graph.example/delta?token=1", CancellationToken.None);
        await store.SetCursorAsync(mailbox, "drafts", "https://graph.example/delta?token=d", CancellationToken.None);

        await store.SetCursorAsync(mailbox.ToUpperInvariant(), "send-later", "https://graph.example/delta?token=2", CancellationToken.None);

        Assert.That(await store.GetCursorAsync(mailbox, "send-later", CancellationToken.None), Is.EqualTo("https://graph.example/delta?token=2"));
        Assert.That(await store.GetCursorAsync(mailbox, "drafts", CancellationToken.None), Is.EqualTo("https://graph.example/delta?token=d"));
        Assert.That(await store.GetCursorAsync(NewMailbox(), "send-later", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task GetAsync_NewStoreOnSameDatabase_FindsEarlierHoldsAndCursors()
    {
        var hold = NewHold(NewMailbox());
        await store.TryAddAsync(hold, CancellationToken.None);
        await store.SetCursorAsync(hold.Mailbox, "send-later", "https://graph.example/delta?token=1", CancellationToken.None);

        // What a restarted process does: a new container, a new store, the migrations run again (and do nothing).
        // The SQLite target opens without pooling, so nothing of the first store's connections is left open.
        using var services = Services(Target);
        var second = services.GetRequiredService<IHoldStore>();
        await services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);

        Assert.That(await second.GetAsync(hold.Id, CancellationToken.None), Is.EqualTo(hold));
        Assert.That(await second.GetCursorAsync(hold.Mailbox, "send-later", CancellationToken.None), Is.EqualTo("https://graph.example/delta?token=1"));
    }

    /// <summary>
    /// Runs <see cref="Writers"/> calls at once, each on a thread of its own released together: SQLite's async
    /// calls complete synchronously, so without threads they would simply take turns.
    /// </summary>
    private static async Task<T[]> RaceAsync<T>(Func<int, Task<T>> write)
    {
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, Writers)
            .Select(i => Task.Run(() =>
            {
                start.Wait();
                return write(i);
            }))
            .ToList();
        start.Set();
        return await Task.WhenAll(attempts);
    }

    private static string NewMailbox() => $"faculty-{Guid.NewGuid():N}@example.edu";

    private static Hold NewHold(string mailbox, string? messageId = null) => new(
        Guid.NewGuid(),
        mailbox,
        messageId ?? "AAMkAD" + Guid.NewGuid().ToString("N"),
        "Medicine",
        HoldSource.AddIn,
        HoldState.Held,
        HoldReasons.AfterHours,
        CreatedAt,
        ReleaseAt,
        CreatedAt);

    private static ServiceProvider Services(SchedulingTarget target)
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SchemaMigrator>();
        services.AddOptions<SchedulingOptions>().Configure(o =>
        {
            o.Provider = target.Provider;
            o.ConnectionString = target.ConnectionString;
        });
        services.AddHoldStore();
        return services.BuildServiceProvider();
    }
}
