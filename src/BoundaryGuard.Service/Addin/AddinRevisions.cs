using System.Globalization;
using BoundaryGuard.Service.Scheduling;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.Service.Addin;

/// <summary>
/// The revision of what the service serves in the add-in's manifests, kept in the service database
/// (<c>addin_revisions</c>, migration 0009): it rises by one whenever the fingerprint of the served manifests changes,
/// including back to one served before, because Outlook and the Microsoft 365 admin center only take a manifest whose
/// version is higher than the one they have. Nodes sharing the database agree through its primary key: two that race
/// for the next number store it once, and the one that lost reads the winner's row.
/// </summary>
public sealed class AddinRevisions(IOptions<SchedulingOptions> options, TimeProvider clock)
{
    private Known? current;

    /// <summary>The revision of <paramref name="fingerprint"/>: the latest one if it is the latest's, else a new one.</summary>
    public async Task<int> ForAsync(string fingerprint, CancellationToken cancellationToken)
    {
        if (current is { } known && known.Fingerprint == fingerprint)
        {
            return known.Revision;
        }

        var revision = await StoreAsync(fingerprint, cancellationToken).ConfigureAwait(false);
        current = new Known(fingerprint, revision);
        return revision;
    }

    private async Task<int> StoreAsync(string fingerprint, CancellationToken cancellationToken)
    {
        await using var connection = await Sql.OpenAsync(options.Value, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var latest = 0;
            string? latestFingerprint = null;
            await using (var read = Sql.Command(connection, "SELECT revision, fingerprint FROM addin_revisions ORDER BY revision DESC LIMIT 1"))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    latest = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
                    latestFingerprint = reader.GetString(1);
                }
            }

            if (latestFingerprint == fingerprint)
            {
                return latest;
            }

            await using var insert = Sql.Command(connection,
                "INSERT INTO addin_revisions (revision, fingerprint, created_at) VALUES (@revision, @fingerprint, @createdAt) " +
                "ON CONFLICT (revision) DO NOTHING");
            Sql.Bind(insert, "@revision", latest + 1);
            Sql.Bind(insert, "@fingerprint", fingerprint);
            Sql.Bind(insert, "@createdAt", clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                return latest + 1;
            }

            // Another node stored that number first: read again, its fingerprint may be this one.
        }
    }

    private sealed record Known(string Fingerprint, int Revision);
}
