using static BoundaryGuard.Tests.CliRunner;

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

    [Test]
    public void Holidays_SummaryWithEscapedNewlineAndTab_StaysOnOneLine()
    {
        var ics = TempFile("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260101T000000Z\r\n" +
            "DTSTART;VALUE=DATE:20270126\r\nSUMMARY:Snow day\\nCampus\tclosed\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", ".ics");
        var policy = TempFile($$"""
            { "workingHours": { "daysOfWeek": ["monday"], "startTime": "09:00", "endTime": "17:00", "timeZone": { "name": "UTC" } },
              "holidayCalendars": [ "{{Path.GetFileName(ics)}}" ] }
            """);

        var (exit, output, error) = Run("holidays", "--policy", policy, "--from", "2027-01-01", "--to", "2027-01-31");

        Assert.That(error, Is.Empty);
        Assert.That(exit, Is.Zero);
        Assert.That(output, Is.EqualTo($"2027-01-26\tSnow day Campus closed\t{Path.GetFileName(ics)}\n"));
    }
}
