using BoundaryGuard.Service.Scheduling;

namespace BoundaryGuard.Service.Tests.Scheduling;

/// <summary>
/// One scheduling database for one test: a fresh SQLite file in a temp folder, or (when
/// BOUNDARYGUARD_TEST_POSTGRES holds a connection string) the given PostgreSQL database under a scheduler
/// name no other test uses, since every scheduler sharing that database is told apart by its name.
/// </summary>
internal sealed class SchedulingTarget : IDisposable
{
    public const string PostgresVariable = "BOUNDARYGUARD_TEST_POSTGRES";

    private readonly string? folder;

    private SchedulingTarget(SchedulingProvider provider, string connectionString, string? folder)
    {
        Provider = provider;
        ConnectionString = connectionString;
        this.folder = folder;
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

            return new SchedulingTarget(provider, connectionString!, null);
        }

        var folder = Path.Combine(Path.GetTempPath(), "bg-sched-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        // Pooling off: a pooled handle would keep the file open after the host stops, and the persistence
        // tests must see a second host open the file the way a restarted process does.
        return new SchedulingTarget(provider, $"Data Source={Path.Combine(folder, "boundaryguard.db")};Pooling=False", folder);
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
    }
}
