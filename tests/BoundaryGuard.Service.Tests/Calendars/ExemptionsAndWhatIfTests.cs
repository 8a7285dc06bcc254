using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Scorecards;
using BoundaryGuard.Service.Scheduling;
using BoundaryGuard.Service.Tests.Holds;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace BoundaryGuard.Service.Tests.Calendars;

/// <summary>
/// Exemptions (a person whose mail is never held, for a reason, until a day) and the what-if of a policy change
/// (the last four weeks' sends, replayed against the proposed policy), through the admin API of the real service.
/// </summary>
[TestFixture(SchedulingProvider.Sqlite)]
[TestFixture(SchedulingProvider.PostgreSQL)]
public sealed class ExemptionsAndWhatIfTests(SchedulingProvider provider) : AdminApiFixture(provider)
{
    private const string Sender = "mwebb@med.example.edu";
    private const string Resident = "jlee@med.example.edu";
    private const string Medicine = "Department of Medicine";

    [Test]
    public async Task Exemption_OnCallPerson_HeldMailGoesNewMailIsNotHeldAndTheirCardSaysSo()
    {
        var held = await App.HoldAsync(Sender, await World.CreateDraftAsync(Sender, Resident));
        Assert.That(held["state"]!.GetValue<string>(), Is.EqualTo("held"));

        using var added = await Admin.PostAsJsonAsync("/api/v1/admin/exemptions", new { mailbox = "MWebb@med.example.edu", reason = "On call for the ICU", until = "2026-12-31" });
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Created), await added.Content.ReadAsStringAsync());
        using var client = App.ClientFor(Sender);
        var moved = await Eventually.ValueAsync(
            async () => (await client.GetFromJsonAsync<JsonObject>($"/api/v1/holds/{held["id"]}"))!["releaseAt"]!.GetValue<string>(),
            r => r != "2026-12-07T07:00:00-05:00", "the held mail to be released now");
        var again = await App.HoldAsync(Sender, await World.CreateDraftAsync(Sender, Resident));
        using var snapshot = await client.PostAsJsonAsync("/api/v1/policy/me", new { recipients = new[] { Resident } });
        var policy = await snapshot.Content.ReadFromJsonAsync<JsonObject>();
        var card = await client.GetFromJsonAsync<JsonObject>("/api/v1/scorecards/me");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(DateTimeOffset.Parse(moved, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(FridayNight), "released now");
            Assert.That(again["state"]!.GetValue<string>(), Is.EqualTo("not-needed"));
            Assert.That(policy!["exemptUntil"]!.GetValue<string>(), Is.EqualTo("2026-12-31"));
            Assert.That(policy["open"]!.AsArray().Single()!["end"]!.GetValue<string>(), Is.EqualTo("2026-12-25T23:30:00-05:00"),
                "open throughout the snapshot's 21 days, all inside the exemption");
            Assert.That(policy["people"]![Resident]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(card!["own"]!["exemptUntil"]!.GetValue<string>(), Is.EqualTo("2026-12-31"));
        }
    }

    [Test]
    public async Task Exemption_Deleted_MailIsHeldAgainAndBothChangesAudited()
    {
        using var added = await Admin.PostAsJsonAsync("/api/v1/admin/exemptions", new { mailbox = Sender, reason = "On call", until = "2026-12-31" });
        var id = (await added.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        using var deleted = await Admin.DeleteAsync($"/api/v1/admin/exemptions/{id}");
        var hold = await App.HoldAsync(Sender, await World.CreateDraftAsync(Sender, Resident));
        var audit = await Admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/audit");

        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(hold["state"]!.GetValue<string>(), Is.EqualTo("held"));
        Assert.That(audit!.Select(a => (a!["action"]!.GetValue<string>(), a["target"]!.GetValue<string>())),
            Is.EqualTo(new[] { ("exemption-deleted", $"exemption:{Sender}"), ("exemption-added", $"exemption:{Sender}") }));
        Assert.That(audit![0]!["before"]!["reason"]!.GetValue<string>(), Is.EqualTo("On call"));
    }

    [TestCase("""{ "mailbox": "mwebb@med.example.edu", "reason": "On call", "until": "2026-12-03" }""", "until: from today")]
    [TestCase("""{ "mailbox": "mwebb@med.example.edu", "reason": "On call", "until": "2028-01-01" }""", "until: from today")]
    [TestCase("""{ "mailbox": "mwebb@med.example.edu", "until": "2026-12-31" }""", "reason:")]
    [TestCase("""{ "mailbox": "mwebb", "reason": "On call", "until": "2026-12-31" }""", "mailbox:")]
    public async Task Exemption_BadField_400NamingItAndNoneStored(string body, string named)
    {
        using var response = await Admin.PostAsync("/api/v1/admin/exemptions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), Does.StartWith(named));
        Assert.That(await Admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/exemptions"), Is.Empty);
    }

    [Test]
    public async Task WhatIf_LongerAndShorterHours_CountsTheLastFourWeeksSendsEachWouldHoldAndStoresNothing()
    {
        var metrics = App.Services.GetRequiredService<IMetricStore>();
        await metrics.AppendAsync(
        [
            Send("saturday", MetricKind.HoldCreated, new(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(-5))),
            Send("evening", MetricKind.DeliveredAfterHours, new(2026, 12, 2, 20, 0, 0, TimeSpan.FromHours(-5))),
            Send("morning", MetricKind.SentInHours, new(2026, 12, 2, 8, 0, 0, TimeSpan.FromHours(-5))),
            Send("long-ago", MetricKind.HoldCreated, new(2026, 10, 31, 10, 0, 0, TimeSpan.FromHours(-4))),
        ], default);
        await Admin.PostAsJsonAsync("/api/v1/admin/calendars", new { name = "Main campus" });

        var longer = await WhatIfAsync("""["monday","tuesday","wednesday","thursday","friday","saturday","sunday"]""", "07:00", "22:00");
        var shorter = await WhatIfAsync("""["monday","tuesday","wednesday","thursday","friday"]""", "09:00", "17:00");

        using (Assert.EnterMultipleScope())
        {
            Assert.That((longer["sends"]!.GetValue<int>(), longer["heldNow"]!.GetValue<int>(), longer["heldByProposal"]!.GetValue<int>(),
                longer["newlyHeld"]!.GetValue<int>(), longer["noLongerHeld"]!.GetValue<int>()), Is.EqualTo((3, 2, 0, 0, 2)));
            Assert.That((shorter["heldByProposal"]!.GetValue<int>(), shorter["newlyHeld"]!.GetValue<int>()), Is.EqualTo((3, 1)), "08:00 is before 09:00");
            Assert.That((await Admin.GetFromJsonAsync<JsonArray>("/api/v1/admin/departments"))!
                .Single(d => d!["name"]!.GetValue<string>() == Medicine)!["source"]!.GetValue<string>(), Is.EqualTo("folder"), "nothing saved");
        }
    }

    private static MetricEvent Send(string key, MetricKind kind, DateTimeOffset at) =>
        new(key, kind, at, Sender, Medicine, LocalDate.FromDateTime(at.DateTime), at.Hour, MetricPeriod.None, HoldReasons.None, RecipientCounts.None);

    private async Task<JsonObject> WhatIfAsync(string days, string start, string end)
    {
        using var response = await Admin.PostAsJsonAsync($"/api/v1/admin/departments/{Uri.EscapeDataString(Medicine)}/what-if", new
        {
            calendar = "main-campus",
            workingHours = JsonNode.Parse($$"""{ "daysOfWeek": {{days}}, "startTime": "{{start}}", "endTime": "{{end}}", "timeZone": { "name": "America/New_York" } }"""),
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
