using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using BoundaryGuard.Service.Addin;
using BoundaryGuard.Service.Scheduling;
using BoundaryGuard.Service.Tests.Holds;
using BoundaryGuard.Service.Tests.Scheduling;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BoundaryGuard.Service.Tests.Addin;

/// <summary>
/// The served manifests' version, <c>{major}.{minor}.{revision}</c>: the same across restarts with the same settings,
/// one higher for every change, back to earlier settings included; one number per change for nodes sharing a database.
/// </summary>
[TestFixture(SchedulingProvider.Sqlite)]
[TestFixture(SchedulingProvider.PostgreSQL)]
public sealed class AddinRevisionsTests(SchedulingProvider provider)
{
    private static readonly Dictionary<string, string?> Initial = new() { ["Addin:BaseUrl"] = "https://boundaryguard.med.example.edu" };

    [Test]
    public async Task ServedVersions_RestartsAndSettingChanges_SameWhenUnchangedOneHigherForEachChange()
    {
        await using var world = await HoldsWorld.StartAsync(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.FromHours(-5)), provider);
        (Dictionary<string, string?> Settings, int Revision)[] runs =
        [
            (Initial, 1),
            (Initial, 1),
            (With("Addin:SendMode", "PromptUser"), 2),
            (With("Addin:ClientId", "0f8f6c4e-5d7b-4a39-9a43-3f1e2b7c9d10"), 3),
            (With("Addin:ApiScope", "api://boundaryguard.med.example.edu/access_as_user"), 4),
            (With("Addin:Authority", "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47"), 5),
            (With("Addin:ApiBaseUrl", "https://api.boundaryguard.med.example.edu"), 6),
            (With("Addin:BaseUrl", "https://outlook-addin.med.example.edu"), 7),
            (Initial, 8),
            (Initial, 8),
        ];

        var served = new List<(string Xml, string Json)>();
        foreach (var (settings, _) in runs)
        {
            await using var app = new HoldsApp(world, settings);
            using var client = app.CreateClient();
            var xml = XDocument.Parse(await client.GetStringAsync("/addin/manifest.xml"));
            var json = JsonNode.Parse(await client.GetStringAsync("/addin/manifest.json"))!;
            served.Add((xml.Root!.Elements().Single(e => e.Name.LocalName == "Version").Value, json["version"]!.GetValue<string>()));
        }

        Assert.That(served, Is.EqualTo(runs.Select(r => ($"1.0.{r.Revision}.0", $"1.0.{r.Revision}")).ToList()));
    }

    [Test]
    public async Task ForAsync_NodesRacing_OneRevisionForOneFingerprintAndNeverOneForTwo()
    {
        using var target = SchedulingTarget.Create(provider);
        var settings = Options.Create(new SchedulingOptions { Provider = provider, ConnectionString = target.ConnectionString });
        await new SchemaMigrator(settings, new FakeTimeProvider()).MigrateAsync(CancellationToken.None);
        AddinRevisions Node() => new(settings, new FakeTimeProvider());

        // A cluster starting together with the same settings, then a rolling change where old and new nodes overlap.
        var same = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Node().ForAsync("a", CancellationToken.None)));
        var rowsAfterSame = await RowsAsync(settings.Value);
        string[] fingerprints = ["b", "c", "b", "c", "b", "c", "b", "c"];
        var apart = await Task.WhenAll(fingerprints.Select(f => Node().ForAsync(f, CancellationToken.None)));
        var rows = await RowsAsync(settings.Value);

        Assert.That(same, Has.All.EqualTo(1));
        Assert.That(rowsAfterSame, Is.EqualTo(new Dictionary<int, string> { [1] = "a" }));
        Assert.That(apart.Select(r => rows[r]), Is.EqualTo(fingerprints), "each node's revision is a row of its own fingerprint");
        Assert.That(rows.Keys, Is.EqualTo(Enumerable.Range(1, rows.Count)), "numbered one by one");
        var latest = rows.Keys.Max();
        Assert.That(await Node().ForAsync(rows[latest], CancellationToken.None), Is.EqualTo(latest), "the latest fingerprint keeps its revision");
        Assert.That(await Node().ForAsync("a", CancellationToken.None), Is.EqualTo(latest + 1), "an earlier fingerprint gets a new, higher revision");
    }

    private static Dictionary<string, string?> With(string key, string value) => new(Initial) { [key] = value };

    private static async Task<Dictionary<int, string>> RowsAsync(SchedulingOptions settings)
    {
        var rows = new Dictionary<int, string>();
        await using var connection = SchemaMigrator.Open(settings);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT revision, fingerprint FROM addin_revisions ORDER BY revision";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture)] = reader.GetString(1);
        }

        return rows;
    }
}
