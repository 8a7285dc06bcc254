namespace BoundaryGuard.Service.Holds;

/// <summary>
/// Where holds live: the service database (the same one as the release schedule). Every change is a
/// compare-and-set on <see cref="Hold.Version"/>, which is what makes each transition happen once even with two
/// service instances on one database.
/// </summary>
/// <remarks>
/// Mailboxes compare case-insensitively: the store keeps them lower-cased and returns them so. Message ids and
/// feeds compare exactly. Instants are kept to the millisecond and come back with a UTC offset.
/// </remarks>
public interface IHoldStore
{
    /// <summary>
    /// Stores a new hold (its <see cref="Hold.Version"/> is 0). False, and nothing stored, when the same draft
    /// (<see cref="Hold.Mailbox"/>, <see cref="Hold.MessageId"/>) already has a pending hold, or the mailbox already has
    /// a hold with its <see cref="Hold.Key"/>.
    /// </summary>
    Task<bool> TryAddAsync(Hold hold, CancellationToken cancellationToken);

    Task<Hold?> GetAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The mailbox's hold made with <paramref name="key"/>, whatever its state, if any.</summary>
    Task<Hold?> FindByKeyAsync(string mailbox, Guid key, CancellationToken cancellationToken);

    /// <summary>The pending (held or sending) hold of a draft, if any.</summary>
    Task<Hold?> FindPendingAsync(string mailbox, string messageId, CancellationToken cancellationToken);

    /// <summary>A mailbox's holds, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<Hold>> ListByMailboxAsync(string mailbox, int limit, CancellationToken cancellationToken);

    /// <summary>Every hold in <paramref name="state"/>, earliest release first.</summary>
    Task<IReadOnlyList<Hold>> ListByStateAsync(HoldState state, CancellationToken cancellationToken);

    /// <summary>How many holds are in <paramref name="state"/>: an index count, for the pending-holds gauge.</summary>
    Task<long> CountByStateAsync(HoldState state, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the stored hold with <paramref name="updated"/> when the stored version is still
    /// <paramref name="updated"/>.Version; the stored copy gets Version + 1. Returns the stored hold, or null when
    /// another writer got there first (nothing changed).
    /// </summary>
    /// <remarks>
    /// <see cref="Hold.Id"/>, <see cref="Hold.Mailbox"/>, <see cref="Hold.MessageId"/>, <see cref="Hold.CreatedAt"/> and
    /// <see cref="Hold.Key"/> identify the hold and are never rewritten; the returned hold carries the stored ones. The
    /// one exception: while the stored hold is <see cref="Hold.AwaitingSync"/>, its message id takes the one given,
    /// which is how the draft's immutable id replaces the add-in's when the draft appears.
    /// </remarks>
    Task<Hold?> TryUpdateAsync(Hold updated, CancellationToken cancellationToken);

    /// <summary>
    /// The latest hold of a message, whatever its state, or null when BoundaryGuard never held it: how the Sent Items
    /// audit tells BoundaryGuard's sends (sent, overridden) from the user's own (a held draft sent by the user).
    /// </summary>
    Task<Hold?> LatestHoldOfMessageAsync(string mailbox, string messageId, CancellationToken cancellationToken);

    /// <summary>The delta link of a mailbox's feed (e.g. the "Send later" folder), or null before the first round.</summary>
    Task<string?> GetCursorAsync(string mailbox, string feed, CancellationToken cancellationToken);

    Task SetCursorAsync(string mailbox, string feed, string deltaLink, CancellationToken cancellationToken);

    /// <summary>Stores a reported deferral. False, and nothing changed, when one with its id is already stored.</summary>
    Task<bool> TryAddDeferralAsync(Deferral deferral, CancellationToken cancellationToken);

    /// <summary>A mailbox's deferrals, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<Deferral>> ListDeferralsByMailboxAsync(string mailbox, int limit, CancellationToken cancellationToken);
}
