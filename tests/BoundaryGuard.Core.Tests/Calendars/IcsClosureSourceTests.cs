using System.Text;
using BoundaryGuard.Core.Calendars;
using NodaTime;
using NUnit.Framework;

namespace BoundaryGuard.Core.Tests.Calendars;

/// <summary>Hand-written calendars for the rules and errors the corpus does not happen to contain.</summary>
public class IcsClosureSourceTests
{
    private const string Source = "calendars/x.ics";

    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    private string _folder = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "boundaryguard-ics-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Load_MissingFile_SaysFileNotFound()
    {
        Assert.That(
            () => IcsClosureSource.Load(Path.Combine(_folder, "nope.ics"), Source, ClosureFilter.All, NewYork),
            Throws.TypeOf<PolicyException>().With.Message.EqualTo("calendars/x.ics: file not found"));
    }

    [Test]
    public void Load_MalformedDtstart_NamesLineAndField()
    {
        var path = Write(Calendar(Event("DTSTART;VALUE=DATE:2021013", "SUMMARY:Broken")));

        Assert.That(
            () => IcsClosureSource.Load(path, Source, ClosureFilter.All, NewYork),
            Throws.TypeOf<PolicyException>().With.Message.EqualTo("calendars/x.ics line 6: DTSTART '2021013' is not a date"));
    }

    [TestCase("DTSTART;VALUE=DATE:20210230", "line 6: DTSTART '20210230' is not a date")]
    [TestCase("DTSTART:20210101T250000", "line 6: DTSTART '20210101T250000' is not a date-time")]
    public void Load_ImpossibleDateOrTime_NamesLineAndField(string dtstart, string expected)
    {
        var path = Write(Calendar(Event(dtstart)));

        Assert.That(
            () => IcsClosureSource.Load(path, Source, ClosureFilter.All, NewYork),
            Throws.TypeOf<PolicyException>().With.Message.EqualTo($"{Source} {expected}"));
    }

    [Test]
    public void Load_MalformedExdate_NamesLine()
    {
        var path = Write(Calendar(Event("DTSTART;VALUE=DATE:20210101", "RRULE:FREQ=YEARLY", "EXDATE;VALUE=DATE:20220101,2023x")));

        Assert.That(
            () => IcsClosureSource.Load(path, Source, ClosureFilter.All, NewYork),
            Throws.TypeOf<PolicyException>().With.Message.EqualTo("calendars/x.ics line 8: EXDATE '2023x' is not a date"));
    }

    [Test]
    public void Load_InvalidRrule_NamesLineAndReason()
    {
        var path = Write(Calendar(Event("DTSTART;VALUE=DATE:20210101", "RRULE:FREQ=YEARLYY")));

        Assert.That(
            () => IcsClosureSource.Load(path, Source, ClosureFilter.All, NewYork),
            Throws.TypeOf<PolicyException>().With.Message.StartsWith("calendars/x.ics line 7: RRULE 'FREQ=YEARLYY' is not a valid recurrence rule (")
                .And.Message.Not.Contains("Parameter"));
    }

    [Test]
    public void Load_RruleThatNeverMatches_IsRejectedQuickly()
    {
        var path = Write(Calendar(Event("DTSTART;VALUE=DATE:20210105", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")));

        Assert.That(
            () => IcsClosureSource.Load(path, Source, ClosureFilter.All, NewYork),
            Throws.TypeOf<PolicyException>().With.Message.EqualTo(
                "calendars/x.ics line 7: RRULE 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30' never produces a date"));
    }

    [Test]
    public void Load_DtendBeforeDtstart_NamesDtendLine()
    {
        var path = Write(Calendar(Event("DTSTART;VALUE=DATE:20210105", "DTEND;VALUE=DATE:20210101")));

        Assert.That(
            () => IcsClosureSource.Load(path, Source, ClosureFilter.All, NewYork),
            Throws.TypeOf<PolicyException>().With.Message.EqualTo("calendars/x.ics line 7: DTEND '20210101' is before DTSTART '20210105'"));
    }

    [Test]
    public void Load_EventWithoutDtstart_NamesTheEvent()
    {
        var path = Write(Calendar(Event("SUMMARY:Nothing")));

        Assert.That(
            () => IcsClosureSource.Load(path, Source, ClosureFilter.All, NewYork),
            Throws.TypeOf<PolicyException>().With.Message.EqualTo("calendars/x.ics line 4: VEVENT has no DTSTART"));
    }

    [Test]
    public void Load_UnknownTzidWithoutVtimezone_NamesLineAndZone()
    {
        var path = Write(Calendar(Event("DTSTART;TZID=Nowhere/Land:20210101T100000")));

        Assert.That(
            () => IcsClosureSource.Load(path, Source, ClosureFilter.All, NewYork),
            Throws.TypeOf<PolicyException>().With.Message.EqualTo(
                "calendars/x.ics line 6: DTSTART time zone 'Nowhere/Land' is neither an IANA nor a Windows id and the file has no VTIMEZONE for it"));
    }

    [Test]
    public void Load_EventLongerThanAYear_IsRejected()
    {
        var path = Write(Calendar(Event("DTSTART;VALUE=DATE:20210101", "DTEND;VALUE=DATE:20310101")));

        Assert.That(
            () => IcsClosureSource.Load(path, Source, ClosureFilter.All, NewYork),
            Throws.TypeOf<PolicyException>().With.Message.EqualTo(
                "calendars/x.ics line 4: the event lasts more than 366 days; check its DTEND or DURATION"));
    }

    [Test]
    public void Load_PlainTextFile_IsNotACalendar()
    {
        var path = Write("Holidays 2026\nJan 1 New Year\n");

        Assert.That(
            () => IcsClosureSource.Load(path, Source, ClosureFilter.All, NewYork),
            Throws.TypeOf<PolicyException>().With.Message.EqualTo(
                "calendars/x.ics line 1: 'Holidays 2026' is not an iCalendar content line (NAME:value)"));
    }

    [Test]
    public void Load_EmptyFile_IsNotACalendar()
    {
        var path = Write(string.Empty);

        Assert.That(
            () => IcsClosureSource.Load(path, Source, ClosureFilter.All, NewYork),
            Throws.TypeOf<PolicyException>().With.Message.EqualTo("calendars/x.ics: not an iCalendar file (no BEGIN:VCALENDAR)"));
    }

    [Test]
    public void Load_VcardInsteadOfCalendar_IsNotACalendar()
    {
        var path = Write("BEGIN:VCARD\r\nFN:Someone\r\nEND:VCARD\r\n");

        Assert.That(
            () => IcsClosureSource.Load(path, Source, ClosureFilter.All, NewYork),
            Throws.TypeOf<PolicyException>().With.Message.EqualTo(
                "calendars/x.ics line 1: not an iCalendar file (expected BEGIN:VCALENDAR, found 'BEGIN:VCARD')"));
    }

    [Test]
    public void Load_CalendarNeverClosed_NamesItsBegin()
    {
        var path = Write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + Event("DTSTART;VALUE=DATE:20260101"));

        Assert.That(
            () => IcsClosureSource.Load(path, Source, ClosureFilter.All, NewYork),
            Throws.TypeOf<PolicyException>().With.Message.EqualTo(
                "calendars/x.ics line 1: BEGIN:VCALENDAR is never closed (the file ends before END:VCALENDAR)"));
    }

    [Test]
    public void ClosuresIn_CalendarWithoutEvents_IsEmpty()
    {
        var calendar = IcsClosureSource.Load(Write(Calendar()), Source, ClosureFilter.All, NewYork);

        Assert.That(calendar.ClosuresIn(2026), Is.Empty);
    }

    [Test]
    public void ClosuresIn_SpanFromTheYearBefore_ReturnsTheInYearDays()
    {
        var calendar = IcsClosureSource.Load(
            Write(Calendar(Event("SUMMARY:Winter closure", "DTSTART;VALUE=DATE:20251230", "DTEND;VALUE=DATE:20260103"))),
            Source,
            ClosureFilter.All,
            NewYork);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(calendar.ClosuresIn(2025).Select(c => c.Date), Is.EqualTo(new[] { new LocalDate(2025, 12, 30), new LocalDate(2025, 12, 31) }));
            Assert.That(calendar.ClosuresIn(2026).Select(c => c.Date), Is.EqualTo(new[] { new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 2) }));
        }
    }

    [Test]
    public void ClosuresIn_YearlySpanCrossingNewYear_ReachesIntoTheNextYear()
    {
        var calendar = IcsClosureSource.Load(
            Write(Calendar(Event("SUMMARY:Winter closure", "DTSTART;VALUE=DATE:20241231", "DTEND;VALUE=DATE:20250102", "RRULE:FREQ=YEARLY"))),
            Source,
            ClosureFilter.All,
            NewYork);

        Assert.That(calendar.ClosuresIn(2027).Select(c => c.Date), Is.EqualTo(new[] { new LocalDate(2027, 1, 1), new LocalDate(2027, 12, 31) }));
    }

    [Test]
    public void ClosuresIn_FoldedLfFileWithBom_UnfoldsAndUnescapesTheName()
    {
        var text = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nSUMMARY:Winter Re\n cess\\, all campuses\nDTSTART;VALUE=DATE:20261224\nEND:VEVENT\nEND:VCALENDAR\n";
        var path = Path.Combine(_folder, "bom.ics");
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var calendar = IcsClosureSource.Load(path, Source, ClosureFilter.All, NewYork);

        Assert.That(calendar.ClosuresIn(2026), Is.EqualTo(new[] { new Closure(new LocalDate(2026, 12, 24), "Winter Recess, all campuses", Source) }));
    }

    [Test]
    public void ClosuresIn_AllDayWithoutDtend_IsOneDay()
    {
        var calendar = IcsClosureSource.Load(Write(Calendar(Event("SUMMARY:Snow day", "DTSTART;VALUE=DATE:20260127"))), Source, ClosureFilter.All, NewYork);

        Assert.That(calendar.ClosuresIn(2026).Select(c => c.Date), Is.EqualTo(new[] { new LocalDate(2026, 1, 27) }));
    }

    [Test]
    public void ClosuresIn_AllDayWithDuration_CoversItsDays()
    {
        var calendar = IcsClosureSource.Load(Write(Calendar(Event("SUMMARY:Recess", "DTSTART;VALUE=DATE:20260330", "DURATION:P3D"))), Source, ClosureFilter.All, NewYork);

        Assert.That(calendar.ClosuresIn(2026).Select(c => c.Date), Is.EqualTo(new[] { new LocalDate(2026, 3, 30), new LocalDate(2026, 3, 31), new LocalDate(2026, 4, 1) }));
    }

    [Test]
    public void ClosuresIn_FloatingTimedEventWithoutEnd_IsItsDayInThePolicyZone()
    {
        var calendar = IcsClosureSource.Load(Write(Calendar(Event("SUMMARY:Town hall", "DTSTART:20260310T233000"))), Source, ClosureFilter.All, DateTimeZoneProviders.Tzdb["Asia/Tokyo"]);

        Assert.That(calendar.ClosuresIn(2026).Select(c => c.Date), Is.EqualTo(new[] { new LocalDate(2026, 3, 10) }));
    }

    [TestCase("20260310T220000", "20260311T000000", 1)]
    [TestCase("20260310T220000", "20260311T000001", 2)]
    public void ClosuresIn_TimedEventEndingAtMidnight_DoesNotTouchTheNextDay(string start, string end, int days)
    {
        var calendar = IcsClosureSource.Load(
            Write(Calendar(Event("SUMMARY:Late", $"DTSTART;TZID=America/New_York:{start}", $"DTEND;TZID=America/New_York:{end}"))),
            Source,
            ClosureFilter.All,
            NewYork);

        Assert.That(calendar.ClosuresIn(2026).Count(), Is.EqualTo(days));
    }

    [Test]
    public void ClosuresIn_WeeklyTimedRuleAcrossDst_KeepsLocalTimeInItsZone()
    {
        // 23:30 Berlin every Monday: 22:30 UTC in winter, 21:30 UTC in summer; in London that is 22:30 both times.
        var calendar = IcsClosureSource.Load(
            Write(Calendar(Event("SUMMARY:Late call", "DTSTART;TZID=Europe/Berlin:20260316T233000", "DURATION:PT30M", "RRULE:FREQ=WEEKLY;COUNT=3"))),
            Source,
            ClosureFilter.All,
            DateTimeZoneProviders.Tzdb["Europe/London"]);

        Assert.That(calendar.ClosuresIn(2026).Select(c => c.Date), Is.EqualTo(new[] { new LocalDate(2026, 3, 16), new LocalDate(2026, 3, 23), new LocalDate(2026, 3, 30) }));
    }

    [Test]
    public void ClosuresIn_RdateAndCancelledEvents_AddAndRemoveDays()
    {
        var calendar = IcsClosureSource.Load(
            Write(Calendar(
                Event("UID:a", "SUMMARY:Board day", "DTSTART;VALUE=DATE:20260105", "RDATE;VALUE=DATE:20260302,20260601"),
                Event("UID:b", "SUMMARY:Cancelled", "DTSTART;VALUE=DATE:20260106", "STATUS:CANCELLED"))),
            Source,
            ClosureFilter.All,
            NewYork);

        Assert.That(calendar.ClosuresIn(2026).Select(c => c.Date), Is.EqualTo(new[] { new LocalDate(2026, 1, 5), new LocalDate(2026, 3, 2), new LocalDate(2026, 6, 1) }));
    }

    [Test]
    public void ClosuresIn_UtcExdateOnZonedRule_RemovesThatOccurrence()
    {
        var calendar = IcsClosureSource.Load(
            Write(Calendar(Event(
                "SUMMARY:Clinic closed",
                "DTSTART;TZID=America/New_York:20260105T090000",
                "RRULE:FREQ=DAILY;COUNT=3",
                "EXDATE:20260106T140000Z"))),
            Source,
            ClosureFilter.All,
            NewYork);

        Assert.That(calendar.ClosuresIn(2026).Select(c => c.Date), Is.EqualTo(new[] { new LocalDate(2026, 1, 5), new LocalDate(2026, 1, 7) }));
    }

    [Test]
    public void ClosuresIn_ManyThreadsAtOnce_AllSeeTheSameClosures()
    {
        var calendar = IcsClosureSource.Load(SharedCorpus.Ics("thunderbird-legacy-GermanHolidays.ics"), Source, ClosureFilter.All, NewYork);
        var expected = Enumerable.Range(2020, 10).Select(y => calendar.ClosuresIn(y).ToList()).ToList();

        var results = new List<Closure>[40];
        Parallel.For(0, results.Length, i => results[i] = calendar.ClosuresIn(2020 + (i % 10)).ToList());

        Assert.That(results.Select((r, i) => r.SequenceEqual(expected[i % 10])), Is.All.True);
    }

    [TestCase(0)]
    [TestCase(10000)]
    public void ClosuresIn_YearOutsideTheCalendar_Throws(int year)
    {
        var calendar = IcsClosureSource.Load(Write(Calendar()), Source, ClosureFilter.All, NewYork);

        Assert.That(() => calendar.ClosuresIn(year), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    private string Write(string text)
    {
        var path = Path.Combine(_folder, "x.ics");
        File.WriteAllText(path, text);
        return path;
    }

    private static string Calendar(params string[] events) =>
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//BoundaryGuard//Tests//EN\r\n" + string.Concat(events) + "END:VCALENDAR\r\n";

    // Line numbers in the expected messages count on the UID line being line 5 when the event gives none.
    private static string Event(params string[] lines) =>
        "BEGIN:VEVENT\r\n"
        + (lines.Any(l => l.StartsWith("UID:", StringComparison.Ordinal)) ? string.Empty : "UID:" + Guid.NewGuid().ToString("N") + "\r\n")
        + string.Concat(lines.Select(l => l + "\r\n"))
        + "END:VEVENT\r\n";
}
