using BoundaryGuard.Core.Calendars;
using NodaTime;
using NUnit.Framework;

namespace BoundaryGuard.Core.Tests.Calendars;

public class NationalHolidaySourceTests
{
    private static readonly string[] CodesTheReadmeNames = ["US", "GB", "UK", "CA", "DE", "AU", "FR", "DE-BY", "AU-NSW", "CA-QC", "GB-SCT"];

    [Test]
    public void ClosuresIn_Us2026_IndependenceDayOnSaturdayAndItsObservedFriday()
    {
        var us = NationalHolidaySource.Create("US", "nationalHolidays[0]");

        var closures = us.ClosuresIn(2026).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(closures, Has.Member(new Closure(new LocalDate(2026, 7, 4), "Independence Day", "national:US")));
            Assert.That(closures, Has.Member(new Closure(new LocalDate(2026, 7, 3), "Independence Day (observed)", "national:US")));
            Assert.That(closures, Has.Member(new Closure(new LocalDate(2026, 11, 26), "Thanksgiving", "national:US")));
            Assert.That(closures, Has.Count.EqualTo(12));
        }
    }

    [Test]
    public void ClosuresIn_UsNewYearOnSaturday_IsObservedInTheYearBefore()
    {
        var us = NationalHolidaySource.Create("US", "nationalHolidays[0]");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(us.ClosuresIn(2027), Has.Member(new Closure(new LocalDate(2027, 12, 31), "New Year (observed)", "national:US")));
            Assert.That(us.ClosuresIn(2028), Has.Member(new Closure(new LocalDate(2028, 1, 1), "New Year", "national:US")));
            Assert.That(us.ClosuresIn(2028).Select(c => c.Date.Year), Is.All.EqualTo(2028));
        }
    }

    [Test]
    public void Create_LowerCaseCode_SourceIsUpperCased()
    {
        var us = NationalHolidaySource.Create(" us ", "nationalHolidays[0]");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(us.Code, Is.EqualTo("US"));
            Assert.That(us.ClosuresIn(2026).Select(c => c.Source), Is.All.EqualTo("national:US"));
        }
    }

    [TestCase("GB")]
    [TestCase("UK")]
    public void ClosuresIn_Gb2026BoxingDayOnSaturday_IsSubstitutedByMonday(string code)
    {
        var gb = NationalHolidaySource.Create(code, "nationalHolidays[0]");

        var december = gb.ClosuresIn(2026).Where(c => c.Date.Month == 12).ToList();

        Assert.That(december, Is.EqualTo(new[]
        {
            new Closure(new LocalDate(2026, 12, 25), "Christmas", $"national:{code}"),
            new Closure(new LocalDate(2026, 12, 28), "Boxing Day", $"national:{code}"),
        }));
    }

    [Test]
    public void ClosuresIn_GbScotland_HasStAndrewsDayAndNoEasterMonday()
    {
        var scotland = NationalHolidaySource.Create("GB-SCT", "nationalHolidays[1]");

        var closures = scotland.ClosuresIn(2026).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(closures, Has.Member(new Closure(new LocalDate(2026, 11, 30), "St Andrew's Day", "national:GB-SCT")));
            Assert.That(closures.Select(c => c.Date), Has.None.EqualTo(new LocalDate(2026, 4, 6)));
        }
    }

    [Test]
    public void ClosuresIn_GermanStateBavaria_AddsCorpusChristiToTheNationalDays()
    {
        var germany = NationalHolidaySource.Create("DE", "nationalHolidays[0]").ClosuresIn(2026).Select(c => c.Date).ToList();
        var bavaria = NationalHolidaySource.Create("DE-BY", "nationalHolidays[0]").ClosuresIn(2026).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(bavaria, Has.Member(new Closure(new LocalDate(2026, 6, 4), "Fronleichnam", "national:DE-BY")));
            Assert.That(germany, Has.None.EqualTo(new LocalDate(2026, 6, 4)));
            Assert.That(bavaria.Select(c => c.Date), Is.SupersetOf(germany));
        }
    }

    [TestCase("AU-NSW", 2026, 10, 5)]
    [TestCase("CA-QC", 2026, 6, 24)]
    [TestCase("CH-ZH", 2026, 1, 2)]
    public void ClosuresIn_RegionCode_HasItsRegionalDay(string code, int year, int month, int day)
    {
        var region = NationalHolidaySource.Create(code, "nationalHolidays[0]");

        Assert.That(region.ClosuresIn(year).Select(c => c.Date), Has.Member(new LocalDate(year, month, day)));
    }

    [Test]
    public void ClosuresIn_PortugalAzores_LeavesMadeirasDaysOut()
    {
        // PublicHolidaysInformation lists every region's days whatever the region; only the names list filters.
        var azores = NationalHolidaySource.Create("PT-20", "nationalHolidays[0]").ClosuresIn(2026).Select(c => c.Date).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(azores, Has.Member(new LocalDate(2026, 5, 25)));
            Assert.That(azores, Has.None.EqualTo(new LocalDate(2026, 7, 1)));
        }
    }

    [TestCase("US", 2026)]
    [TestCase("JP", 2026)]
    [TestCase("DE-SN", 2026)]
    [TestCase("FR", 2026)]
    public void ClosuresIn_AnyCalendar_NamesEveryDay(string code, int year)
    {
        var closures = NationalHolidaySource.Create(code, "nationalHolidays[0]").ClosuresIn(year).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(closures, Is.Not.Empty);
            Assert.That(closures.Select(c => c.Name), Is.All.Not.Empty.And.All.Not.EqualTo("Public holiday"));
        }
    }

    [Test]
    public void SupportedCodes_ListsCountriesAndRegions()
    {
        Assert.That(NationalHolidaySource.SupportedCodes, Is.SupersetOf(CodesTheReadmeNames));
    }

    [Test]
    public void Create_UnknownCode_NamesFieldCodeAndSupportedList()
    {
        Assert.That(
            () => NationalHolidaySource.Create("XX", "nationalHolidays[0]"),
            Throws.TypeOf<PolicyException>().With.Message.StartsWith("nationalHolidays[0]: unknown country or region 'XX' (supported: AT, AU, AU-ACT,")
                .And.Message.Contains(", US, ZA)"));
    }

    [TestCase("US-CA")]
    [TestCase("PO")]
    [TestCase("")]
    public void Create_UnsupportedRegionOrAlias_IsUnknown(string code)
    {
        Assert.That(
            () => NationalHolidaySource.Create(code, "nationalHolidays[3]"),
            Throws.TypeOf<PolicyException>().With.Message.StartsWith($"nationalHolidays[3]: unknown country or region '{code}'"));
    }
}
