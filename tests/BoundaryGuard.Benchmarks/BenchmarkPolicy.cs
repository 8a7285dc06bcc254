using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Core.Policies;

namespace BoundaryGuard.Benchmarks;

/// <summary>
/// The benchmark's institution: Eastern working hours, a 30-closure calendar (a two-week winter closure, holidays
/// and half days) and three known recipients in three other zones, one of them on nights.
/// </summary>
internal static class BenchmarkPolicy
{
    public static readonly string[] Recipients =
        ["resident.london@med.example.edu", "fellow.kolkata@med.example.edu", "nights.la@med.example.edu"];

    public static string Json()
    {
        var closures = new List<string>();
        var winter = new DateOnly(2026, 12, 21);
        for (var i = 0; i < 14; i++)
        {
            closures.Add($$"""{ "date": "{{winter.AddDays(i):yyyy-MM-dd}}", "name": "Winter closure" }""");
        }

        string[] days =
        [
            "2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19", "2026-07-03",
            "2026-09-07", "2026-10-12", "2026-11-11", "2026-11-26", "2026-11-27", "2027-01-18", "2027-02-15",
        ];
        closures.AddRange(days.Select(d => $$"""{ "date": "{{d}}", "name": "Holiday" }"""));
        closures.Add("""{ "date": "2026-12-18", "name": "Half day", "closedFrom": "12:00:00" }""");
        closures.Add("""{ "date": "2026-11-25", "name": "Half day", "closedFrom": "13:00:00" }""");

        return $$"""
            {
              "workingHours": { "daysOfWeek": ["monday","tuesday","wednesday","thursday","friday"],
                                "startTime": "07:00:00.0000000", "endTime": "19:00:00.0000000",
                                "timeZone": { "name": "Eastern Standard Time" } },
              "holidays": [ {{string.Join(",\n", closures)}} ],
              "people": {
                "{{Recipients[0]}}": { "workingHours": { "daysOfWeek": ["monday","tuesday","wednesday","thursday","friday"],
                    "startTime": "08:00:00.0000000", "endTime": "18:00:00.0000000", "timeZone": { "name": "GMT Standard Time" } } },
                "{{Recipients[1]}}": { "workingHours": { "daysOfWeek": ["monday","tuesday","wednesday","thursday","friday","saturday"],
                    "startTime": "09:00:00.0000000", "endTime": "20:00:00.0000000", "timeZone": { "name": "Asia/Kolkata" } } },
                "{{Recipients[2]}}": { "workingHours": { "daysOfWeek": ["sunday","monday","tuesday","wednesday","thursday"],
                    "startTime": "13:00:00.0000000", "endTime": "07:00:00.0000000", "timeZone": { "name": "Pacific Standard Time" } } }
              }
            }
            """;
    }

    public static BoundaryPolicy Load() => PolicyFile.Parse(Json(), AppContext.BaseDirectory, "benchmark-policy.json");
}
