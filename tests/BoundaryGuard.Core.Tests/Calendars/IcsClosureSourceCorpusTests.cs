using BoundaryGuard.Core.Calendars;
using NodaTime;
using NUnit.Framework;

namespace BoundaryGuard.Core.Tests.Calendars;

/// <summary>Real calendar files from <c>shared/corpus/ics</c> (see its README for where each comes from).</summary>
public class IcsClosureSourceCorpusTests
{
    private const string LegacyUs = "thunderbird-legacy-USHolidays.ics";
    private const string AutogenUs = "thunderbird-autogen-USHolidays.ics";
    private const string UnterminatedCalendar = "icalendar-tests-timezone_same_start_and_offset.ics";

    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];
    private static readonly DateTimeZone Tokyo = DateTimeZoneProviders.Tzdb["Asia/Tokyo"];

    private static readonly string[] AnzacDayNames = ["Anzac Day (NSW, SA, TAS, VIC, WA)"];

    private static readonly int[] StandupDays = [3, 6, 7, 8, 9, 10, 13, 14, 15, 16, 17, 20, 21, 22];

    /// <summary>Files in the folder that are documentation or indexes, not calendars.</summary>
    private static readonly string[] NotCalendars = ["README.md", "thunderbird-autogen-calendars.json"];

    /// <summary>
    /// What every calendar in the folder must do: import (with a year in which it has closures) or be rejected
    /// (with words the message must contain). A file added to the folder without a row here fails the loop below.
    /// </summary>
    private static readonly Dictionary<string, (int? Year, string? Rejection)> Expectations = new()
    {
        ["icalendar-tests-alarm_google_future.ics"] = (2024, null),
        ["icalendar-tests-alarm_thunderbird_future.ics"] = (2024, null),
        ["icalendar-tests-issue_165_missing_event.ics"] = (2015, null),
        ["icalendar-tests-issue_237_fail_to_parse_timezone_with_non_ascii_tzid.ics"] = (2017, null),
        ["icalendar-tests-issue_836_do_not_quote_tzid.ics"] = (2024, null),
        ["icalendar-tests-timezone_same_start.ics"] = (2017, null),
        [UnterminatedCalendar] = (null, "line 23: END:VCALENDARD does not close BEGIN:VCALENDAR from line 1"),
        ["princeton-registrar-academic-calendar.ics"] = (2022, null),
        ["thunderbird-autogen-AustraliaHolidays.ics"] = (2026, null),
        ["thunderbird-autogen-CanadaHolidays.ics"] = (2026, null),
        ["thunderbird-autogen-GermanHolidays.ics"] = (2026, null),
        ["thunderbird-autogen-IndiaHolidays.ics"] = (2026, null),
        ["thunderbird-autogen-UKHolidays.ics"] = (2026, null),
        [AutogenUs] = (2026, null),
        ["thunderbird-legacy-AustraliaHolidays.ics"] = (2021, null),
        ["thunderbird-legacy-CanadaHolidays.ics"] = (2026, null),
        ["thunderbird-legacy-GermanHolidays.ics"] = (2024, null),
        ["thunderbird-legacy-IndiaHolidays.ics"] = (2016, null),
        ["thunderbird-legacy-UKHolidays.ics"] = (2026, null),
        [LegacyUs] = (2026, null),
    };

    private static IEnumerable<string> CorpusFileNames() =>
        Directory.GetFiles(SharedCorpus.IcsFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    [TestCaseSource(nameof(CorpusFileNames))]
    public void Load_EveryFileInCorpusFolder_ImportsOrIsRejectedAsExpected(string fileName)
    {
        if (NotCalendars.Contains(fileName))
        {
            Assert.Pass("not a calendar");
        }

        Assert.That(Expectations, Does.ContainKey(fileName), "a new corpus file needs an expectation in this test");
        var (year, rejection) = Expectations[fileName];
        var source = $"calendars/{fileName}";
        if (rejection is not null)
        {
            Assert.That(
                () => IcsClosureSource.Load(SharedCorpus.Ics(fileName), source, ClosureFilter.All, NewYork),
                Throws.TypeOf<PolicyException>().With.Message.EqualTo($"{source} {rejection}"));
            return;
        }

        var calendar = IcsClosureSource.Load(SharedCorpus.Ics(fileName), source, ClosureFilter.All, NewYork);
        var closures = calendar.ClosuresIn(year!.Value).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(closures, Is.Not.Empty);
            Assert.That(closures.Select(c => c.Source), Is.All.EqualTo(source));
            Assert.That(closures.Select(c => c.Name), Is.All.Not.Empty);
            Assert.That(closures.Select(c => c.Date.Year), Is.All.EqualTo(year));
            Assert.That(closures.Select(c => c.ClosedFrom), Is.All.Null);
        }
    }

    [Test]
    public void ClosuresIn_AutogenUsWithFederalHolidayText_ClosesOnlyFederalDays()
    {
        var filter = ClosureFilter.Create(null, ["Federal Holiday"], null, null, null, null);
        var calendar = IcsClosureSource.Load(SharedCorpus.Ics(AutogenUs), "calendars/us.ics", filter, NewYork);

        var closures = calendar.ClosuresIn(2026).ToList();

        // The feed marks the Friday substitute for Independence Day (Saturday 4 July 2026) as the federal day and
        // lists 4 July itself only under states; the "(substitute) (AK, AL, AR, AZ, OK)" twin is a state holiday.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(closures, Has.Member(new Closure(new LocalDate(2026, 11, 26), "Thanksgiving Day", "calendars/us.ics")));
            Assert.That(closures, Has.Member(new Closure(new LocalDate(2026, 7, 3), "Independence Day (substitute)", "calendars/us.ics")));
            Assert.That(closures.Select(c => c.Name), Has.None.Contains("(AK, AL, AR, AZ, OK)"));
            Assert.That(closures.Select(c => c.Date), Has.None.EqualTo(new LocalDate(2026, 7, 4)));
            Assert.That(closures.Select(c => c.Name), Has.None.EqualTo("Kansas Day (Kansas)"));
            Assert.That(closures.Select(c => c.Date), Is.EqualTo(new[]
            {
                new LocalDate(2026, 1, 1), new LocalDate(2026, 1, 19), new LocalDate(2026, 2, 16),
                new LocalDate(2026, 5, 25), new LocalDate(2026, 6, 19), new LocalDate(2026, 7, 3),
                new LocalDate(2026, 9, 7), new LocalDate(2026, 10, 12), new LocalDate(2026, 11, 11),
                new LocalDate(2026, 11, 26), new LocalDate(2026, 12, 25),
            }));
        }
    }

    [Test]
    public void ClosuresIn_AutogenUsUnfiltered_ClosesStateObservancesToo()
    {
        var calendar = IcsClosureSource.Load(SharedCorpus.Ics(AutogenUs), "calendars/us.ics", ClosureFilter.All, NewYork);

        Assert.That(calendar.ClosuresIn(2026), Has.Member(new Closure(new LocalDate(2026, 1, 29), "Kansas Day (Kansas)", "calendars/us.ics")));
    }

    [Test]
    public void ClosuresIn_LegacyUsCountTen_NewYearsDay2021To2030Only()
    {
        var calendar = IcsClosureSource.Load(SharedCorpus.Ics(LegacyUs), "calendars/legacy-us.ics", ClosureFilter.All, NewYork);

        var newYears = Enumerable.Range(2020, 12)
            .Where(y => calendar.ClosuresIn(y).Any(c => c.Name == "New Year's Day" && c.Date == new LocalDate(y, 1, 1)))
            .ToList();

        Assert.That(newYears, Is.EqualTo(Enumerable.Range(2021, 10)));
    }

    [Test]
    public void ClosuresIn_LegacyUsDateStartWithUtcEnd_IsOneDay()
    {
        // DTSTART;VALUE=DATE:20210101 with DTEND:20210101T050001Z breaks RFC 5545's same-type rule; Ical.Net itself
        // throws on it while expanding. It is read as the one-day holiday it plainly is.
        var calendar = IcsClosureSource.Load(SharedCorpus.Ics(LegacyUs), "calendars/legacy-us.ics", ClosureFilter.All, NewYork);

        var january = calendar.ClosuresIn(2026).Where(c => c.Date.Month == 1).ToList();

        Assert.That(january.Where(c => c.Name == "New Year's Day").Select(c => c.Date), Is.EqualTo(new[] { new LocalDate(2026, 1, 1) }));
    }

    [TestCase(2021, 5, 31)]
    [TestCase(2026, 5, 25)]
    [TestCase(2030, 5, 27)]
    public void ClosuresIn_LegacyUsMemorialDay_IsLastMondayOfMay(int year, int month, int day)
    {
        var calendar = IcsClosureSource.Load(SharedCorpus.Ics(LegacyUs), "calendars/legacy-us.ics", ClosureFilter.All, NewYork);

        var memorial = calendar.ClosuresIn(year).Where(c => c.Name.StartsWith("Memorial Day", StringComparison.Ordinal)).ToList();

        Assert.That(memorial.Select(c => c.Date), Is.EqualTo(new[] { new LocalDate(year, month, day) }));
    }

    [Test]
    public void ClosuresIn_LegacyCanadaRulesAnchoredIn2012_ExpandInto2026()
    {
        var calendar = IcsClosureSource.Load(SharedCorpus.Ics("thunderbird-legacy-CanadaHolidays.ics"), "calendars/ca.ics", ClosureFilter.All, NewYork);

        var closures = calendar.ClosuresIn(2026).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(closures, Has.Count.EqualTo(26));
            Assert.That(closures, Has.Member(new Closure(new LocalDate(2026, 7, 1), "Canada Day", "calendars/ca.ics")));
            Assert.That(closures, Has.Member(new Closure(new LocalDate(2026, 2, 20), "Family Day (AB, ON, SK)", "calendars/ca.ics")));
        }
    }

    [Test]
    public void ClosuresIn_LegacyIndiaExdate_SkipsTheExcludedYear()
    {
        // "Sankranti": DTSTART 2014-01-14, RRULE:FREQ=YEARLY, EXDATE;VALUE=DATE:20160114.
        var calendar = IcsClosureSource.Load(SharedCorpus.Ics("thunderbird-legacy-IndiaHolidays.ics"), "calendars/in.ics", ClosureFilter.All, NewYork);

        LocalDate[] Sankranti(int year) =>
            [.. calendar.ClosuresIn(year).Where(c => c.Name == "Sankranti").Select(c => c.Date)];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Sankranti(2015), Is.EqualTo(new[] { new LocalDate(2015, 1, 14) }));
            Assert.That(Sankranti(2016), Is.Empty);
            Assert.That(Sankranti(2017), Is.EqualTo(new[] { new LocalDate(2017, 1, 14) }));
        }
    }

    [Test]
    public void ClosuresIn_LegacyUkRecurrenceIdOverride_MovesTheOccurrence()
    {
        var calendar = IcsClosureSource.Load(SharedCorpus.Ics("thunderbird-legacy-UKHolidays.ics"), "calendars/uk.ics", ClosureFilter.All, NewYork);

        var closures = calendar.ClosuresIn(2022).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(closures, Has.Member(new Closure(new LocalDate(2022, 1, 3), "New Year's Day (substitute)", "calendars/uk.ics")));
            Assert.That(closures.Where(c => c.Name == "New Year's Day"), Is.Empty);
            Assert.That(calendar.ClosuresIn(2030).Where(c => c.Name == "New Year's Day").Select(c => c.Date), Is.EqualTo(new[] { new LocalDate(2030, 1, 1) }));
            Assert.That(calendar.ClosuresIn(2031).Where(c => c.Name == "New Year's Day"), Is.Empty);
        }
    }

    [Test]
    public void ClosuresIn_LegacyAustraliaOverrideWithoutCategories_InheritsTheMastersCategory()
    {
        var filter = ClosureFilter.Create(["Public Holiday"], null, null, null, null, null);
        var calendar = IcsClosureSource.Load(SharedCorpus.Ics("thunderbird-legacy-AustraliaHolidays.ics"), "calendars/au.ics", filter, NewYork);

        var anzac = calendar.ClosuresIn(2021).Where(c => c.Date == new LocalDate(2021, 4, 25)).Select(c => c.Name);

        Assert.That(anzac, Is.EqualTo(AnzacDayNames));
    }

    [Test]
    public void ClosuresIn_PrincetonFinalExams_SpanWithExclusiveEnd()
    {
        var filter = ClosureFilter.Create(null, null, ["Spring Term Final Examinations"], null, null, null);
        var calendar = IcsClosureSource.Load(SharedCorpus.Ics("princeton-registrar-academic-calendar.ics"), "calendars/princeton.ics", filter, NewYork);

        var days = calendar.ClosuresIn(2022).Select(c => c.Date).ToList();

        Assert.That(days, Is.EqualTo(Enumerable.Range(6, 7).Select(d => new LocalDate(2022, 5, d))));
    }

    [Test]
    public void ClosuresIn_PrincetonRecessesByText_LeaveDeadlinesOpen()
    {
        var filter = ClosureFilter.Create(null, ["Recess", "Holiday"], null, null, ["Classes Resume"], null);
        var calendar = IcsClosureSource.Load(SharedCorpus.Ics("princeton-registrar-academic-calendar.ics"), "calendars/princeton.ics", filter, NewYork);

        var names = calendar.ClosuresIn(2022).Select(c => c.Name).Distinct().ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(names, Has.Member("Labor Day Holiday"));
            Assert.That(names, Has.Member("Fall Recess Begins"));
            Assert.That(names, Has.None.Contains("Deadline"));
            Assert.That(names, Has.None.StartsWith("Classes Resume"));
        }
    }

    [Test]
    public void ClosuresIn_AutogenGermanPaddedSummary_IsTrimmed()
    {
        var calendar = IcsClosureSource.Load(SharedCorpus.Ics("thunderbird-autogen-GermanHolidays.ics"), "calendars/de.ics", ClosureFilter.All, NewYork);

        Assert.That(calendar.ClosuresIn(2026), Has.Member(new Closure(new LocalDate(2026, 1, 1), "Neujahrstag", "calendars/de.ics")));
    }

    // Exchange 2010: DTSTART;TZID=Eastern Standard Time:20241028T170000 (unquoted Windows id), 21:00 UTC.
    [TestCase("America/New_York", 2024, 10, 28)]
    [TestCase("Asia/Tokyo", 2024, 10, 29)]
    public void ClosuresIn_UnquotedWindowsTzid_LandsOnThePolicyZonesDay(string zone, int year, int month, int day)
    {
        AssertSingleDay("icalendar-tests-issue_836_do_not_quote_tzid.ics", zone, new LocalDate(year, month, day), "Anonymous Test Event for TZID");
    }

    // Exchange 2010: DTSTART;TZID="Pacific Standard Time":20170224T120000, 20:00 UTC.
    [TestCase("America/New_York", 2017, 2, 24)]
    [TestCase("Asia/Tokyo", 2017, 2, 25)]
    public void ClosuresIn_QuotedWindowsTzid_LandsOnThePolicyZonesDay(string zone, int year, int month, int day)
    {
        AssertSingleDay("icalendar-tests-timezone_same_start.ics", zone, new LocalDate(year, month, day), "Test 4");
    }

    // A Windows display name with no VEVENT SUMMARY; only the file's VTIMEZONE (-03:00 in May) says 13:30 is 16:30 UTC.
    [TestCase("America/Sao_Paulo", 2017, 5, 11)]
    [TestCase("Asia/Tokyo", 2017, 5, 12)]
    public void ClosuresIn_CustomTzidDefinedByVtimezone_UsesTheBlocksOffset(string zone, int year, int month, int day)
    {
        AssertSingleDay("icalendar-tests-issue_237_fail_to_parse_timezone_with_non_ascii_tzid.ics", zone, new LocalDate(year, month, day), "Untitled event");
    }

    [TestCase("Europe/Berlin", 3)]
    [TestCase("Pacific/Honolulu", 2)]
    public void ClosuresIn_MicrosoftCdoDailyRuleInCustomZone_WeekdaysUntilUtcUntil(string zone, int firstDay)
    {
        // 10:00 at +02:00 every weekday from Friday 3 July 2015 until UNTIL=20150722T080000Z (the last 10:00 start).
        // In Honolulu 08:00 UTC is 22:00 the day before, so every day moves back by one.
        var calendar = IcsClosureSource.Load(
            SharedCorpus.Ics("icalendar-tests-issue_165_missing_event.ics"), "calendars/standup.ics", ClosureFilter.All, DateTimeZoneProviders.Tzdb[zone]);

        var expected = StandupDays.Select(d => new LocalDate(2015, 7, d).PlusDays(firstDay - 3));

        Assert.That(calendar.ClosuresIn(2015).Select(c => c.Date), Is.EqualTo(expected));
    }

    [TestCase("America/New_York", 2024, 10, 23)]
    [TestCase("Pacific/Auckland", 2024, 10, 24)]
    public void ClosuresIn_ThunderbirdIanaTzid_LandsOnThePolicyZonesDay(string zone, int year, int month, int day)
    {
        // DTSTART;TZID=Europe/London:20241023T150000 is 14:00 UTC (BST), 03:00 next day in Auckland (+13).
        AssertSingleDay("icalendar-tests-alarm_thunderbird_future.ics", zone, new LocalDate(year, month, day), "event with alarms");
    }

    [Test]
    public void ClosuresIn_GoogleUtcEvent_LandsOnTokyosNextDay()
    {
        // DTSTART:20241004T181500Z is 03:15 on 5 October in Tokyo.
        AssertSingleDay("icalendar-tests-alarm_google_future.ics", "Asia/Tokyo", new LocalDate(2024, 10, 5), "event with alarms");
    }

    [Test]
    public void Load_UnterminatedCalendar_IsRejectedWithTheLine()
    {
        Assert.That(
            () => IcsClosureSource.Load(SharedCorpus.Ics(UnterminatedCalendar), "calendars/tokyo.ics", ClosureFilter.All, Tokyo),
            Throws.TypeOf<PolicyException>().With.Message.EqualTo(
                "calendars/tokyo.ics line 23: END:VCALENDARD does not close BEGIN:VCALENDAR from line 1"));
    }

    private static void AssertSingleDay(string fileName, string zone, LocalDate expected, string name)
    {
        var calendar = IcsClosureSource.Load(SharedCorpus.Ics(fileName), "calendars/x.ics", ClosureFilter.All, DateTimeZoneProviders.Tzdb[zone]);

        var closures = Enumerable.Range(expected.Year - 1, 3).SelectMany(calendar.ClosuresIn).ToList();

        Assert.That(closures, Is.EqualTo(new[] { new Closure(expected, name, "calendars/x.ics") }));
    }
}
