using BoundaryGuard.Graph.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace BoundaryGuard.Graph.Tests.Resilience;

public class MailboxPacingTests
{
    [TestCase("https://graph.microsoft.com/v1.0/users/dr.chen%40med.example.edu/messages/AAMk/send", "dr.chen@med.example.edu")]
    [TestCase("http://127.0.0.1:5190/v1.0/users/1f2e/mailFolders/sentitems/messages/delta?$deltatoken=x", "1f2e")]
    [TestCase("https://graph.microsoft.com/v1.0/users", null)]
    [TestCase("https://graph.microsoft.com/v1.0/$batch", null)]
    public void MailboxOf_GraphUrl_FindsTheUserSegment(string url, string? expected)
    {
        Assert.That(MailboxPacing.MailboxOf(new Uri(url)), Is.EqualTo(expected));
    }

    [Test]
    public async Task AcquireAsync_ThirtyFirstInOneMinute_WaitsUntilTheFirstLeavesTheWindow()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var limit = new SlidingWindowLimit(30, TimeSpan.FromMinutes(1), clock);
        for (var i = 0; i < 30; i++)
        {
            await limit.AcquireAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        var thirtyFirst = limit.AcquireAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.That(thirtyFirst.IsCompleted, Is.False, "59 s after the first: still 30 in the window");
        clock.Advance(TimeSpan.FromSeconds(1));
        await thirtyFirst;
        Assert.That(thirtyFirst.IsCompletedSuccessfully, Is.True);
    }
}
