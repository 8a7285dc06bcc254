using BoundaryGuard.Service.Scorecards;
using NodaTime;

namespace BoundaryGuard.Service.Tests.Scorecards;

/// <summary>Metrics for the scorecard tests, appended as the recorder would.</summary>
internal static class ScorecardSeed
{
    public const string MedicineChair = "ehayes@med.example.edu";
    public const string SurgeryChair = "rlindqvist@med.example.edu";
    public const string Faculty = "mwebb@med.example.edu";

    /// <summary>Monday of ISO week 2026-W48.</summary>
    public static readonly LocalDate Week48 = new(2026, 11, 23);

    /// <summary>
    /// Medicine in week 48: the chair and five colleagues. Each held 2 after-hours sends and sent 3 in hours; one
    /// colleague also delivered 2 after hours (one to a trainee); the chair overrode one hold for patient care at night.
    /// Surgery: four people, one send each.
    /// </summary>
    public static async Task Week48Async(IMetricStore store)
    {
        var events = new List<MetricEvent>();
        string[] medicine = [MedicineChair, Faculty, "sokafor@med.example.edu", "praman@med.example.edu", "x1@med.example.edu", "x2@med.example.edu"];
        foreach (var sender in medicine)
        {
            for (var i = 0; i < 2; i++)
            {
                events.Add(MetricStoreTests.Event($"{sender}-held-{i}", MetricKind.HoldCreated, sender, Week48.PlusDays(i), MetricPeriod.Night));
                events.Add(MetricStoreTests.Event($"{sender}-released-{i}", MetricKind.Released, sender, Week48.PlusDays(i + 1), holdMinutes: 8 * 60));
            }

            for (var i = 0; i < 3; i++)
            {
                events.Add(MetricStoreTests.Event($"{sender}-in-{i}", MetricKind.SentInHours, sender, Week48.PlusDays(i)));
            }
        }

        events.Add(MetricStoreTests.Event("late-1", MetricKind.DeliveredAfterHours, "sokafor@med.example.edu", Week48.PlusDays(5), MetricPeriod.Weekend, trainees: 1));
        events.Add(MetricStoreTests.Event("late-2", MetricKind.DeliveredAfterHours, "sokafor@med.example.edu", Week48.PlusDays(2), MetricPeriod.Night));
        events.Add(MetricStoreTests.Event("override", MetricKind.Overridden, MedicineChair, Week48, MetricPeriod.Night,
            overrideReason: BoundaryGuard.Service.Holds.OverrideReason.PatientCare));
        foreach (var sender in new[] { SurgeryChair, "gchen@med.example.edu", "trivera@med.example.edu", "knguyen@med.example.edu" })
        {
            events.Add(MetricStoreTests.Event($"{sender}-in", MetricKind.SentInHours, sender, Week48, department: "Department of Surgery"));
        }

        await store.AppendAsync(events, default);
    }
}
