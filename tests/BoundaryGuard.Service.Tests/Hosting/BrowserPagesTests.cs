using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace BoundaryGuard.Service.Tests.Hosting;

/// <summary>
/// The service's pages in a real browser (Debian's Chromium, driven by Playwright) against the service on a real port
/// (<see cref="PagesSite"/>), signed in through the demo sign-in as a person picks one. One browser for the fixture;
/// each test opens a browser context of its own, so no session carries over, and the page's console errors are kept.
/// </summary>
public abstract class BrowserPagesTests
{
    private const string Chromium = "/usr/bin/chromium";

    private IPlaywright? playwright;
    private IBrowser? browser;
    private IBrowserContext? context;
    private IPage? page;

    protected IBrowserContext Context => context ?? throw new InvalidOperationException("OpenAsync first");

    protected IPage Page => page ?? throw new InvalidOperationException("OpenAsync first");

    /// <summary>What the page wrote to its console as an error, and any uncaught exception.</summary>
    protected List<string> ConsoleErrors { get; } = [];

    [OneTimeSetUp]
    public async Task LaunchBrowserAsync()
    {
        // A failure, not a skip: these tests are the pages' acceptance, and .ci/run installs Chromium for them.
        Assert.That(File.Exists(Chromium), Is.True, $"The pages' browser tests drive Debian's Chromium at {Chromium}: apt-get install chromium");
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        });
    }

    [OneTimeTearDown]
    public async Task CloseBrowserAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
    }

    [TearDown]
    public async Task CloseContextAsync()
    {
        if (context is not null)
        {
            await context.DisposeAsync();
            context = null;
            page = null;
        }
    }

    /// <summary>A new browser context on the service at <paramref name="address"/>, and a page in it.</summary>
    protected async Task OpenAsync(Uri address)
    {
        ConsoleErrors.Clear();
        // Reduced motion: the charts draw at once instead of animating, so their pixels are final when read.
        context = await browser!.NewContextAsync(new()
        {
            BaseURL = address.ToString(),
            ReducedMotion = ReducedMotion.Reduce,
            AcceptDownloads = true,
            Locale = "en-US",
            ViewportSize = new() { Width = 1280, Height = 900 },
        });
        page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                ConsoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => ConsoleErrors.Add(error);
    }

    /// <summary>Signs in at a site's front door (<c>/scorecard/</c>, <c>/admin/</c>) as a person picks a name on the demo's sign-in page.</summary>
    protected async Task SignInAsync(string site, string mailbox, string name)
    {
        await Page.GotoAsync($"/{site}/");
        await Expect(Page).ToHaveURLAsync(new Regex($@"/{site}/signin\.html(\?|$)"));
        var person = Page.Locator($"button.person[data-mailbox='{mailbox}']");
        await Expect(person.Locator(".person-name")).ToHaveTextAsync(name);
        await person.ClickAsync();
        await Expect(Page.Locator(".who-name")).ToHaveTextAsync(name);
        await Expect(Page.Locator("main")).Not.ToHaveAttributeAsync("aria-busy", "true");
    }

    /// <summary>The API's JSON, asked with the page's own sign-in cookie.</summary>
    protected async Task<JsonNode> ApiJsonAsync(string path)
    {
        var response = await Context.APIRequest.GetAsync(path);
        Assert.That(response.Status, Is.EqualTo(200), await response.TextAsync());
        return JsonNode.Parse(await response.TextAsync())!;
    }

    protected static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    protected static IPageAssertions Expect(IPage page) => Assertions.Expect(page);
}
