using System.Data.Common;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Service.Scheduling;
using Microsoft.Extensions.Options;
using static BoundaryGuard.Service.Scheduling.Sql;

namespace BoundaryGuard.Service.Holds;

/// <summary>
/// <see cref="IHoldStore"/> over the scheduling database (tables of migration 0002), SQLite or PostgreSQL. The
/// SQL is the same on both: the only difference is how a <see cref="Guid"/> is bound (SQLite keeps ids as text).
/// </summary>
/// <remarks>
/// Every call opens its own connection (pooled by the provider), so concurrent calls never share one: neither
/// provider's connection may be used by two threads at once. Every change is a single statement, which is what
/// makes it atomic without an explicit transaction on either provider. On SQLite, which has one writer at a time,
/// this store's changes queue in process for their turn rather than meeting a busy database and sleeping: measured
/// in the drain benchmark, the waits in SQLite's busy handler were most of a release's time.
/// </remarks>
internal sealed class SqlHoldStore(IOptions<SchedulingOptions> options) : IHoldStore
{
    private const string Columns =
        "id, mailbox, message_id, department, source, state, reasons, created_at, release_at, updated_at, " +
        "send_started_at, completed_at, override_reason, failure_reason, version, hold_key, awaiting_sync";

    // Spelled as in the index holds_pending_draft: PostgreSQL infers the ON CONFLICT arbiter from this predicate.
    private const string Pending = "state IN ('held', 'sending')";

    private const string Insert =
        $"INSERT INTO holds ({Columns}) VALUES (@id, @mailbox, @message_id, @department, @source, @state, @reasons, " +
        "@created_at, @release_at, @updated_at, @send_started_at, @completed_at, @override_reason, @failure_reason, 0, " +
        "@hold_key, @awaiting_sync) " +
        // Two unique indexes may refuse a new hold: the draft's pending hold (holds_pending_draft) and the mailbox's
        // hold with the same key (holds_by_key). PostgreSQL takes one conflict target at most, so none is named: the
        // hold already stored wins either way. Ids are new GUIDs and never the conflict.
        "ON CONFLICT DO NOTHING";

    // Id, mailbox, message id, creation time and key are the hold's identity: never rewritten, but for the message id
    // of a hold awaiting its draft's sync (see IHoldStore.TryUpdateAsync).
    private const string Update =
        "UPDATE holds SET department = @department, source = @source, state = @state, reasons = @reasons, " +
        "release_at = @release_at, updated_at = @updated_at, send_started_at = @send_started_at, " +
        "completed_at = @completed_at, override_reason = @override_reason, failure_reason = @failure_reason, " +
        "message_id = CASE WHEN awaiting_sync THEN @message_id ELSE message_id END, awaiting_sync = @awaiting_sync, " +
        $"version = version + 1 WHERE id = @id AND version = @version RETURNING {Columns}";

    private const string Upsert =
        "INSERT INTO mailbox_cursors (mailbox, feed, delta_link) VALUES (@mailbox, @feed, @delta_link) " +
        "ON CONFLICT (mailbox, feed) DO UPDATE SET delta_link = excluded.delta_link";

    private const string DeferralColumns = "id, mailbox, department, deferred_at, release_at, reasons, cause, reported_at";

    private readonly SchedulingOptions settings = options.Value;
    private readonly SemaphoreSlim? writes = options.Value.Provider == SchedulingProvider.Sqlite ? new(1, 1) : null;

    public async Task<bool> TryAddAsync(Hold hold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hold);
        if (hold.Version != 0)
        {
            throw new ArgumentException("A new hold starts at version 0.", nameof(hold));
        }

        return await WriteAsync(async connection =>
        {
            await using var command = Command(connection, Insert);
            Bind(command, "@id", Id(hold.Id));
            Bind(command, "@mailbox", Normalize(hold.Mailbox));
            Bind(command, "@message_id", hold.MessageId);
            Bind(command, "@created_at", hold.CreatedAt.ToUnixTimeMilliseconds());
            Bind(command, "@hold_key", hold.Key is { } key ? Id(key) : null);
            BindChangeable(command, hold);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Hold?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, $"SELECT {Columns} FROM holds WHERE id = @id");
        Bind(command, "@id", Id(id));
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<Hold?> FindByKeyAsync(string mailbox, Guid key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, $"SELECT {Columns} FROM holds WHERE mailbox = @mailbox AND hold_key = @hold_key");
        Bind(command, "@mailbox", Normalize(mailbox));
        Bind(command, "@hold_key", Id(key));
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<Hold?> FindPendingAsync(string mailbox, string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            $"SELECT {Columns} FROM holds WHERE mailbox = @mailbox AND message_id = @message_id AND {Pending}");
        Bind(command, "@mailbox", Normalize(mailbox));
        Bind(command, "@message_id", messageId);
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<Hold>> ListByMailboxAsync(string mailbox, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // The id breaks ties, so two holds made in one millisecond list in the same order every time.
        await using var command = Command(connection,
            $"SELECT {Columns} FROM holds WHERE mailbox = @mailbox ORDER BY created_at DESC, id DESC LIMIT @limit");
        Bind(command, "@mailbox", Normalize(mailbox));
        Bind(command, "@limit", limit);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Hold>> ListByStateAsync(HoldState state, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            $"SELECT {Columns} FROM holds WHERE state = @state ORDER BY release_at, id");
        Bind(command, "@state", HoldWireNames.States.Name(state));
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> CountByStateAsync(HoldState state, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT COUNT(*) FROM holds WHERE state = @state");
        Bind(command, "@state", HoldWireNames.States.Name(state));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<Hold?> TryUpdateAsync(Hold updated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updated);
        return await WriteAsync(async connection =>
        {
            await using var command = Command(connection, Update);
            Bind(command, "@id", Id(updated.Id));
            Bind(command, "@version", updated.Version);
            Bind(command, "@message_id", updated.MessageId);
            BindChangeable(command, updated);
            // No row back: the id is unknown or another writer moved the version on. Either way nothing changed.
            return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Hold?> LatestHoldOfMessageAsync(string mailbox, string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // holds_by_mailbox narrows this to the mailbox's own holds. A draft held twice (the first hold cancelled)
        // answers with its latest hold.
        await using var command = Command(connection,
            $"SELECT {Columns} FROM holds WHERE mailbox = @mailbox AND message_id = @message_id ORDER BY created_at DESC, id DESC LIMIT 1");
        Bind(command, "@mailbox", Normalize(mailbox));
        Bind(command, "@message_id", messageId);
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    public async Task<string?> GetCursorAsync(string mailbox, string feed, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            "SELECT delta_link FROM mailbox_cursors WHERE mailbox = @mailbox AND feed = @feed");
        Bind(command, "@mailbox", Normalize(mailbox));
        Bind(command, "@feed", feed);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    public async Task SetCursorAsync(string mailbox, string feed, string deltaLink, CancellationToken cancellationToken)
    {
        await WriteAsync(async connection =>
        {
            await using var command = Command(connection, Upsert);
            Bind(command, "@mailbox", Normalize(mailbox));
            Bind(command, "@feed", feed);
            Bind(command, "@delta_link", deltaLink);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryAddDeferralAsync(Deferral deferral, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deferral);
        return await WriteAsync(async connection =>
        {
            await using var command = Command(connection,
                $"INSERT INTO deferrals ({DeferralColumns}) VALUES (@id, @mailbox, @department, @deferred_at, @release_at, " +
                "@reasons, @cause, @reported_at) ON CONFLICT (id) DO NOTHING");
            Bind(command, "@id", Id(deferral.Id));
            Bind(command, "@mailbox", Normalize(deferral.Mailbox));
            Bind(command, "@department", deferral.Department);
            Bind(command, "@deferred_at", deferral.DeferredAt.ToUnixTimeMilliseconds());
            Bind(command, "@release_at", deferral.ReleaseAt.ToUnixTimeMilliseconds());
            Bind(command, "@reasons", (int)deferral.Reasons);
            Bind(command, "@cause", HoldWireNames.DeferralCauses.Name(deferral.Cause));
            Bind(command, "@reported_at", deferral.ReportedAt.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Deferral>> ListDeferralsByMailboxAsync(string mailbox, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            $"SELECT {DeferralColumns} FROM deferrals WHERE mailbox = @mailbox ORDER BY deferred_at DESC, id DESC LIMIT @limit");
        Bind(command, "@mailbox", Normalize(mailbox));
        Bind(command, "@limit", limit);
        var deferrals = new List<Deferral>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            deferrals.Add(new Deferral(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                Instant(reader.GetInt64(3)),
                Instant(reader.GetInt64(4)),
                (HoldReasons)reader.GetInt32(5),
                HoldWireNames.DeferralCauses.Parse(reader.GetString(6)),
                Instant(reader.GetInt64(7))));
        }

        return deferrals;
    }

    // User principal names compare case-insensitively in Entra ID; one stored spelling lets the indexes serve
    // every lookup. Lower case because that is how UPNs are conventionally written and read in the database.
    private static string Normalize(string mailbox) => mailbox.ToLowerInvariant();

    private static DateTimeOffset Instant(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    /// <summary>The columns an update may change (all but the identity and the version).</summary>
    private static void BindChangeable(DbCommand command, Hold hold)
    {
        Bind(command, "@department", hold.Department);
        Bind(command, "@source", HoldWireNames.Sources.Name(hold.Source));
        Bind(command, "@state", HoldWireNames.States.Name(hold.State));
        Bind(command, "@reasons", (int)hold.Reasons);
        Bind(command, "@release_at", hold.ReleaseAt.ToUnixTimeMilliseconds());
        Bind(command, "@updated_at", hold.UpdatedAt.ToUnixTimeMilliseconds());
        Bind(command, "@send_started_at", hold.SendStartedAt?.ToUnixTimeMilliseconds());
        Bind(command, "@completed_at", hold.CompletedAt?.ToUnixTimeMilliseconds());
        Bind(command, "@override_reason", hold.Override is { } reason ? HoldWireNames.OverrideReasons.Name(reason) : null);
        Bind(command, "@failure_reason", hold.FailureReason);
        Bind(command, "@awaiting_sync", hold.AwaitingSync);
    }

    private static async Task<List<Hold>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var holds = new List<Hold>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            holds.Add(new Hold(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                HoldWireNames.Sources.Parse(reader.GetString(4)),
                HoldWireNames.States.Parse(reader.GetString(5)),
                (HoldReasons)reader.GetInt32(6),
                Instant(reader.GetInt64(7)),
                Instant(reader.GetInt64(8)),
                Instant(reader.GetInt64(9)),
                reader.IsDBNull(10) ? null : Instant(reader.GetInt64(10)),
                reader.IsDBNull(11) ? null : Instant(reader.GetInt64(11)),
                reader.IsDBNull(12) ? null : HoldWireNames.OverrideReasons.Parse(reader.GetString(12)),
                reader.IsDBNull(13) ? null : reader.GetString(13),
                reader.GetInt32(14),
                reader.IsDBNull(15) ? null : reader.GetGuid(15),
                reader.GetBoolean(16)));
        }

        return holds;
    }

    // SQLite columns are typed by their values, and Microsoft.Data.Sqlite binds a Guid as a 16-byte blob: text
    // keeps the ids readable and comparable with the ones Quartz stores in its job data. PostgreSQL has uuid.
    private object Id(Guid id) => settings.Provider == SchedulingProvider.Sqlite ? id.ToString("D") : id;

    private async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        if (writes is not null)
        {
            await writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            return await write(connection).ConfigureAwait(false);
        }
        finally
        {
            writes?.Release();
        }
    }

    private Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => Sql.OpenAsync(settings, cancellationToken);
}
