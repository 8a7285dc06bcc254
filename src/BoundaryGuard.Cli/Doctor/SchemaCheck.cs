using System.Data.Common;
using BoundaryGuard.Service.Scheduling;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace BoundaryGuard.Cli.Doctor;

/// <summary>
/// The database's applied migrations (<c>schema_migrations</c>, written by <see cref="SchemaMigrator"/>) against the
/// ones this build embeds. Read-only: the doctor never migrates, the service does at its start.
/// </summary>
internal static class SchemaCheck
{
    private const string Name = "database";

    private const string StartTheService = "start this build's service once: it migrates at start (the doctor never migrates)";

    public static async Task<Finding> RunAsync(IConfiguration configuration)
    {
        var options = configuration.GetSection(SchedulingOptions.Section).Get<SchedulingOptions>() ?? new SchedulingOptions();
        var shipped = SchemaMigrator.Migrations(options.Provider);
        IReadOnlySet<int> applied;
        try
        {
            await using var connection = Open(options);
            if (connection is null)
            {
                return Finding.Fail(Name, $"no SQLite database file where Scheduling:ConnectionString points (relative paths are from this directory): {StartTheService}");
            }

            await connection.OpenAsync().ConfigureAwait(false);
            applied = await SchemaMigrator.AppliedAsync(connection, options.Provider, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or ArgumentException or InvalidOperationException)
        {
            // The connection string may hold a password: only the exception's type is printed.
            return Finding.Fail(Name, $"cannot read the {options.Provider} database ({e.GetType().Name}): check Scheduling:ConnectionString");
        }

        var latest = shipped[^1];
        var missing = shipped.Where(m => !applied.Contains(m.Version)).ToList();
        var newer = applied.Where(v => v > latest.Version).Order().ToList();
        return (applied.Count, newer.Count, missing.Count) switch
        {
            (0, _, _) => Finding.Fail(Name, $"the database is not migrated (no schema_migrations rows): {StartTheService}"),
            (_, > 0, _) => Finding.Fail(Name,
                $"the database has version {string.Join(", ", newer)}, newer than this build's {latest.Version}: run the doctor of the version that is deployed"),
            (_, _, > 0) => Finding.Fail(Name,
                $"the schema is not current: {missing.Count} of {shipped.Count} migrations not applied ({string.Join(", ", missing.Select(m => m.Name))}): {StartTheService}"),
            _ => Finding.Ok(Name, $"current ({options.Provider}, {shipped.Count} migrations, the last {latest.Name})"),
        };
    }

    /// <summary>A read-only connection; null for a SQLite file that does not exist (opening it would create it).</summary>
    private static DbConnection? Open(SchedulingOptions options)
    {
        if (options.Provider == SchedulingProvider.PostgreSQL)
        {
            var postgres = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Options = "-c default_transaction_read_only=on" };
            return new NpgsqlConnection(postgres.ConnectionString);
        }

        var sqlite = new SqliteConnectionStringBuilder(options.ConnectionString);
        if (string.IsNullOrWhiteSpace(sqlite.DataSource) || !File.Exists(Path.GetFullPath(sqlite.DataSource)))
        {
            return null;
        }

        sqlite.Mode = SqliteOpenMode.ReadOnly;
        return new SqliteConnection(sqlite.ConnectionString);
    }
}
