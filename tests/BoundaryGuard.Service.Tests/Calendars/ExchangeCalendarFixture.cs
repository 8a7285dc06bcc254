using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BoundaryGuard.GraphSandbox.Seed;
using BoundaryGuard.Service.Scheduling;

namespace BoundaryGuard.Service.Tests.Calendars;

/// <summary>
/// The admin API on Friday 4 December 2026, noon in New York, with the calendar "Main campus" created, and the
/// sandbox's closures mailbox (listed in <c>Calendars:ClosureMailboxes</c> by the test world): what the Exchange
/// calendar tests start from.
/// </summary>
public abstract class ExchangeCalendarFixture() : AdminApiFixture(SchedulingProvider.Sqlite, new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.FromHours(-5)))
{
    protected static readonly string Mailbox = DemoInstitution.Closures.UserPrincipalName;

    /// <summary>Every test starts with the calendar "Main campus".</summary>
    [SetUp]
    public async Task CreateCalendarAsync()
    {
        using var created = await Admin.PostAsJsonAsync("/api/v1/admin/calendars", new { name = "Main campus" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    /// <summary>Main campus's year view, as (date, name).</summary>
    protected async Task<List<(string Date, string Name)>> ClosuresAsync() =>
        [.. (await Admin.GetFromJsonAsync<JsonObject>("/api/v1/admin/calendars/main-campus/year"))!["closures"]!.AsArray()
            .Select(c => (c!["date"]!.GetValue<string>(), c["name"]!.GetValue<string>()))];
}
