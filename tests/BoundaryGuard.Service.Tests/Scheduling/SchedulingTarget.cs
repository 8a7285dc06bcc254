using BoundaryGuard.Service.Scheduling;
using Npgsql;

namespace BoundaryGuard.Service.Tests.Scheduling;

/// <summary>
/// One scheduling database for one test: a fresh SQLite file in a temp folder, or (when
/// BOUNDARYGUARD_TEST_POSTGRES holds a connection string) a fresh schema of its own in the given PostgreSQL
/// database. A schema, not only a scheduler name: the holds table belongs to one deployment, and a service sweeping
/// another test's holds would release them through the wrong sandbox on the wrong clock.
/// </summary>
internal sealed class SchedulingTarget : IDisposable
{
    public const string PostgresVariable = "BOUNDARYGUARD_TEST_POSTGRES";

    private readonly string? folder;
    private readonly string? schema;
    private readonly string? server;

    private SchedulingTarget(SchedulingProvider provider, string connectionString, string? folder = null, string? schema = null, string? server = null)
    {
        Provider = provider;
        ConnectionString = connectionString;
        this.folder = folder;
        this.schema = schema;
        this.server = server;
        SchedulerName = "bg-test-" + Guid.NewGuid().ToString("N");
    }

    public SchedulingProvider Provider { get; }

    public string ConnectionString { get; }

    public string SchedulerName { get; }

    public static SchedulingTarget Create(SchedulingProvider provider)
    {
        if (provider == SchedulingProvider.PostgreSQL)
        {
            var connectionString = Environment.GetEnvironmentVariable(PostgresVariable);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                Assert.Ignore($"PostgreSQL leg not run: set {PostgresVariable} to a connection string to run it.");
            }

            var schema = "bg_test_" + Guid.NewGuid().ToString("N");
            Execute(connectionString!, $"CREATE SCHEMA {schema}");
            var inSchema = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString;
            return new SchedulingTarget(provider, inSchema, schema: schema, server: connectionString);
        }

        var folder = Path.Combine(Path.GetTempPath(), "bg-sched-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        // Pooling off: a pooled handle would keep the file open after the host stops, and the persistence
        // tests must see a second host open the file the way a restarted process does.
        return new SchedulingTarget(provider, $"Data Source={Path.Combine(folder, "boundaryguard.db")};Pooling=False", folder: folder);
    }

    public Dictionary<string, string?> Settings(bool? clustered = null) => new()
    {
        ["Scheduling:Provider"] = Provider.ToString(),
        ["Scheduling:ConnectionString"] = ConnectionString,
        ["Scheduling:SchedulerName"] = SchedulerName,
        ["Scheduling:Clustered"] = clustered?.ToString(),
    };

    public void Dispose()
    {
        if (folder is not null && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        if (schema is not null)
        {
            using (var pooled = new NpgsqlConnection(ConnectionString))
            {
                NpgsqlConnection.ClearPool(pooled);
            }

            Execute(server!, $"DROP SCHEMA {schema} CASCADE");
        }
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
