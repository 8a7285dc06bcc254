using System.Net;
using BoundaryGuard.Service.Tests.Hosting;

namespace BoundaryGuard.Service.Tests.Calendars;

/// <summary>The admin pages as files: served anonymously from the build's folder like the scorecard's, under the same policy.</summary>
public sealed class AdminPagesFilesTests : PageFilesTests
{
    [Test]
    public async Task Get_AdminFolder_IndexPageAnonymouslyWithTheScorecardsContentSecurityPolicy()
    {
        using var admin = await Client.GetAsync("/admin/");
        using var scorecard = await Client.GetAsync("/scorecard/");
        var text = await admin.Content.ReadAsStringAsync();

        AssertServedUnderThePolicy(admin);
        Assert.That(admin.Headers.GetValues("Content-Security-Policy"), Is.EqualTo(scorecard.Headers.GetValues("Content-Security-Policy")));
        Assert.That(text, Does.Contain("<script type=\"module\" src=\"index.js\"></script>").And.Not.Contain("https://"));
    }

    [TestCase("index")]
    [TestCase("calendar")]
    [TestCase("import")]
    [TestCase("departments")]
    [TestCase("exemptions")]
    [TestCase("audit")]
    [TestCase("signin")]
    public async Task Get_EachAdminPage_ItsOwnModuleAndNothingInlineUnderThePolicy(string page)
    {
        using var response = await Client.GetAsync($"/admin/{page}.html");
        var text = await response.Content.ReadAsStringAsync();
        using var module = await Client.GetAsync($"/admin/{page}.js");

        AssertServedUnderThePolicy(response);
        Assert.That(text, Does.Contain($"<script type=\"module\" src=\"{page}.js\"></script>").And.Not.Contain("{{").And.Not.Contain("<script>"));
        AssertServedUnderThePolicy(module, "text/javascript");
    }

    [Test]
    public async Task Get_AdminWithoutTheTrailingSlash_RedirectedToTheFolder()
    {
        using var response = await Client.GetAsync("/admin");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo("/admin/"));
    }
}
