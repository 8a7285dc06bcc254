using System.Xml.Linq;

namespace BoundaryGuard.Core.Tests.TimeZones;

/// <summary>The shared time-zone reference files (<c>shared/corpus/tz</c>).</summary>
internal static class TimeZoneCorpus
{
    public static string PathOf(string fileName) => SharedCorpus.Tz(fileName);

    /// <summary>The territory-001 rows of <c>windowsZones.xml</c>: each Windows id with CLDR's default IANA zone.</summary>
    public static IReadOnlyList<(string WindowsId, string IanaId)> PrimaryWindowsZones() =>
        XDocument.Load(PathOf("windowsZones.xml"))
            .Descendants("mapZone")
            .Where(row => (string?)row.Attribute("territory") == "001")
            .Select(row => ((string)row.Attribute("other")!, (string)row.Attribute("type")!))
            .ToList();
}
