using BoundaryGuard.Core.Decisions;
using BoundaryGuard.GraphSandbox.Seed;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Scorecards;
using BoundaryGuard.Service.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace BoundaryGuard.Service.Tests.Scorecards;

/// <summary>
/// The service as the demo runs it (<see cref="PagesSite"/>), its clock started at <see cref="Now"/>, with boundary
/// metrics for six weeks: six people in Medicine (every aggregate shown) and four in Surgery (withheld).
/// </summary>
internal static class ScorecardSite
{
    /// <summary>Friday 4 December 2026, noon in New York: ISO week 2026-W49, so the default range is W38 to W49.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.FromHours(-5));

    public const string MedicineId = "department-of-medicine";
    public const string SurgeryId = "department-of-surgery";

    public static readonly string[] MedicineSenders =
    [
        DemoInstitution.MedicineChair.UserPrincipalName, DemoInstitution.MedicineProfessor.UserPrincipalName,
        DemoInstitution.MedicineCustomZoneFaculty.UserPrincipalName, DemoInstitution.MedicineAssistantProfessor.UserPrincipalName,
        DemoInstitution.MedicineResidentPgy1.UserPrincipalName, DemoInstitution.MedicineResidentPgy2.UserPrincipalName,
    ];

    public static readonly string[] SurgerySenders =
    [
        DemoInstitution.SurgeryChair.UserPrincipalName, DemoInstitution.SurgeryProfessor.UserPrincipalName,
        DemoInstitution.SurgeryAssociateProfessor.UserPrincipalName, DemoInstitution.SurgeryResidentPgy1.UserPrincipalName,
    ];

    /// <summary>The service at <see cref="Now"/> with the boundary metrics of <see cref="SeedAsync"/>.</summary>
    public static async Task<PagesSite> StartAsync()
    {
        var site = await PagesSite.StartAsync(Now);
        await SeedAsync(site.Services);
        return site;
    }

    /// <summary>
    /// Weeks 2026-W44 to W49 (six weeks, so the last one has four before it for the trend): each person holds some
    /// mail at night every week, most of it released in the morning, some sent early with a reason, and now and then
    /// mail the Sent Items audit found delivered after hours to a trainee.
    /// </summary>
    private static async Task SeedAsync(IServiceProvider services)
    {
        var events = new List<MetricEvent>();
        var firstMonday = new LocalDate(2026, 10, 26);
        foreach (var (department, senders) in new[] { (DemoInstitution.Medicine, MedicineSenders), (DemoInstitution.Surgery, SurgerySenders) })
        {
            for (var person = 0; person < senders.Length; person++)
            {
                for (var week = 0; week < 6; week++)
                {
                    var monday = firstMonday.PlusWeeks(week);
                    var holds = ((person + week) % 3) + 1;
                    for (var n = 0; n < holds; n++)
                    {
                        var weekend = n == 2;
                        var day = weekend ? monday.PlusDays(5) : monday.PlusDays(n);
                        var key = $"{senders[person]}:{week}:{n}";
                        var period = weekend ? MetricPeriod.Weekend : MetricPeriod.Night;
                        events.Add(Event($"{key}:created", MetricKind.HoldCreated, senders[person], department, day, 22, period, new RecipientCounts(1, 1, 0, 0)));
                        if ((person + week + n) % 4 == 0)
                        {
                            var reason = (OverrideReason)((person + week) % 4);
                            events.Add(Event($"{key}:overridden", MetricKind.Overridden, senders[person], department, day, 23, period, new RecipientCounts(1, 1, 0, 0), reason));
                        }
                        else
                        {
                            events.Add(Event($"{key}:released", MetricKind.Released, senders[person], department, day.PlusDays(1), 7, MetricPeriod.None,
                                new RecipientCounts(1, 1, 0, 0), holdMinutes: (9 * 60) + (15 * person)));
                        }
                    }

                    if ((person * week) % 5 == 1)
                    {
                        events.Add(Event($"{senders[person]}:{week}:audit", MetricKind.DeliveredAfterHours, senders[person], department, monday.PlusDays(3), 21,
                            MetricPeriod.Night, new RecipientCounts(1, 0, 0, 0)));
                    }

                    events.Add(Event($"{senders[person]}:{week}:in-hours", MetricKind.SentInHours, senders[person], department, monday.PlusDays(2), 10,
                        MetricPeriod.None, new RecipientCounts(0, 2, 0, 0)));
                }
            }
        }

        var stored = await services.GetRequiredService<IMetricStore>().AppendAsync(events, CancellationToken.None);
        Assert.That(stored, Is.EqualTo(events.Count));
    }

    private static MetricEvent Event(
        string key, MetricKind kind, string sender, string department, LocalDate day, int hour, MetricPeriod period, RecipientCounts recipients,
        OverrideReason? reason = null, int? holdMinutes = null) =>
        new(key, kind, day.At(new LocalTime(hour, 0)).InZoneLeniently(DateTimeZoneProviders.Tzdb["America/New_York"]).ToDateTimeOffset(),
            sender, department, day, hour, period, HoldReasons.AfterHours, recipients, reason, kind == MetricKind.SentInHours ? null : HoldSource.AddIn, holdMinutes);

}
