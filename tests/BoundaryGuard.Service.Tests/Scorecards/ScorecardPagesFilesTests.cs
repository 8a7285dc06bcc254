using System.Net;
using BoundaryGuard.Service.Tests.Hosting;

namespace BoundaryGuard.Service.Tests.Scorecards;

/// <summary>The pages as files: served anonymously from the build's folder, Chart.js among them, under a strict policy.</summary>
public sealed class ScorecardPagesFilesTests : PageFilesTests
{
    [Test]
    public async Task Get_Folder_IndexPageAnonymouslyWithTheContentSecurityPolicy()
    {
        using var response = await Client.GetAsync("/scorecard/");
        var text = await response.Content.ReadAsStringAsync();

        AssertServedUnderThePolicy(response);
        Assert.That(text, Does.Contain("<script type=\"module\" src=\"index.js\"></script>"));
    }

    [TestCase("/", "/scorecard/")]
    [TestCase("/scorecard", "/scorecard/")]
    public async Task Get_WithoutTheTrailingSlash_RedirectedToTheFolder(string path, string location)
    {
        using var response = await Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo(location));
    }

    [Test]
    public async Task Get_ChartJs_ServedHereNotFromACdn()
    {
        var chart = await Client.GetStringAsync("/scorecard/vendor/chart.umd.min.js");
        var pages = await Task.WhenAll(new[] { "department.html", "me.html", "institution.html" }.Select(p => Client.GetStringAsync($"/scorecard/{p}")));

        Assert.That(chart, Does.Contain("Chart.js v4.6.1"));
        Assert.That(pages, Has.All.Contain("<script src=\"vendor/chart.umd.min.js\" defer></script>"));
        Assert.That(pages, Has.None.Contain("https://"));
    }

    [Test]
    public async Task Get_Unchanged_304()
    {
        using var first = await Client.GetAsync("/scorecard/styles.css");
        using var again = new HttpRequestMessage(HttpMethod.Get, "/scorecard/styles.css");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await Client.SendAsync(again);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [TestCase("/scorecard/.built")]
    [TestCase("/scorecard/%2e%2e/appsettings.Development.json")]
    [TestCase("/scorecard/nothing.html")]
    public async Task Get_HiddenOutsideOrMissing_404(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
