using System.Data.Common;
using System.Globalization;
using BoundaryGuard.Service.Scheduling;
using BoundaryGuard.Service.Scorecards;
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

    [Test]
    public async Task MigrateAsync_MetricsOfVersion4_KeyedByHashWithDepartmentRows()
    {
        // A database as version 4 left it: events keyed by their text, rollups per sender only.
        await using (var connection = SchemaMigrator.Open(Settings()))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, "CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL, applied_at VARCHAR(40) NOT NULL)");
            foreach (var migration in SchemaMigrator.Migrations(provider).Where(m => m.Version <= 4))
            {
                await ExecuteAsync(connection, migration.Sql);
                await ExecuteAsync(connection, $"INSERT INTO schema_migrations VALUES ({migration.Version}, '{migration.Name}', 'then')");
            }

            await ExecuteAsync(connection,
                "INSERT INTO metric_events (key, kind, at, sender, department, local_day, local_hour, iso_week, period, reasons, trainees, faculty, " +
                "staff, external, override_reason, source, hold_minutes) VALUES " +
                "('hold:1:released', 'released', 1, 'mwebb@med.example.edu', 'Medicine', 20261123, 7, 202648, 0, 1, 1, 0, 0, 0, NULL, 'add-in', 450)");
            var zeros = string.Join(", ", Enumerable.Repeat("0", 11));
            await ExecuteAsync(connection,
                $"INSERT INTO metric_weeks VALUES ('Medicine', 202648, 'mwebb@med.example.edu', 2, 2, 0, {zeros}, 1), " +
                $"('Medicine', 202648, 'ehayes@med.example.edu', 3, 1, 0, {zeros}, 0)");
            await ExecuteAsync(connection,
                "INSERT INTO metric_hold_minutes VALUES ('Medicine', 202648, 'mwebb@med.example.edu', 30, 1), ('Medicine', 202648, 'ehayes@med.example.edu', 30, 2)");
        }

        Assert.That(await Migrator().MigrateAsync(CancellationToken.None), Does.Contain(5));

        var store = new SqlMetricStore(Options.Create(Settings()));
        var found = await store.FindAsync("hold:1:released", CancellationToken.None);
        var department = (await store.WeeksAsync("Medicine", MetricWeek.Everyone, 202648, 202648, CancellationToken.None)).Single();
        var minutes = (await store.HoldMinutesAsync("Medicine", MetricWeek.Everyone, 202648, 202648, CancellationToken.None)).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(found?.HoldMinutes, Is.EqualTo(450), "found by the hash of its old key");
            Assert.That(await store.AppendAsync([found!], CancellationToken.None), Is.Zero, "and not stored again");
            Assert.That((department.Attempts, department.Held, department.Holiday), Is.EqualTo((5L, 3L, 1L)));
            Assert.That(minutes.Count, Is.EqualTo(3));
            Assert.That(await store.WeeksAsync("Medicine", null, 202648, 202648, CancellationToken.None), Has.Count.EqualTo(2));
        }
    }

    private SchemaMigrator Migrator() => new(Options.Create(Settings()), new FakeTimeProvider());

    private SchedulingOptions Settings() => new()
    {
        Provider = provider,
        ConnectionString = Target.ConnectionString,
        SchedulerName = Target.SchedulerName,
    };

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
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
