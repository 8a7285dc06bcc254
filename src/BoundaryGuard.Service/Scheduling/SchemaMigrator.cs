using System.Data.Common;
using System.Globalization;
using System.Reflection;
using BoundaryGuard.Service.Scorecards;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BoundaryGuard.Service.Scheduling;

/// <summary>
/// Brings the scheduling database to the latest schema this build ships. Quartz's NuGet package does not
/// migrate a schema forward (its provisioning only ever creates), so the versions live here, one embedded
/// SQL file per version and provider, recorded in <c>schema_migrations</c>.
/// </summary>
public sealed class SchemaMigrator(IOptions<SchedulingOptions> options, TimeProvider timeProvider)
{
    // Any constant shared by every node: it only has to be the same number wherever this code runs.
    private const long PostgresAdvisoryLockKey = 0x426F756E64617279;

    public static IReadOnlyList<Migration> Migrations(SchedulingProvider provider)
    {
        var folder = provider == SchedulingProvider.PostgreSQL ? "PostgreSQL" : "Sqlite";
        // Embedded under their default manifest names: namespace-style, folder segments joined by dots.
        var prefix = $"BoundaryGuard.Service.Scheduling.Migrations.{folder}.";
        var assembly = typeof(SchemaMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(name =>
            {
                var file = name[prefix.Length..];
                var version = int.Parse(file[..file.IndexOf('_', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
                return new Migration(version, file, ReadResource(assembly, name));
            })
            .OrderBy(m => m.Version)
            .ToList();
    }

    /// <returns>The versions applied by this call, in order (empty when the schema was already current).</returns>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = Open(settings);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (settings.Provider == SchedulingProvider.Sqlite)
        {
            // Quartz and the hold store share the file through several connections. With the write-ahead log a
            // reader never waits for a writer; writers still take turns (see SqliteConnections). The mode is kept
            // in the file, and SQLite refuses to change it inside a transaction: hence here, not in a migration.
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL", cancellationToken).ConfigureAwait(false);
            // Migration 0005 keys the metric events stored before it as the store keys new ones.
            ((SqliteConnection)connection).CreateFunction<string, byte[]>("metric_key_hash", SqlMetricStore.KeyHash, isDeterministic: true);
        }

        // One transaction for the whole run: a node that starts while another migrates waits for it, then
        // finds the versions recorded and applies nothing, and a failed migration leaves no half-made schema.
        await using var transaction = await BeginAsync(connection, settings.Provider, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL, applied_at VARCHAR(40) NOT NULL)",
            cancellationToken).ConfigureAwait(false);

        var applied = new HashSet<int>();
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT version FROM schema_migrations";
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied.Add(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture));
            }
        }

        var now = timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        var done = new List<int>();
        foreach (var migration in Migrations(settings.Provider).Where(m => !applied.Contains(m.Version)))
        {
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @appliedAt)";
            AddParameter(record, "@version", migration.Version);
            AddParameter(record, "@name", migration.Name);
            AddParameter(record, "@appliedAt", now);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            done.Add(migration.Version);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return done;
    }

    /// <summary>
    /// The migrations this build ships that the database has not applied, read-only (nothing is created or changed):
    /// what the readiness probe and <c>boundaryguard doctor</c> report. A database without the migrations table has
    /// none applied.
    /// </summary>
    public static async Task<IReadOnlyList<Migration>> PendingAsync(SchedulingOptions settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using var connection = Open(settings);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var applied = await AppliedAsync(connection, settings.Provider, cancellationToken).ConfigureAwait(false);
        return [.. Migrations(settings.Provider).Where(m => !applied.Contains(m.Version))];
    }

    /// <summary>The versions recorded in <c>schema_migrations</c> on an open connection; none when there is no such table.</summary>
    public static async Task<IReadOnlySet<int>> AppliedAsync(DbConnection connection, SchedulingProvider provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var exists = connection.CreateCommand();
        exists.CommandText = provider == SchedulingProvider.PostgreSQL
            ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
            : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
        var applied = new HashSet<int>();
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0)
        {
            await using var read = connection.CreateCommand();
            read.CommandText = "SELECT version FROM schema_migrations";
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied.Add(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture));
            }
        }

        return applied;
    }

    internal static DbConnection Open(SchedulingOptions settings) => settings.Provider switch
    {
        SchedulingProvider.PostgreSQL => new NpgsqlConnection(settings.ConnectionString),
        _ => SqliteConnections.Create(settings.ConnectionString),
    };

    private static async Task<DbTransaction> BeginAsync(DbConnection connection, SchedulingProvider provider, CancellationToken cancellationToken)
    {
        if (connection is SqliteConnection sqlite)
        {
            // IMMEDIATE takes the write lock up front, so a second process cannot read "not applied" and then
            // race this one to apply the same version.
            return sqlite.BeginTransaction(deferred: false);
        }

        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (provider == SchedulingProvider.PostgreSQL)
        {
            // Cluster nodes start together; the advisory lock serializes their migration runs until commit.
            await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PostgresAdvisoryLockKey})", cancellationToken)
                .ConfigureAwait(false);
        }

        return transaction;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

public sealed record Migration(int Version, string Name, string Sql);
