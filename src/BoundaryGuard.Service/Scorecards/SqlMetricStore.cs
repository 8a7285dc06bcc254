using System.Data.Common;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Scheduling;
using Microsoft.Extensions.Options;
using NodaTime;

namespace BoundaryGuard.Service.Scorecards;

/// <summary>
/// <see cref="IMetricStore"/> over the service database. A batch is one transaction: its new events, then the
/// rollups of exactly those events, summed in memory first so each rollup row is written once per batch. SQLite
/// inserts row by row with one prepared statement (fast in a transaction); PostgreSQL takes each batch as arrays in
/// one statement, since a round trip per row would be the cost of it.
/// </summary>
internal sealed class SqlMetricStore(IOptions<SchedulingOptions> options) : IMetricStore
{
    private static readonly string[] EventColumns =
    [
        "key", "kind", "at", "sender", "department", "local_day", "local_hour", "iso_week", "period", "reasons",
        "trainees", "faculty", "staff", "external", "override_reason", "source", "hold_minutes",
    ];

    private static readonly string WeekColumns = "department, week, sender, " + string.Join(", ", MetricWeek.CounterColumns);

    private static readonly string AddToWeek = string.Join(", ", MetricWeek.CounterColumns.Select(c => $"{c} = metric_weeks.{c} + excluded.{c}"));

    private readonly SchedulingOptions settings = options.Value;

    private bool Postgres => settings.Provider == SchedulingProvider.PostgreSQL;

    public async Task<int> AppendAsync(IReadOnlyList<MetricEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var unique = events.DistinctBy(e => e.Key).ToList();
        if (unique.Count == 0)
        {
            return 0;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var stored = Postgres
            ? await InsertArraysAsync(connection, unique, cancellationToken).ConfigureAwait(false)
            : await InsertRowsAsync(connection, unique, cancellationToken).ConfigureAwait(false);
        var weeks = stored.Select(MetricWeek.Of)
            .GroupBy(w => (w.Department, w.Week, w.Sender))
            .Select(g => g.Aggregate((a, b) => a.Plus(b)))
            .ToList();
        var minutes = stored.Where(e => e.HoldMinutes is not null)
            .GroupBy(e => (e.Department, e.IsoWeek, e.Sender, Bucket: HoldMinutesBucket.For(e.HoldMinutes!.Value)))
            .Select(g => new HoldMinutesBucket(g.Key.Department, g.Key.IsoWeek, g.Key.Sender, g.Key.Bucket, g.Count()))
            .ToList();
        await AddWeeksAsync(connection, weeks, cancellationToken).ConfigureAwait(false);
        await AddMinutesAsync(connection, minutes, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return stored.Count;
    }

    public async Task<MetricEvent?> FindAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, $"SELECT {string.Join(", ", EventColumns)} FROM metric_events WHERE key = @key");
        Bind(command, "@key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadEvent(reader) : null;
    }

    public async Task<IReadOnlyList<MetricWeek>> WeeksAsync(string? department, int fromWeek, int toWeek, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            $"SELECT {WeekColumns} FROM metric_weeks WHERE week BETWEEN @from AND @to" +
            (department is null ? "" : " AND department = @department"));
        Bind(command, "@from", fromWeek);
        Bind(command, "@to", toWeek);
        if (department is not null)
        {
            Bind(command, "@department", department);
        }

        var weeks = new List<MetricWeek>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var counters = new long[MetricWeek.CounterColumns.Length];
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < counters.Length; i++)
            {
                counters[i] = reader.GetInt64(3 + i);
            }

            weeks.Add(MetricWeek.FromCounters(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), counters));
        }

        return weeks;
    }

    public async Task<IReadOnlyList<HoldMinutesBucket>> HoldMinutesAsync(string? department, int fromWeek, int toWeek, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            "SELECT department, week, sender, bucket, count FROM metric_hold_minutes WHERE week BETWEEN @from AND @to" +
            (department is null ? "" : " AND department = @department"));
        Bind(command, "@from", fromWeek);
        Bind(command, "@to", toWeek);
        if (department is not null)
        {
            Bind(command, "@department", department);
        }

        var buckets = new List<HoldMinutesBucket>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            buckets.Add(new HoldMinutesBucket(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt64(4)));
        }

        return buckets;
    }

    private static async Task<List<MetricEvent>> InsertRowsAsync(DbConnection connection, List<MetricEvent> events, CancellationToken cancellationToken)
    {
        await using var command = Command(connection,
            $"INSERT INTO metric_events ({string.Join(", ", EventColumns)}) VALUES ({string.Join(", ", EventColumns.Select(c => "@" + c))}) " +
            "ON CONFLICT (key) DO NOTHING");
        var parameters = EventColumns.Select(c => Bind(command, "@" + c, null)).ToArray();
        await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        var stored = new List<MetricEvent>(events.Count);
        foreach (var e in events)
        {
            var values = Values(e);
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                stored.Add(e);
            }
        }

        return stored;
    }

    private static async Task<List<MetricEvent>> InsertArraysAsync(DbConnection connection, List<MetricEvent> events, CancellationToken cancellationToken)
    {
        var rows = events.Select(Values).ToList();
        await using var command = Command(connection,
            $"INSERT INTO metric_events ({string.Join(", ", EventColumns)}) SELECT * FROM unnest(" +
            string.Join(", ", EventColumns.Select((c, i) => $"@{c}::{PostgresTypes[i]}[]")) +
            ") ON CONFLICT (key) DO NOTHING RETURNING key");
        for (var i = 0; i < EventColumns.Length; i++)
        {
            Bind(command, "@" + EventColumns[i], Column(rows, i, PostgresTypes[i]));
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                keys.Add(reader.GetString(0));
            }
        }

        return [.. events.Where(e => keys.Contains(e.Key))];
    }

    private static readonly string[] MinuteParameters = ["@department", "@week", "@sender", "@bucket", "@count"];

    private static readonly string[] PostgresTypes =
    [
        "text", "text", "bigint", "text", "text", "integer", "integer", "integer", "integer", "integer",
        "integer", "integer", "integer", "integer", "text", "text", "integer",
    ];

    // One typed array per column: Npgsql sends string[] as text[], long[] as bigint[], int?[] as integer[].
    private static object Column(List<object?[]> rows, int index, string type) => type switch
    {
        "text" => rows.Select(r => (string?)r[index]).ToArray(),
        "bigint" => rows.Select(r => (long)r[index]!).ToArray(),
        _ => rows.Select(r => (int?)r[index]).ToArray(),
    };

    private async Task AddWeeksAsync(DbConnection connection, List<MetricWeek> weeks, CancellationToken cancellationToken)
    {
        if (weeks.Count == 0)
        {
            return;
        }

        var columns = WeekColumns.Split(", ");
        if (Postgres)
        {
            await using var command = Command(connection,
                $"INSERT INTO metric_weeks ({WeekColumns}) SELECT * FROM unnest(@department::text[], @week::integer[], @sender::text[], " +
                string.Join(", ", MetricWeek.CounterColumns.Select(c => $"@{c}::integer[]")) +
                $") ON CONFLICT (department, week, sender) DO UPDATE SET {AddToWeek}");
            Bind(command, "@department", weeks.Select(w => w.Department).ToArray());
            Bind(command, "@week", weeks.Select(w => w.Week).ToArray());
            Bind(command, "@sender", weeks.Select(w => w.Sender).ToArray());
            for (var i = 0; i < MetricWeek.CounterColumns.Length; i++)
            {
                Bind(command, "@" + MetricWeek.CounterColumns[i], weeks.Select(w => (int)w.Counters()[i]).ToArray());
            }

            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var upsert = Command(connection,
            $"INSERT INTO metric_weeks ({WeekColumns}) VALUES ({string.Join(", ", columns.Select(c => "@" + c))}) " +
            $"ON CONFLICT (department, week, sender) DO UPDATE SET {AddToWeek}");
        var parameters = columns.Select(c => Bind(upsert, "@" + c, null)).ToArray();
        foreach (var week in weeks)
        {
            parameters[0].Value = week.Department;
            parameters[1].Value = week.Week;
            parameters[2].Value = week.Sender;
            var counters = week.Counters();
            for (var i = 0; i < counters.Length; i++)
            {
                parameters[3 + i].Value = counters[i];
            }

            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task AddMinutesAsync(DbConnection connection, List<HoldMinutesBucket> buckets, CancellationToken cancellationToken)
    {
        await using var command = Command(connection,
            "INSERT INTO metric_hold_minutes (department, week, sender, bucket, count) VALUES (@department, @week, @sender, @bucket, @count) " +
            "ON CONFLICT (department, week, sender, bucket) DO UPDATE SET count = metric_hold_minutes.count + excluded.count");
        var parameters = MinuteParameters.Select(n => Bind(command, n, null)).ToArray();
        foreach (var bucket in buckets)
        {
            parameters[0].Value = bucket.Department;
            parameters[1].Value = bucket.Week;
            parameters[2].Value = bucket.Sender;
            parameters[3].Value = bucket.Bucket;
            parameters[4].Value = bucket.Count;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An event's column values, in <see cref="EventColumns"/> order.</summary>
    private static object?[] Values(MetricEvent e) =>
    [
        e.Key,
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

    private static MetricEvent ReadEvent(DbDataReader r)
    {
        var day = r.GetInt32(5);
        return new MetricEvent(
            r.GetString(0),
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

    private static DbCommand Command(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static DbParameter Bind(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = SchemaMigrator.Open(settings);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
