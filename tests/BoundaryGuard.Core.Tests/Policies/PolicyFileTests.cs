using System.Text.Json;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Core.Policies;
using NodaTime;

namespace BoundaryGuard.Core.Tests.Policies;

public class PolicyFileTests
{
    private const string Hours = """
        "workingHours": { "daysOfWeek": ["monday","tuesday","wednesday","thursday","friday"],
                          "startTime": "07:00:00.0000000", "endTime": "19:00:00.0000000",
                          "timeZone": { "name": "Eastern Standard Time" } }
        """;

    /// <summary>One parser serves the policy file and Graph: Graph's documented bodies read as they are.</summary>
    // Bias -200 (UTC+03:20) with daylight (bias -100 more, UTC+05:00) from the 2nd Sunday of October to the 4th
    // Sunday of May: January is on daylight time, July on standard. The PATCH body describes the same zone from the
    // other side (bias -300, daylight +100 from May to October).
    [TestCase("mailboxsettings-get-workinghours.response.json", null, 6, "09:00", "18:30", "2026-01-15T12:00:00Z", 300)]
    [TestCase("mailboxsettings-get-workinghours.response.json", null, 6, "09:00", "18:30", "2026-07-15T12:00:00Z", 200)]
    [TestCase("mailboxsettings-update-workinghours.request.json", "workingHours", 6, "00:00", "18:30", "2026-01-15T12:00:00Z", 300)]
    [TestCase("mailboxsettings-update-workinghours.request.json", "workingHours", 6, "00:00", "18:30", "2026-07-15T12:00:00Z", 200)]
    [TestCase("mailboxsettings-get.response.json", "workingHours", 5, "08:00", "17:00", "2026-01-15T12:00:00Z", -480)]
    public void ParseWorkingHours_GraphCorpusBodies_ReadsDaysTimesAndZone(
        string file, string? property, int days, string start, string end, string at, int offsetMinutes)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SharedCorpus.Graph(file)));
        var element = property is null ? document.RootElement : document.RootElement.GetProperty(property);
        if (file.StartsWith("mailboxsettings-update", StringComparison.Ordinal))
        {
            // The documented PATCH body carries no startTime: add one so the rest of the shape is what is tested.
            var raw = element.GetRawText();
            element = JsonDocument.Parse("{ \"startTime\": \"00:00:00.0000000\"," + raw[(raw.IndexOf('{', StringComparison.Ordinal) + 1)..]).RootElement.Clone();
        }

        var hours = PolicyFile.ParseWorkingHours(element, "workingHours");

        Assert.That(hours.Days.Count(), Is.EqualTo(days));
        Assert.That(hours.Start.ToString("HH:mm", null), Is.EqualTo(start));
        Assert.That(hours.End.ToString("HH:mm", null), Is.EqualTo(end));
        var instant = NodaTime.Text.InstantPattern.ExtendedIso.Parse(at).Value;
        Assert.That(hours.Zone.GetUtcOffset(instant).Seconds / 60, Is.EqualTo(offsetMinutes));
    }

    [Test]
    public void Parse_ContractExample_BuildsEveryPart()
    {
        var folder = Directory.CreateTempSubdirectory("policy-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "calendars"));
        File.WriteAllText(Path.Combine(folder, "calendars", "closures.ics"),
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260101T000000Z\r\n" +
            "DTSTART;VALUE=DATE:20270126\r\nSUMMARY:Snow day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        var json = $$"""
            { {{Hours}},
              "holidays": [ { "date": "2026-11-26", "name": "Thanksgiving Day" },
                            { "date": "2026-12-24", "name": "Christmas Eve", "closedFrom": "12:00:00" } ],
              "holidayCalendars": [ "calendars/closures.ics" ],
              "nationalHolidays": [ "US" ],
              "people": { "Resident@Med.Example.Edu": { "workingHours": { "daysOfWeek": ["monday"],
                  "startTime": "19:00:00.0000000", "endTime": "07:00:00.0000000", "timeZone": { "name": "America/Chicago" } } } } }
            """;

        var policy = PolicyFile.Parse(json, folder, "policy.json");

        Assert.That(policy.Zone.Id, Is.EqualTo("America/New_York"));
        Assert.That(policy.TryGetPerson(" resident@med.example.edu", out var resident), Is.True);
        Assert.That(resident!.IsOvernight, Is.True);
        var closures = policy.Closures.Between(new LocalDate(2026, 11, 26), new LocalDate(2027, 1, 31));
        Assert.That(closures.Select(c => (c.Date.ToString("uuuu-MM-dd", null), c.Source)), Is.SupersetOf(new[]
        {
            ("2026-11-26", "holidays"), ("2026-11-26", "national:US"), ("2026-12-24", "holidays"), ("2027-01-26", "calendars/closures.ics"),
        }));
        Assert.That(closures.Single(c => c.Source == "holidays" && c.Date == new LocalDate(2026, 12, 24)).ClosedFrom,
            Is.EqualTo(new LocalTime(12, 0)));
    }

    [TestCase("{" + Hours + ", \"people\": { \"a@b\": { \"workingHours\": " + "{ \"daysOfWeek\": [\"monday\"], \"startTime\": \"09:00\", \"endTime\": \"17:00\", \"timeZone\": { \"name\": \"UTC\" } } }, \"A@B\": { \"workingHours\": { \"daysOfWeek\": [\"monday\"], \"startTime\": \"09:00\", \"endTime\": \"17:00\", \"timeZone\": { \"name\": \"UTC\" } } } } }",
        "policy.json: people.A@B: listed twice")]
    [TestCase("{" + Hours + ", \"holidays\": [ { \"date\": \"2026-12-24\", \"closedFrom\": \"noon\" } ] }",
        "policy.json: holidays[0].closedFrom: 'noon' is not a time of day (HH:mm:ss)")]
    [TestCase("{" + Hours + ", \"holidays\": [ { \"date\": \"2026-12-24\", \"closed\": true } ] }",
        "policy.json: holidays[0].closed: unknown property (expected one of date, name, closedFrom)")]
    [TestCase("{" + Hours + ", \"holidayCalendars\": [ { \"path\": \"x.ics\", \"include\": { \"txt\": [] } } ] }",
        "policy.json: holidayCalendars[0].include.txt: unknown property (expected one of categories, text, summaries)")]
    [TestCase("{" + Hours + ", \"holidayCalendars\": [ 7 ] }",
        "policy.json: holidayCalendars[0]: expected an object, found a number")]
    [TestCase("{ \"workingHours\": { \"daysOfWeek\": [], \"startTime\": \"09:00\", \"endTime\": \"17:00\", \"timeZone\": { \"name\": \"UTC\" } } }",
        "policy.json: workingHours.daysOfWeek: at least one working day is needed")]
    [TestCase("{ \"workingHours\": { \"daysOfWeek\": [\"1\"], \"startTime\": \"09:00\", \"endTime\": \"17:00\", \"timeZone\": { \"name\": \"UTC\" } } }",
        "policy.json: workingHours.daysOfWeek[0]: '1' is not a day of the week")]
    [TestCase("{ \"workingHours\": { \"daysOfWeek\": [\"monday\"], \"startTime\": \"09:00\", \"endTime\": \"17:00\" } }",
        "policy.json: workingHours.timeZone is missing")]
    [TestCase("{ \"workingHours\": { \"daysOfWeek\": [\"monday\"], \"startTime\": \"09:00\", \"endTime\": \"17:00\", \"timeZone\": { \"@odata.type\": \"#microsoft.graph.customTimeZone\", \"bias\": \"x\" } } }",
        "policy.json: workingHours.timeZone.bias: expected a whole number")]
    [TestCase("{" + Hours + ", \"scorecard\": { \"leaders\": [ \"ehayes\" ] } }",
        "policy.json: scorecard.leaders[0]: 'ehayes' is not a mailbox address")]
    [TestCase("{" + Hours + ", \"scorecard\": { \"chairs\": [ \"a@b\", \"A@B\" ] } }",
        "policy.json: scorecard.chairs[1]: listed twice")]
    [TestCase("{" + Hours + ", \"scorecard\": { \"chair\": \"a@b\" } }",
        "policy.json: scorecard.chair: unknown property (expected one of chairs, leaders)")]
    public void Parse_BadField_ThrowsOneLineNamingIt(string json, string message)
    {
        Assert.That(() => PolicyFile.Parse(json, Path.GetTempPath(), "policy.json"),
            Throws.TypeOf<PolicyException>().With.Message.EqualTo(message));
    }

    [Test]
    public void Parse_Scorecard_ChairsAndLeadersCaseInsensitive()
    {
        var policy = PolicyFile.Parse(
            "{" + Hours + ", \"scorecard\": { \"chairs\": [\"ehayes@med.example.edu\"], \"leaders\": [\"EHayes@med.example.edu\", \"mwebb@med.example.edu\"] } }",
            Path.GetTempPath(), "policy.json");

        Assert.That(policy.Scorecard.Chairs, Is.EquivalentTo(new[] { "ehayes@med.example.edu" }));
        Assert.That(policy.Scorecard.Leaders.Contains("MWEBB@med.example.edu"), Is.True);
        Assert.That(PolicyFile.Parse("{" + Hours + "}", Path.GetTempPath(), "policy.json").Scorecard.Leaders, Is.Empty);
    }

    [Test]
    public void Parse_CommentsTrailingCommasAndODataAnnotations_AreAccepted()
    {
        var json = "{ // department policy\n \"$schema\": \"x\", \"@odata.context\": \"y\"," + Hours + ", }";

        var policy = PolicyFile.Parse(json, Path.GetTempPath(), "policy.json");

        Assert.That(policy.Evaluate(Instant.FromUtc(2026, 12, 2, 15, 0), []), Is.EqualTo(Decision.Send));
    }
}
