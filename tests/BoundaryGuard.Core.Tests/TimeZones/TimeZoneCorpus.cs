using System.Xml.Linq;

namespace BoundaryGuard.Core.Tests.TimeZones;

/// <summary>
/// The shared time-zone reference files (<c>shared/corpus/tz</c>). They are read where they live rather than copied
/// into the repo, so a CLDR update there is tested without a second copy drifting; <c>shared/</c> sits beside the
/// repo root (or above the worktree), so it is found by walking up from the test assembly.
/// </summary>
internal static class TimeZoneCorpus
{
    private static readonly Lazy<string> Directory = new(Locate);

    public static string PathOf(string fileName) => Path.Combine(Directory.Value, fileName);

    /// <summary>The territory-001 rows of <c>windowsZones.xml</c>: each Windows id with CLDR's default IANA zone.</summary>
    public static IReadOnlyList<(string WindowsId, string IanaId)> PrimaryWindowsZones() =>
        XDocument.Load(PathOf("windowsZones.xml"))
            .Descendants("mapZone")
            .Where(row => (string?)row.Attribute("territory") == "001")
            .Select(row => ((string)row.Attribute("other")!, (string)row.Attribute("type")!))
            .ToList();

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "corpus", "tz");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No shared/corpus/tz in any directory above {AppContext.BaseDirectory}; clone shared/ beside the repo.");
    }
}
