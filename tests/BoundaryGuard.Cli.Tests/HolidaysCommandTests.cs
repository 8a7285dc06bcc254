using static BoundaryGuard.Cli.Tests.CliRunner;

namespace BoundaryGuard.Cli.Tests;

public class HolidaysCommandTests
{
    [Test]
    public void Holidays_ExamplePolicy_ListsEveryClosureWithItsSource()
    {
        var (exit, output, error) = Run("holidays", "--policy", ExamplePolicy, "--from", "2026-11-20", "--to", "2027-01-05");

        Assert.That(error, Is.Empty);
        Assert.That(exit, Is.Zero);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.That(lines, Does.Contain("2026-11-26\tThanksgiving\tnational:US"));
        Assert.That(lines, Does.Contain("2026-11-27\tDay after Thanksgiving\tholidays"));
        Assert.That(lines, Does.Contain("2026-12-24\tChristmas Eve (closed from 12:00)\tholidays"));
        Assert.That(lines, Does.Contain("2026-12-28\tWinter closure\tcalendars/closures.ics"));
        Assert.That(lines, Does.Contain("2027-01-01\tWinter closure\tcalendars/closures.ics"));
        Assert.That(lines, Does.Not.Contain("2027-01-02\tWinter closure\tcalendars/closures.ics"), "DTEND is exclusive");
        Assert.That(lines.Select(l => l[..10]), Is.Ordered);
        Assert.That(lines.All(l => l.Split('\t').Length == 3), Is.True);
    }
}
