using BoundaryGuard.Service.Scheduling;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BoundaryGuard.Service.Tests.Scheduling;

/// <summary>What the migrator does to a SQLite file beyond the migrations themselves.</summary>
public sealed class SchemaMigratorSqliteTests
{
    [Test]
    public async Task MigrateAsync_SqliteFile_LeavesItInWriteAheadLogMode()
    {
        using var target = SchedulingTarget.Create(SchedulingProvider.Sqlite);
        var settings = new SchedulingOptions { Provider = SchedulingProvider.Sqlite, ConnectionString = target.ConnectionString };

        await new SchemaMigrator(Options.Create(settings), new FakeTimeProvider()).MigrateAsync(CancellationToken.None);

        // A new connection: the mode has to be a property of the file, not of the migrator's connection.
        await using var connection = SchemaMigrator.Open(settings);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo("wal"));
    }
}
