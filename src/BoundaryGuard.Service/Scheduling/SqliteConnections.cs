using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Quartz.Impl.AdoJobStore.Common;

namespace BoundaryGuard.Service.Scheduling;

/// <summary>
/// SQLite connections for Quartz and the hold store, which take turns writing to one file. Microsoft.Data.Sqlite
/// answers a busy database by sleeping 150 ms and trying again; with Quartz's workers, its scheduler thread and the
/// hold store all writing, those sleeps were most of a release's time (measured: eight writers at once made holds
/// slower than one at a time). SQLite's own busy handler waits in steps of 1 to 100 ms instead, and hands the lock
/// over as soon as it is free: every connection sets it, for as long as the command timeout.
/// </summary>
internal static class SqliteConnections
{
    /// <summary>The Quartz name of Microsoft.Data.Sqlite's driver description.</summary>
    public const string QuartzProviderName = "SQLite-Microsoft";

    public static SqliteConnection Create(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.StateChange += SetBusyTimeout;
        return connection;
    }

    private static void SetBusyTimeout(object sender, StateChangeEventArgs e)
    {
        if (e.CurrentState != ConnectionState.Open)
        {
            return;
        }

        var connection = (SqliteConnection)sender;
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {connection.DefaultTimeout * 1000}";
        command.ExecuteNonQuery();
    }

    /// <summary>Quartz's connections to the same file, set up the same way.</summary>
    internal sealed class QuartzProvider(string connectionString) : DbProvider(QuartzProviderName, connectionString)
    {
        public override DbConnection CreateConnection() => Create(ConnectionString);
    }
}
