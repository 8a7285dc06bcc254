using System.Data.Common;
using System.Globalization;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Scheduling;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using static BoundaryGuard.Service.Scheduling.Sql;

namespace BoundaryGuard.Service.Calendars;

/// <summary>
/// What IT manages in the service (migration 0006): calendars with their ICS files, departments, and the audit log.
/// Every change is one transaction with its audit entry and a new generation; it applies only to the document it was
/// made from, so two administrators editing the same calendar cannot overwrite each other unseen (the second is told
/// to reload).
/// </summary>
public sealed class AdminStore(IOptions<SchedulingOptions> options, TimeProvider clock)
{
    private readonly SchedulingOptions settings = options.Value;

    public async Task<long> GenerationAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT generation FROM admin_generation WHERE id = 1");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<Stored<CalendarDocument>>> CalendarsAsync(CancellationToken cancellationToken) =>
        await ReadAsync<CalendarDocument>("SELECT document, updated_at, updated_by FROM admin_calendars ORDER BY name", null, cancellationToken)
            .ConfigureAwait(false);

    public async Task<Stored<CalendarDocument>?> CalendarAsync(string id, CancellationToken cancellationToken) =>
        (await ReadAsync<CalendarDocument>("SELECT document, updated_at, updated_by FROM admin_calendars WHERE id = @key", id, cancellationToken)
            .ConfigureAwait(false)).SingleOrDefault();

    public async Task<IReadOnlyList<Stored<DepartmentDocument>>> DepartmentsAsync(CancellationToken cancellationToken) =>
        await ReadAsync<DepartmentDocument>("SELECT document, updated_at, updated_by FROM admin_departments ORDER BY name", null, cancellationToken)
            .ConfigureAwait(false);

    /// <summary>Every uploaded file's text, by calendar id and file name.</summary>
    public async Task<IReadOnlyDictionary<(string Calendar, string Name), string>> FilesAsync(CancellationToken cancellationToken)
    {
        var files = new Dictionary<(string, string), string>();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT calendar_id, name, content FROM admin_calendar_files");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            files[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
        }

        return files;
    }

    /// <summary>
    /// Stores <paramref name="after"/> in place of <paramref name="before"/> (null: a new calendar; <paramref name="after"/>
    /// null: deleted with its files), with <paramref name="upload"/>'s text when a file was uploaded.
    /// </summary>
    /// <exception cref="HoldException">Conflict: the calendar changed since <paramref name="before"/> was read, or the name is taken.</exception>
    public Task SaveCalendarAsync(
        CalendarDocument? before, CalendarDocument? after, (string Name, string Sha256, string Content)? upload, string actor, string action,
        CancellationToken cancellationToken)
    {
        var id = (after ?? before)!.Id;
        return ChangeAsync($"calendar:{id}", action, actor, before, after, async (connection, transaction) =>
        {
            var changed = (before, after) switch
            {
                (null, { } created) => await ExecuteAsync(connection, transaction,
                    "INSERT INTO admin_calendars (id, name, document, updated_at, updated_by) VALUES (@key, @name, @after, @at, @actor) ON CONFLICT DO NOTHING",
                    cancellationToken, ("@key", id), ("@name", created.Name), ("@after", AdminJson.Write(created)), ("@at", Now()), ("@actor", actor))
                    .ConfigureAwait(false),
                (_, null) => await ExecuteAsync(connection, transaction, "DELETE FROM admin_calendars WHERE id = @key AND document = @before",
                    cancellationToken, ("@key", id), ("@before", AdminJson.Write(before))).ConfigureAwait(false),
                _ => await ExecuteAsync(connection, transaction,
                    "UPDATE admin_calendars SET name = @name, document = @after, updated_at = @at, updated_by = @actor WHERE id = @key AND document = @before",
                    cancellationToken, ("@key", id), ("@name", after.Name), ("@after", AdminJson.Write(after)), ("@before", AdminJson.Write(before)),
                    ("@at", Now()), ("@actor", actor)).ConfigureAwait(false),
            };
            if (changed == 0)
            {
                throw new HoldException(HoldError.Conflict, before is null
                    ? $"A calendar named '{after!.Name}' (id {id}) exists already."
                    : "The calendar was changed meanwhile: reload it and make the change again.");
            }

            // Files no longer named by the calendar go with it; an upload replaces the file of its name.
            var kept = after?.Files.Select(f => f.Name).ToHashSet(StringComparer.Ordinal) ?? [];
            foreach (var gone in before?.Files.Where(f => !kept.Contains(f.Name)) ?? [])
            {
                await ExecuteAsync(connection, transaction, "DELETE FROM admin_calendar_files WHERE calendar_id = @key AND name = @name",
                    cancellationToken, ("@key", id), ("@name", gone.Name)).ConfigureAwait(false);
            }

            if (upload is var (name, sha256, content))
            {
                await ExecuteAsync(connection, transaction,
                    "INSERT INTO admin_calendar_files (calendar_id, name, sha256, content) VALUES (@key, @name, @sha, @content) " +
                    "ON CONFLICT (calendar_id, name) DO UPDATE SET sha256 = excluded.sha256, content = excluded.content",
                    cancellationToken, ("@key", id), ("@name", name), ("@sha", sha256), ("@content", content)).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    /// <summary>As <see cref="SaveCalendarAsync"/>, for a department's policy.</summary>
    public Task SaveDepartmentAsync(DepartmentDocument? before, DepartmentDocument? after, string actor, string action, CancellationToken cancellationToken)
    {
        var name = (after ?? before)!.Name;
        return SaveDocumentAsync("admin_departments", "name", name, [], $"department:{name}", before, after, actor, action,
            "The department's policy was changed meanwhile: reload it and make the change again.", cancellationToken);
    }

    /// <summary>As <see cref="SaveCalendarAsync"/>, for an exemption.</summary>
    public Task SaveExemptionAsync(Exemption? before, Exemption? after, string actor, string action, CancellationToken cancellationToken)
    {
        var exemption = (after ?? before)!;
        return SaveDocumentAsync("admin_exemptions", "id", exemption.Id, [("mailbox", exemption.Mailbox.ToLowerInvariant())],
            $"exemption:{exemption.Mailbox}", before, after, actor, action, "The exemption was changed meanwhile: reload it.", cancellationToken);
    }

    public async Task<IReadOnlyList<Stored<Exemption>>> ExemptionsAsync(CancellationToken cancellationToken) =>
        await ReadAsync<Exemption>("SELECT document, updated_at, updated_by FROM admin_exemptions ORDER BY mailbox, id", null, cancellationToken)
            .ConfigureAwait(false);

    /// <summary>A document of a table keyed by one column (with <paramref name="columns"/> kept beside it), stored as <see cref="SaveCalendarAsync"/> stores a calendar.</summary>
    private Task SaveDocumentAsync<T>(
        string table, string keyColumn, string key, (string Column, string Value)[] columns, string target, T? before, T? after, string actor,
        string action, string conflict, CancellationToken cancellationToken)
        where T : class
    {
        var values = columns.Select((c, i) => ($"@c{i}", (object?)c.Value)).ToArray();
        return ChangeAsync(target, action, actor, before, after, async (connection, transaction) =>
        {
            (string, object?)[] common = [("@key", key), ("@after", after is null ? null : AdminJson.Write(after)),
                ("@before", before is null ? null : AdminJson.Write(before)), ("@at", Now()), ("@actor", actor), .. values];
            var sql = (before, after) switch
            {
                (null, _) => $"INSERT INTO {table} ({keyColumn}, {string.Concat(columns.Select(c => c.Column + ", "))}document, updated_at, updated_by) " +
                    $"VALUES (@key, {string.Concat(values.Select(v => v.Item1 + ", "))}@after, @at, @actor) ON CONFLICT DO NOTHING",
                (_, null) => $"DELETE FROM {table} WHERE {keyColumn} = @key AND document = @before",
                _ => $"UPDATE {table} SET {string.Concat(columns.Select((c, i) => $"{c.Column} = @c{i}, "))}document = @after, updated_at = @at, " +
                    $"updated_by = @actor WHERE {keyColumn} = @key AND document = @before",
            };
            if (await ExecuteAsync(connection, transaction, sql, cancellationToken, common).ConfigureAwait(false) == 0)
            {
                throw new HoldException(HoldError.Conflict, conflict);
            }
        }, cancellationToken);
    }

    /// <summary>The newest audit entries first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> AuditAsync(int limit, CancellationToken cancellationToken)
    {
        var entries = new List<AuditEntry>();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT seq, at, actor, action, target, before, after FROM admin_audit ORDER BY seq DESC LIMIT @limit");
        Bind(command, "@limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new AuditEntry(reader.GetInt64(0), DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture), reader.GetString(2),
                reader.GetString(3), reader.GetString(4), Document(reader, 5), Document(reader, 6)));
        }

        return entries;
    }

    private static System.Text.Json.JsonElement? Document(DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : System.Text.Json.JsonDocument.Parse(reader.GetString(column)).RootElement.Clone();

    private async Task ChangeAsync<T>(
        string target, string action, string actor, T? before, T? after, Func<DbConnection, DbTransaction, Task> change, CancellationToken cancellationToken)
        where T : class
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await change(connection, transaction).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction,
            "INSERT INTO admin_audit (at, actor, action, target, before, after) VALUES (@at, @actor, @action, @target, @before, @after)",
            cancellationToken, ("@at", Now()), ("@actor", actor), ("@action", action), ("@target", target),
            ("@before", before is null ? null : AdminJson.Write(before)), ("@after", after is null ? null : AdminJson.Write(after))).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "UPDATE admin_generation SET generation = generation + 1 WHERE id = 1", cancellationToken)
            .ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<Stored<T>>> ReadAsync<T>(string sql, string? key, CancellationToken cancellationToken)
    {
        var found = new List<Stored<T>>();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql);
        if (key is not null)
        {
            Bind(command, "@key", key);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(new Stored<T>(AdminJson.Read<T>(reader.GetString(0)), DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
                reader.GetString(2)));
        }

        return found;
    }

    private string Now() => clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    private static async Task<int> ExecuteAsync(
        DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, transaction);
        foreach (var (name, value) in parameters)
        {
            Bind(command, name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => Sql.OpenAsync(settings, cancellationToken);
}

/// <summary>A document as stored, with who changed it last and when.</summary>
public sealed record Stored<T>(T Document, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>One change IT made: who, when, what, and the document before and after (null where there was none).</summary>
public sealed record AuditEntry(
    long Seq, DateTimeOffset At, string Actor, string Action, string Target, System.Text.Json.JsonElement? Before, System.Text.Json.JsonElement? After);
