using System.Net;
using BoundaryGuard.Service.Tests.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace BoundaryGuard.Service.Tests.Scorecards;

/// <summary>The pages as files: served anonymously from the build's folder, Chart.js among them, under a strict policy.</summary>
public sealed class ScorecardPagesFilesTests
{
    private ServiceApplication service = null!;
    private HttpClient client = null!;

    [SetUp]
    public void SetUp()
    {
        service = new ServiceApplication(new() { ["Sandbox:Port"] = "0", ["Sandbox:DataFile"] = "" });
        client = service.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
    }

    [TearDown]
    public async Task TearDown()
    {
        client.Dispose();
        await service.DisposeAsync();
    }

    [Test]
    public async Task Get_Folder_IndexPageAnonymouslyWithTheContentSecurityPolicy()
    {
        using var response = await client.GetAsync("/scorecard/");
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        Assert.That(text, Does.Contain("<script type=\"module\" src=\"index.js\"></script>"));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("default-src 'self'; script-src 'self';"));
        Assert.That(response.Headers.CacheControl!.NoCache, Is.True);
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
    }

    [TestCase("/", "/scorecard/")]
    [TestCase("/scorecard", "/scorecard/")]
    public async Task Get_WithoutTheTrailingSlash_RedirectedToTheFolder(string path, string location)
    {
        using var response = await client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo(location));
    }

    [Test]
    public async Task Get_ChartJs_ServedHereNotFromACdn()
    {
        var chart = await client.GetStringAsync("/scorecard/vendor/chart.umd.min.js");
        var pages = await Task.WhenAll(new[] { "department.html", "me.html", "institution.html" }.Select(p => client.GetStringAsync($"/scorecard/{p}")));

        Assert.That(chart, Does.Contain("Chart.js v4.6.1"));
        Assert.That(pages, Has.All.Contain("<script src=\"vendor/chart.umd.min.js\" defer></script>"));
        Assert.That(pages, Has.None.Contain("https://"));
    }

    [Test]
    public async Task Get_Unchanged_304()
    {
        using var first = await client.GetAsync("/scorecard/styles.css");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/scorecard/styles.css");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await client.SendAsync(again);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [TestCase("/scorecard/.built")]
    [TestCase("/scorecard/%2e%2e/appsettings.Development.json")]
    [TestCase("/scorecard/nothing.html")]
    public async Task Get_HiddenOutsideOrMissing_404(string path)
    {
        using var response = await client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
