using System.Data.Common;
using System.Globalization;
using BoundaryGuard.Service.Scheduling;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BoundaryGuard.Service.Tests.Scheduling;

[TestFixture(SchedulingProvider.Sqlite)]
[TestFixture(SchedulingProvider.PostgreSQL)]
public sealed class SchemaMigratorTests(SchedulingProvider provider)
{
    // Every table Quartz 4.7.3 validates at start, plus our own version table.
    private static readonly string[] Tables =
    [
        "qrtz_job_details", "qrtz_triggers", "qrtz_simple_triggers", "qrtz_cron_triggers", "qrtz_simprop_triggers",
        "qrtz_blob_triggers", "qrtz_calendars", "qrtz_paused_trigger_grps", "qrtz_paused_job_grps",
        "qrtz_fired_triggers", "qrtz_scheduler_state", "qrtz_locks", "qrtz_execution_history",
        "qrtz_misfire_history", "qrtz_job_status", "schema_migrations",
    ];

    private SchedulingTarget? created;

    [SetUp]
    public void SetUp() => created = SchedulingTarget.Create(provider);

    [TearDown]
    // Null when SetUp ignored the PostgreSQL leg.
    public void TearDown() => created?.Dispose();

    private SchedulingTarget Target => created!;

    [Test]
    public async Task MigrateAsync_FreshDatabase_CreatesEveryTable()
    {
        await Migrator().MigrateAsync(CancellationToken.None);

        foreach (var table in Tables)
        {
            Assert.That(await CountAsync($"SELECT COUNT(*) FROM {table}"), Is.GreaterThanOrEqualTo(0), table);
        }
    }

    [Test]
    public async Task MigrateAsync_SecondRun_AppliesNothing()
    {
        await Migrator().MigrateAsync(CancellationToken.None);
        var rowsAfterFirst = await CountAsync("SELECT COUNT(*) FROM schema_migrations");

        var second = await Migrator().MigrateAsync(CancellationToken.None);

        Assert.That(second, Is.Empty);
        Assert.That(await CountAsync("SELECT COUNT(*) FROM schema_migrations"), Is.EqualTo(rowsAfterFirst));
    }

    [Test]
    public async Task MigrateAsync_FreshDatabase_RecordsLatestVersion()
    {
        var latest = SchemaMigrator.Migrations(provider).Max(m => m.Version);

        await Migrator().MigrateAsync(CancellationToken.None);

        Assert.That(await CountAsync("SELECT MAX(version) FROM schema_migrations"), Is.EqualTo(latest));
    }

    [Test]
    public void Migrations_EveryProvider_NumberedWithoutGaps()
    {
        var versions = SchemaMigrator.Migrations(provider).Select(m => m.Version).ToList();

        Assert.That(versions, Is.EqualTo(Enumerable.Range(1, versions.Count)));
    }

    private SchemaMigrator Migrator()
    {
        var options = new SchedulingOptions
        {
            Provider = provider,
            ConnectionString = Target.ConnectionString,
            SchedulerName = Target.SchedulerName,
        };
        return new SchemaMigrator(Options.Create(options), new FakeTimeProvider());
    }

    private async Task<long> CountAsync(string sql)
    {
        await using DbConnection connection = SchemaMigrator.Open(new SchedulingOptions { Provider = provider, ConnectionString = Target.ConnectionString });
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
