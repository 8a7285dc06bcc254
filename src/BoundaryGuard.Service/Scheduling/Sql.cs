using System.Data.Common;

namespace BoundaryGuard.Service.Scheduling;

/// <summary>The ADO.NET steps every store over the service database takes, on SQLite or PostgreSQL alike.</summary>
internal static class Sql
{
    /// <summary>An open connection to the service database (closed again if opening fails).</summary>
    public static async Task<DbConnection> OpenAsync(SchedulingOptions settings, CancellationToken cancellationToken)
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

    public static DbCommand Command(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Adds a named parameter; null is stored as SQL NULL.</summary>
    public static void Bind(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
