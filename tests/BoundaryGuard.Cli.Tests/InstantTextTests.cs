using BoundaryGuard.Core;
using NodaTime;

namespace BoundaryGuard.Cli.Tests;

public class InstantTextTests
{
    [TestCase("2026-12-04T23:40:00-05:00", "2026-12-05T04:40:00Z")]
    [TestCase("2026-12-04T23:40-05:00", "2026-12-05T04:40:00Z")]
    [TestCase("2026-12-04T23:40:00Z", "2026-12-04T23:40:00Z")]
    [TestCase("2026-12-04t23:40:00z", "2026-12-04T23:40:00Z")]
    [TestCase("2026-12-04T23:40:00.25+0530", "2026-12-04T18:10:00.25Z")]
    [TestCase("2026-12-04T23:40:00,123456789+05", "2026-12-04T18:40:00.123456789Z")]
    [TestCase("2024-02-29T12:00:00+13:45", "2024-02-28T22:15:00Z")]
    public void Parse_IsoWithOffset_GivesTheInstant(string text, string expected)
    {
        Assert.That(NodaTime.Text.InstantPattern.ExtendedIso.Format(InstantText.Parse(text, "--at")), Is.EqualTo(expected));
    }

    [TestCase("2026-12-04T23:40:00", "has no offset")]
    [TestCase("2026-12-04T23:40", "has no offset")]
    [TestCase("2026-02-29T10:00:00Z", "is not a valid instant")]
    [TestCase("2026-12-04T24:00:00Z", "is not a valid instant")]
    [TestCase("2026-12-04T23:60:00Z", "is not a valid instant")]
    [TestCase("2026-12-04T23:40:00+19:00", "is not a valid instant")]
    [TestCase("2026-12-04T23:40:00-05:00x", "is not a valid instant")]
    [TestCase("2026-12-04 23:40:00Z", "is not a valid instant")]
    [TestCase("2026-12-04T23:40:00.Z", "is not a valid instant")]
    [TestCase("2026-12-04", "is not a valid instant")]
    [TestCase("", "is not a valid instant")]
    public void Parse_BadText_NamesTheFieldAndTheProblem(string text, string expected)
    {
        Assert.That(() => InstantText.Parse(text, "--at"),
            Throws.TypeOf<PolicyException>().With.Message.EqualTo($"--at: '{text}' {expected}" +
                (expected == "has no offset" ? " (add Z or an offset such as -05:00)" : " (expected e.g. 2026-12-04T23:40:00-05:00)")));
    }

    [TestCase("2026-12-07T12:00:00Z", "America/New_York", "2026-12-07T07:00:00-05:00")]
    [TestCase("2026-07-07T11:00:00Z", "America/New_York", "2026-07-07T07:00:00-04:00")]
    [TestCase("2026-07-07T11:00:00Z", "Etc/UTC", "2026-07-07T11:00:00+00:00")]
    [TestCase("2026-07-07T11:00:00.5Z", "Asia/Kathmandu", "2026-07-07T16:45:00.5+05:45")]
    [TestCase("2026-07-07T11:00:00.000000001Z", "Asia/Kathmandu", "2026-07-07T16:45:00.000000001+05:45")]
    public void Format_InstantInZone_WritesLocalTimeAndOffset(string instant, string zone, string expected)
    {
        var at = InstantText.Parse(instant, "instant");
        Span<byte> text = stackalloc byte[InstantText.MaxLength];

        var length = InstantText.Format(at, DateTimeZoneProviders.Tzdb[zone], text);

        Assert.That(System.Text.Encoding.UTF8.GetString(text[..length]), Is.EqualTo(expected));
    }
}
