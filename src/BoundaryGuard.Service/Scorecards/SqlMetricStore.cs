using System.Data.Common;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Scheduling;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;
using static BoundaryGuard.Service.Scheduling.Sql;

namespace BoundaryGuard.Service.Scorecards;

/// <summary>
/// <see cref="IMetricStore"/> over the service database. A batch is one transaction: its new events, then the
/// rollups of exactly those events (each sender's week and the department's, <see cref="MetricWeek.Everyone"/>), summed
/// in memory first so each rollup row is written once per batch, in key order. An event is known by the hash of its
/// key (<see cref="KeyHash"/>). PostgreSQL takes the events by binary COPY and the rollups as arrays, one statement
/// each, since a round trip per row would be the cost of it; SQLite goes row by row with prepared statements driven
/// through SQLitePCL (see <see cref="SqliteStatement"/>).
/// </summary>
internal sealed class SqlMetricStore(IOptions<SchedulingOptions> options) : IMetricStore
{
    private static readonly string[] EventColumns =
    [
        "key_hash", "kind", "at", "sender", "department", "local_day", "local_hour", "iso_week", "period", "reasons",
        "trainees", "faculty", "staff", "external", "override_reason", "source", "hold_minutes",
    ];

    private static readonly NpgsqlDbType[] PostgresTypes =
    [
        NpgsqlDbType.Bytea, NpgsqlDbType.Text, NpgsqlDbType.Bigint, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Integer,
        NpgsqlDbType.Integer, NpgsqlDbType.Integer, NpgsqlDbType.Integer, NpgsqlDbType.Integer, NpgsqlDbType.Integer,
        NpgsqlDbType.Integer, NpgsqlDbType.Integer, NpgsqlDbType.Integer, NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.Integer,
    ];

    private static readonly string[] WeekColumns = ["department", "week", "sender", .. MetricWeek.CounterColumns];

    private static readonly string AddToWeek = string.Join(", ", MetricWeek.CounterColumns.Select(c => $"{c} = metric_weeks.{c} + excluded.{c}"));

    private static readonly string[] MinuteColumns = ["department", "week", "sender", "bucket", "count"];

    private const string AddToMinutes =
        "ON CONFLICT (department, week, sender, bucket) DO UPDATE SET count = metric_hold_minutes.count + excluded.count";

    private readonly SchedulingOptions settings = options.Value;

    private bool Postgres => settings.Provider == SchedulingProvider.PostgreSQL;

    /// <summary>
    /// What an event's key is stored as: the first 16 bytes of its SHA-256. A key (a Sent Items message id runs to
    /// some 200 characters) is only ever looked up, never read back, and 128 bits make a clash between two of a
    /// lifetime's events (some 10^9) about as likely as 10^-20.
    /// </summary>
    public static byte[] KeyHash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16).ToArray();

    public async Task<int> AppendAsync(IReadOnlyList<MetricEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var unique = events.DistinctBy(e => e.Key).ToList();
        if (unique.Count == 0)
        {
            return 0;
        }

        var rows = unique.ConvertAll(Values);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var pageCache = Postgres ? null : new BatchPageCache(connection);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var stored = Postgres
            ? await InsertPostgresAsync(connection, transaction, unique, rows, cancellationToken).ConfigureAwait(false)
            : InsertRows(connection, unique, rows, cancellationToken);
        var (weeks, minutes) = Rollups(stored);
        if (Postgres)
        {
            await AddArraysAsync(connection, $"INSERT INTO metric_weeks ({string.Join(", ", WeekColumns)}) SELECT * FROM unnest(" +
                string.Join(", ", WeekColumns.Select(c => $"@{c}::{TypeOf(c).ToString().ToLowerInvariant()}[]")) +
                $") ON CONFLICT (department, week, sender) DO UPDATE SET {AddToWeek}", WeekColumns, weeks, cancellationToken).ConfigureAwait(false);
            await AddArraysAsync(connection, $"INSERT INTO metric_hold_minutes ({string.Join(", ", MinuteColumns)}) " +
                $"SELECT * FROM unnest(@department::text[], @week::integer[], @sender::text[], @bucket::integer[], @count::integer[]) {AddToMinutes}",
                MinuteColumns, minutes, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            AddRows(connection, $"INSERT INTO metric_weeks ({string.Join(", ", WeekColumns)}) VALUES ({string.Join(", ", WeekColumns.Select(c => "@" + c))}) " +
                $"ON CONFLICT (department, week, sender) DO UPDATE SET {AddToWeek}", weeks);
            AddRows(connection, $"INSERT INTO metric_hold_minutes ({string.Join(", ", MinuteColumns)}) VALUES (@department, @week, @sender, @bucket, @count) {AddToMinutes}",
                minutes);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return stored.Count;
    }

    public async Task<MetricEvent?> FindAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, $"SELECT {string.Join(", ", EventColumns)} FROM metric_events WHERE key_hash = @key");
        Bind(command, "@key", KeyHash(key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadEvent(key, reader) : null;
    }

    public async Task<IReadOnlyList<MetricEvent>> EventsAsync(
        string department, IReadOnlyCollection<MetricKind> kinds, Instant from, Instant until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var names = kinds.Select(MetricWireNames.Kinds.Name).ToList();
        var events = new List<MetricEvent>();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            $"SELECT {string.Join(", ", EventColumns)} FROM metric_events WHERE department = @department " +
            "AND iso_week BETWEEN @fromWeek AND @untilWeek AND at >= @from AND at < @until " +
            $"AND kind IN ({string.Join(", ", names.Select((_, i) => $"@kind{i}"))})");
        Bind(command, "@department", department);
        Bind(command, "@from", from.ToUnixTimeMilliseconds());
        Bind(command, "@until", until.ToUnixTimeMilliseconds());
        // The index is by the sender's local ISO week; a day either side covers every zone.
        Bind(command, "@fromWeek", IsoWeeks.Of(from.Minus(Duration.FromDays(1)).InUtc().Date));
        Bind(command, "@untilWeek", IsoWeeks.Of(until.Plus(Duration.FromDays(1)).InUtc().Date));
        for (var i = 0; i < names.Count; i++)
        {
            Bind(command, $"@kind{i}", names[i]);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(ReadEvent(Convert.ToHexString(reader.GetFieldValue<byte[]>(0)), reader));
        }

        return events;
    }

    public async Task<IReadOnlyList<MetricWeek>> WeeksAsync(string? department, string? sender, int fromWeek, int toWeek, CancellationToken cancellationToken)
    {
        var weeks = new List<MetricWeek>();
        var counters = new long[MetricWeek.CounterColumns.Length];
        await foreach (var r in QueryAsync("metric_weeks", WeekColumns, department, sender, fromWeek, toWeek, cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < counters.Length; i++)
            {
                counters[i] = r.GetInt64(3 + i);
            }

            weeks.Add(MetricWeek.FromCounters(r.GetString(0), r.GetInt32(1), r.GetString(2), counters));
        }

        return weeks;
    }

    public async Task<IReadOnlyList<HoldMinutesBucket>> HoldMinutesAsync(
        string? department, string? sender, int fromWeek, int toWeek, CancellationToken cancellationToken)
    {
        var buckets = new List<HoldMinutesBucket>();
        await foreach (var r in QueryAsync("metric_hold_minutes", MinuteColumns, department, sender, fromWeek, toWeek, cancellationToken).ConfigureAwait(false))
        {
            buckets.Add(new HoldMinutesBucket(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetInt32(3), r.GetInt64(4)));
        }

        return buckets;
    }

    public async Task<IReadOnlyList<(string Department, string Sender)>> SendersAsync(
        string? department, int fromWeek, int toWeek, CancellationToken cancellationToken)
    {
        var senders = new List<(string, string)>();
        await foreach (var r in QueryAsync("metric_weeks", ["DISTINCT department", "sender"], department, null, fromWeek, toWeek, cancellationToken)
                           .ConfigureAwait(false))
        {
            senders.Add((r.GetString(0), r.GetString(1)));
        }

        return senders;
    }

    /// <summary>Rows of a rollup table in [from, to]: of one department or all, one sender (or everyone's sum) or each sender.</summary>
    private async IAsyncEnumerable<DbDataReader> QueryAsync(
        string table, IEnumerable<string> columns, string? department, string? sender, int fromWeek, int toWeek,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            $"SELECT {string.Join(", ", columns)} FROM {table} WHERE week BETWEEN @from AND @to" +
            (department is null ? "" : " AND department = @department") +
            (sender is null ? $" AND sender <> '{MetricWeek.Everyone}'" : " AND sender = @sender"));
        Bind(command, "@from", fromWeek);
        Bind(command, "@to", toWeek);
        if (department is not null)
        {
            Bind(command, "@department", department);
        }

        if (sender is not null)
        {
            Bind(command, "@sender", sender);
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return reader;
        }
    }

    /// <summary>The rollup rows of some new events: each sender's weeks and their departments' (<see cref="MetricWeek.Everyone"/>).</summary>
    private static (List<object?[]> Weeks, List<object?[]> Minutes) Rollups(List<MetricEvent> events)
    {
        var weeks = new Dictionary<(string Department, int Week, string Sender), long[]>();
        var minutes = new Dictionary<(string Department, int Week, string Sender, int Bucket), long>();
        foreach (var e in events)
        {
            var counters = MetricWeek.Of(e).Counters();
            foreach (var sender in (ReadOnlySpan<string>)[e.Sender, MetricWeek.Everyone])
            {
                ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(weeks, (e.Department, e.IsoWeek, sender), out _);
                sum ??= new long[counters.Length];
                for (var i = 0; i < counters.Length; i++)
                {
                    sum[i] += counters[i];
                }

                if (e.HoldMinutes is { } held)
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(minutes, (e.Department, e.IsoWeek, sender, HoldMinutesBucket.For(held)), out _)++;
                }
            }
        }

        // In key order: rows of a department's week lie together, and two batches never wait on each other's rows
        // in opposite orders.
        return (
            [.. weeks.OrderBy(w => w.Key.Department, StringComparer.Ordinal).ThenBy(w => w.Key.Week).ThenBy(w => w.Key.Sender, StringComparer.Ordinal)
                .Select(w => (object?[])[w.Key.Department, w.Key.Week, w.Key.Sender, .. w.Value.Select(c => (object?)c)])],
            [.. minutes.OrderBy(m => m.Key.Department, StringComparer.Ordinal).ThenBy(m => m.Key.Week).ThenBy(m => m.Key.Sender, StringComparer.Ordinal)
                .ThenBy(m => m.Key.Bucket)
                .Select(m => (object?[])[m.Key.Department, m.Key.Week, m.Key.Sender, m.Key.Bucket, m.Value])]);
    }

    private static List<MetricEvent> InsertRows(DbConnection connection, List<MetricEvent> events, List<object?[]> rows, CancellationToken cancellationToken)
    {
        using var insert = new SqliteStatement(connection,
            $"INSERT INTO metric_events ({string.Join(", ", EventColumns)}) VALUES ({string.Join(", ", EventColumns.Select(c => "@" + c))}) " +
            "ON CONFLICT (key_hash) DO NOTHING");
        var stored = new List<MetricEvent>(events.Count);
        for (var row = 0; row < rows.Count; row++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (insert.Run(rows[row]) == 1)
            {
                stored.Add(events[row]);
            }
        }

        return stored;
    }

    private static void AddRows(DbConnection connection, string sql, List<object?[]> rows)
    {
        using var upsert = new SqliteStatement(connection, sql);
        foreach (var row in rows)
        {
            upsert.Run(row);
        }
    }

    /// <summary>
    /// New events go in by binary COPY, which costs PostgreSQL less than INSERT ... ON CONFLICT and sends nothing
    /// back; a batch holding an event stored before (a retry) fails there as a whole and goes in by INSERT instead.
    /// </summary>
    private static async Task<List<MetricEvent>> InsertPostgresAsync(
        DbConnection connection, DbTransaction transaction, List<MetricEvent> events, List<object?[]> rows, CancellationToken cancellationToken)
    {
        await transaction.SaveAsync("copy", cancellationToken).ConfigureAwait(false);
        try
        {
            await using var copy = await ((NpgsqlConnection)connection)
                .BeginBinaryImportAsync($"COPY metric_events ({string.Join(", ", EventColumns)}) FROM STDIN (FORMAT BINARY)", cancellationToken)
                .ConfigureAwait(false);
            foreach (var row in rows)
            {
                await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < row.Length; i++)
                {
                    await (row[i] is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(row[i], PostgresTypes[i], cancellationToken))
                        .ConfigureAwait(false);
                }
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return events;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync("copy", cancellationToken).ConfigureAwait(false);
        }

        await using var command = Command(connection,
            $"INSERT INTO metric_events ({string.Join(", ", EventColumns)}) SELECT * FROM unnest(" +
            string.Join(", ", EventColumns.Select(c => $"@{c}::{TypeOf(c).ToString().ToLowerInvariant()}[]")) +
            ") ON CONFLICT (key_hash) DO NOTHING RETURNING key_hash");
        BindArrays(command, EventColumns, rows);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                keys.Add(Convert.ToBase64String(reader.GetFieldValue<byte[]>(0)));
            }
        }

        return [.. events.Where((e, i) => keys.Contains(Convert.ToBase64String((byte[])rows[i][0]!)))];
    }

    private static async Task AddArraysAsync(DbConnection connection, string sql, string[] columns, List<object?[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var command = Command(connection, sql);
        BindArrays(command, columns, rows);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One array per column, of its type (columns not named text or bytea are integer, but for bigint "at").</summary>
    private static void BindArrays(DbCommand command, string[] columns, List<object?[]> rows)
    {
        for (var i = 0; i < columns.Length; i++)
        {
            var column = i;
            Bind(command, "@" + columns[i], TypeOf(columns[i]) switch
            {
                NpgsqlDbType.Text => rows.Select(r => (string?)r[column]).ToArray(),
                NpgsqlDbType.Bytea => rows.Select(r => (byte[])r[column]!).ToArray(),
                NpgsqlDbType.Bigint => rows.Select(r => (long)r[column]!).ToArray(),
                _ => (object)rows.Select(r => r[column] is null ? (int?)null : Convert.ToInt32(r[column], CultureInfo.InvariantCulture)).ToArray(),
            });
        }
    }

    private static NpgsqlDbType TypeOf(string column) =>
        Array.IndexOf(EventColumns, column) is >= 0 and var i ? PostgresTypes[i]
        : column is "department" or "sender" ? NpgsqlDbType.Text
        : NpgsqlDbType.Integer;

    /// <summary>An event's column values, in <see cref="EventColumns"/> order.</summary>
    private static object?[] Values(MetricEvent e) =>
    [
        KeyHash(e.Key),
        MetricWireNames.Kinds.Name(e.Kind),
        e.At.ToUnixTimeMilliseconds(),
        e.Sender.ToLowerInvariant(),
        e.Department,
        (e.LocalDay.Year * 10000) + (e.LocalDay.Month * 100) + e.LocalDay.Day,
        e.LocalHour,
        e.IsoWeek,
        (int)e.Period,
        (int)e.Reasons,
        e.Recipients.Trainees,
        e.Recipients.Faculty,
        e.Recipients.Staff,
        e.Recipients.External,
        e.Override is { } reason ? HoldWireNames.OverrideReasons.Name(reason) : null,
        e.Source is { } source ? HoldWireNames.Sources.Name(source) : null,
        e.HoldMinutes,
    ];

    private static MetricEvent ReadEvent(string key, DbDataReader r)
    {
        var day = r.GetInt32(5);
        return new MetricEvent(
            key,
            MetricWireNames.Kinds.Parse(r.GetString(1)),
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)),
            r.GetString(3),
            r.GetString(4),
            new LocalDate(day / 10000, day / 100 % 100, day % 100),
            r.GetInt32(6),
            (MetricPeriod)r.GetInt32(8),
            (HoldReasons)r.GetInt32(9),
            new RecipientCounts(r.GetInt32(10), r.GetInt32(11), r.GetInt32(12), r.GetInt32(13)),
            r.IsDBNull(14) ? null : HoldWireNames.OverrideReasons.Parse(r.GetString(14)),
            r.IsDBNull(15) ? null : HoldWireNames.Sources.Parse(r.GetString(15)),
            r.IsDBNull(16) ? null : r.GetInt32(16));
    }

    private Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => Sql.OpenAsync(settings, cancellationToken);

    /// <summary>
    /// A bigger SQLite page cache, up to 1 GB, for the time of one batch. A batch's events land all over the key index
    /// (keys are hashes), so a large batch dirties most of its pages, and with too small a cache SQLite spills them to
    /// the log in mid-batch and reads them back. Pages are only taken as needed,
    /// and the size is put back afterwards: the connection returns to the pool, where the hold store and Quartz use it
    /// too, as it came. Loading 10,000,000 events in batches of 100,000 went at 51,000 events/s with 64 MB, 58,000 with
    /// this.
    /// </summary>
    private sealed class BatchPageCache : IDisposable
    {
        private const int KibiBytes = 1024 * 1024;

        private readonly DbConnection connection;
        private readonly object previous;

        public BatchPageCache(DbConnection connection)
        {
            this.connection = connection;
            using var read = Command(connection, "PRAGMA cache_size");
            previous = read.ExecuteScalar()!;
            Set(-KibiBytes);
        }

        public void Dispose() => Set(previous);

        private void Set(object size)
        {
            using var set = Command(connection, $"PRAGMA cache_size = {size}");
            set.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// One SQLite statement on a connection Microsoft.Data.Sqlite opened, driven through SQLitePCL, the library
    /// Microsoft.Data.Sqlite itself is built on: it runs in the connection's transaction like any command, but binds
    /// values by position without ADO.NET's bookkeeping on every call (each parameter looked up by name and
    /// type-checked per execution), which for a batch of events cost about as much as SQLite's own work.
    /// </summary>
    private sealed class SqliteStatement : IDisposable
    {
        private readonly sqlite3 database;
        private readonly sqlite3_stmt statement;

        public SqliteStatement(DbConnection connection, string sql)
        {
            database = ((SqliteConnection)connection).Handle!;
            Check(raw.sqlite3_prepare_v2(database, sql, out statement));
        }

        /// <summary>Runs the statement with these values for its parameters, in order; the rows it changed.</summary>
        public int Run(object?[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                Check(values[i] switch
                {
                    null => raw.sqlite3_bind_null(statement, i + 1),
                    string text => raw.sqlite3_bind_text(statement, i + 1, text),
                    byte[] bytes => raw.sqlite3_bind_blob(statement, i + 1, bytes),
                    long number => raw.sqlite3_bind_int64(statement, i + 1, number),
                    int number => raw.sqlite3_bind_int(statement, i + 1, number),
                    var other => throw new ArgumentException($"No SQLite value for a {other.GetType().Name}.", nameof(values)),
                });
            }

            var result = raw.sqlite3_step(statement);
            raw.sqlite3_reset(statement);
            if (result != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(result, database);
            }

            return raw.sqlite3_changes(database);
        }

        public void Dispose() => statement.Dispose();

        private void Check(int result)
        {
            if (result != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(result, database);
            }
        }
    }
}
