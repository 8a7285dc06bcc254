using BoundaryGuard.Core.TimeZones;
using NodaTime;
using NUnit.Framework;

namespace BoundaryGuard.Core.Tests.TimeZones;

public class TimeZoneLookupTests
{
    private const string Field = "workingHours.timeZone.name";

    // NodaTime 3.3.7 bundles CLDR 49 and agrees with every territory-001 row of the shared CLDR 48 file, so the ids
    // are compared directly. (CLDR 49 adds three ids the file lacks: British Columbia, Alberta and Manitoba
    // Standard Time; they resolve too.) If a NodaTime update changes a default zone, this test says which one.
    private static IEnumerable<TestCaseData> CldrPrimaryRows() =>
        TimeZoneCorpus.PrimaryWindowsZones()
            .Select(row => new TestCaseData(row.WindowsId, row.IanaId).SetArgDisplayNames(row.WindowsId));

    [TestCaseSource(nameof(CldrPrimaryRows))]
    public void Find_WindowsIdFromCldrFile_ReturnsZoneTheFileNames(string windowsId, string ianaId)
    {
        var zone = TimeZoneLookup.Find(windowsId, Field);

        Assert.That(zone.Id, Is.EqualTo(ianaId));
    }

    [Test]
    public void PrimaryWindowsZones_SharedFile_HasEveryWindowsIdOnce()
    {
        var rows = TimeZoneCorpus.PrimaryWindowsZones();

        // The corpus README promises 139 distinct Windows ids; a truncated file would silently shrink the test above.
        Assert.That(rows.Select(r => r.WindowsId).ToList(), Is.Unique.And.Count.EqualTo(139));
    }

    [TestCase("Eastern Standard Time", "America/New_York")]
    [TestCase("Pacific Standard Time", "America/Los_Angeles")]
    [TestCase("Hawaiian Standard Time", "Pacific/Honolulu")]
    [TestCase("Aleutian Standard Time", "America/Adak")]
    [TestCase("India Standard Time", "Asia/Calcutta")]
    [TestCase("eastern standard time", "America/New_York")]
    [TestCase("EASTERN STANDARD TIME", "America/New_York")]
    [TestCase("  Tokyo Standard Time\t", "Asia/Tokyo")]
    [TestCase("America/New_York", "America/New_York")]
    [TestCase(" Europe/Kyiv ", "Europe/Kyiv")]
    [TestCase("UTC", "Etc/UTC")]
    [TestCase("Etc/UTC", "Etc/UTC")]
    [TestCase("UTC-11", "Etc/GMT+11")]
    [TestCase("UTC+05:30", "UTC+05:30")]
    [TestCase("British Columbia Standard Time", "America/Vancouver")]
    public void Find_KnownId_ReturnsZone(string id, string expectedZoneId)
    {
        var zone = TimeZoneLookup.Find(id, Field);

        Assert.That(zone.Id, Is.EqualTo(expectedZoneId));
    }

    [Test]
    public void Find_Utc_HasZeroOffset()
    {
        var zone = TimeZoneLookup.Find("UTC", Field);

        Assert.That(zone.GetUtcOffset(Instant.FromUtc(2026, 7, 1, 12, 0)), Is.EqualTo(Offset.Zero));
    }

    // "Hawaii-Aleutian Standard Time" is the example in Graph's own timeZoneBase doc, but no Windows or IANA zone
    // has that id: guessing Honolulu or Adak would put a recipient's hours an hour off half the year.
    [TestCase("Hawaii-Aleutian Standard Time")]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("Mars/Olympus")]
    [TestCase("Customized Time Zone")]
    [TestCase("(UTC-05:00) Eastern Time (US & Canada)")]
    [TestCase("Eastern  Standard Time")]
    [TestCase("america/new_york")]
    [TestCase("Europe/Kyiv (Kiev)")]
    public void Find_UnknownId_ThrowsPolicyExceptionNamingFieldAndId(string id)
    {
        Assert.That(() => TimeZoneLookup.Find(id, Field),
            Throws.TypeOf<PolicyException>().With.Message.EqualTo($"{Field}: unknown time zone '{id.Trim()}'"));
    }

    [Test]
    public void Find_IdWithLineBreak_MessageStaysOneLine()
    {
        Assert.That(() => TimeZoneLookup.Find("Mars/\nOlympus", Field),
            Throws.TypeOf<PolicyException>().With.Message.EqualTo($"{Field}: unknown time zone 'Mars/?Olympus'"));
    }

    [TestCase("Hawaii-Aleutian Standard Time")]
    [TestCase("")]
    [TestCase("Mars/Olympus")]
    public void TryFind_UnknownId_ReturnsFalse(string id)
    {
        var found = TimeZoneLookup.TryFind(id, out var zone);

        Assert.That((found, zone), Is.EqualTo((false, (DateTimeZone?)null)));
    }

    [Test]
    public void TryFind_WindowsId_ReturnsTrueAndZone()
    {
        var found = TimeZoneLookup.TryFind("W. Europe Standard Time", out var zone);

        Assert.That((found, zone?.Id), Is.EqualTo((true, "Europe/Berlin")));
    }

    // Graph's calendar API accepts these IANA-style names besides the Windows ids; a recipient's mailbox may use any
    // of them. Four documented entries carry an old name in parentheses and are not ids as written.
    [Test]
    public void TryFind_GraphAdditionalIanaNames_AllResolveExceptParenthesisedOnes()
    {
        var names = File.ReadAllLines(TimeZoneCorpus.PathOf("graph-datetimetimezone-additional-timezones.txt"))
            .Where(line => line.Length > 0)
            .ToList();

        var unresolved = names.Where(name => !TimeZoneLookup.TryFind(name, out _)).ToList();

        Assert.That(unresolved, Is.EqualTo(names.Where(name => name.Contains('(', StringComparison.Ordinal))).And.Count.EqualTo(4));
    }
}
