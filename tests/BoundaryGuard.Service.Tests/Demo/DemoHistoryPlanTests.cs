using BoundaryGuard.Demo;
using BoundaryGuard.GraphSandbox.Seed;
using BoundaryGuard.Service.Hosting;
using BoundaryGuard.Service.Policies;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;

namespace BoundaryGuard.Service.Tests.Demo;

/// <summary>The history's mails, planned from the demo faculty's habits and the shipped department policies.</summary>
public sealed class DemoHistoryPlanTests
{
    private static readonly Instant Until = Instant.FromDateTimeOffset(new DateTimeOffset(2026, 12, 4, 23, 0, 0, TimeSpan.FromHours(-5)));
    private static readonly Instant From = Until - Duration.FromDays(84);

    private PolicyCatalog catalog = null!;

    [SetUp]
    public void OpenPolicies() => catalog = new PolicyCatalog(
        Options.Create(new PolicyCatalogOptions { Folder = Path.Combine(AppContext.BaseDirectory, "policies") }),
        TimeProvider.System,
        NullLogger<PolicyCatalog>.Instance);

    [TearDown]
    public void ClosePolicies() => catalog.Dispose();

    private IReadOnlyList<DemoMail> Plan(int seed = DemoHistoryPlan.Seed) =>
        DemoHistoryPlan.Create(DemoCast.People, department => catalog.For(department)!, From, Until, seed);

    private static IEnumerable<string> Written(IEnumerable<DemoMail> plan) =>
        plan.Select(m => $"{m.Number} {m.Sender.UserPrincipalName} {m.At} {m.Client} {string.Join(',', m.To)} {m.External} {m.FollowUp} {m.FollowUpAfter} {m.Reason}");

    [Test]
    public void Create_SameSettings_SameMailsEveryTime()
    {
        var first = Written(Plan()).ToList();
        var again = Written(Plan()).ToList();

        Assert.That(again, Is.EqualTo(first));
        Assert.That(Written(Plan(seed: 1)), Is.Not.EqualTo(first));
    }

    [Test]
    public void Create_TwelveWeeks_NumberedInOrderInsideTheHistory()
    {
        var plan = Plan();

        Assert.That(plan.Select(m => m.Number), Is.EqualTo(Enumerable.Range(1, plan.Count)));
        Assert.That(plan.Select(m => m.At), Is.Ordered.And.All.InRange(From, Until - Duration.FromTicks(1)));
    }

    [Test]
    public void Create_TwelveWeeks_SixMedicineAndThreeSurgerySendersWritingEveryWayThereIs()
    {
        var plan = Plan();

        Assert.That(plan.Where(m => m.Sender.Department == DemoInstitution.Medicine).Select(m => m.Sender).Distinct().Count(), Is.EqualTo(6));
        Assert.That(plan.Where(m => m.Sender.Department == DemoInstitution.Surgery).Select(m => m.Sender).Distinct().Count(), Is.EqualTo(3));
        Assert.That(plan.Select(m => m.Client).Distinct(), Is.EquivalentTo(Enum.GetValues<DemoClient>()));
        Assert.That(plan.Select(m => m.FollowUp).Distinct(), Is.EquivalentTo(Enum.GetValues<DemoFollowUp>()));
        Assert.That(plan.Where(m => m.External > 0), Is.Not.Empty);
        // Recipients in the directory are the sender's own department's residents and colleagues.
        var directory = DemoInstitution.All.Concat(DemoInstitution.AdditionalFaculty(DemoCast.AdditionalFaculty)).ToDictionary(p => p.UserPrincipalName);
        Assert.That(plan.SelectMany(m => m.To.Select(to => (m.Sender.Department, To: directory[to].Department))), Has.All.Matches<(string?, string?)>(p => p.Item1 == p.Item2));
    }
}
