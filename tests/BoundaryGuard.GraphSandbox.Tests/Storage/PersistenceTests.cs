using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Hosting;
using BoundaryGuard.GraphSandbox.Seed;
using BoundaryGuard.GraphSandbox.Tests.Messages;
using Microsoft.Extensions.Options;

namespace BoundaryGuard.GraphSandbox.Tests.Storage;

public sealed class PersistenceTests
{
    private static readonly string Chair = DemoInstitution.MedicineChair.UserPrincipalName;
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("graph-sandbox-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task DataFile_Restart_KeepsMessagesFoldersTokensAndDeltaLinks()
    {
        var dataFile = Path.Combine(_directory, "state", "sandbox.json");
        string draftId;
        string deltaPathAndQuery;
        AuthenticationHeaderValue token;
        await using (var first = await TestSandbox.StartAsync(o => o.DataFile = dataFile))
        {
            await first.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"v1.0/users/{Chair}/mailFolders", new JsonObject { ["displayName"] = "Send later" });
            draftId = (await first.CreateDraftAsync(Chair, "Before restart", DemoInstitution.MedicineResidentPgy1.UserPrincipalName))["id"]!.GetValue<string>();
            var round = await MessageDeltaTests.RoundAsync(first, $"v1.0/users/{Chair}/mailFolders/drafts/messages/delta", 10);
            deltaPathAndQuery = new Uri(round[^1]["@odata.deltaLink"]!.GetValue<string>()).PathAndQuery.TrimStart('/');
            token = first.Http.DefaultRequestHeaders.Authorization!;
        }

        await using var second = await TestSandbox.StartAsync(o => o.DataFile = dataFile);
        second.Http.DefaultRequestHeaders.Authorization = token;
        var draft = await second.GetAsync($"v1.0/users/{Chair}/messages/{draftId}");
        var folders = await second.GetAsync($"v1.0/users/{Chair}/mailFolders?$filter=displayName eq 'Send later'");
        var afterRestart = (await second.CreateDraftAsync(Chair, "After restart", DemoInstitution.MedicineResidentPgy1.UserPrincipalName))["id"]!.GetValue<string>();
        var next = await MessageDeltaTests.RoundAsync(second, deltaPathAndQuery, 10);

        Assert.That(draft["subject"]!.GetValue<string>(), Is.EqualTo("Before restart"));
        Assert.That(folders["value"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That(next.SelectMany(p => p["value"]!.AsArray()).Select(i => i!["id"]!.GetValue<string>()), Is.EqualTo(new[] { afterRestart }));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(dataFile)!), Is.EqualTo(new[] { dataFile }), "no temp file left behind");
        Assert.That(() => JsonDocument.Parse(File.ReadAllText(dataFile)).Dispose(), Throws.Nothing);
    }

    [Test]
    public async Task DataFile_Written_HoldsNoAccessToken()
    {
        var dataFile = Path.Combine(_directory, "sandbox.json");
        await using var sandbox = await TestSandbox.StartAsync(o => o.DataFile = dataFile);
        await sandbox.CreateDraftAsync(Chair, "x", DemoInstitution.MedicineResidentPgy1.UserPrincipalName);

        var token = sandbox.Http.DefaultRequestHeaders.Authorization!.Parameter!;

        Assert.That(File.ReadAllText(dataFile), Does.Not.Contain(token));
    }

    [Test]
    public void DataFile_NotJson_FailsTheStart()
    {
        var dataFile = Path.Combine(_directory, "sandbox.json");
        File.WriteAllText(dataFile, "{ this is not json");

        Assert.That(async () => await SandboxServer.StartAsync(new SandboxOptions { DataFile = dataFile }),
            Throws.InstanceOf<InvalidOperationException>().With.Message.Contains("not valid JSON"));
        Assert.That(File.ReadAllText(dataFile), Is.EqualTo("{ this is not json"), "never overwritten");
    }

    [Test]
    public void Options_Invalid_FailTheStart()
    {
        var options = new SandboxOptions();
        options.Limits.MaxConcurrentRequests = 0;

        Assert.That(async () => await SandboxServer.StartAsync(options), Throws.InstanceOf<OptionsValidationException>());
    }
}
