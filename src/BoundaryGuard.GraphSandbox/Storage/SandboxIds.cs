using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace BoundaryGuard.GraphSandbox.Storage;

/// <summary>
/// Ids that look like Exchange's (opaque, URL-safe base64) so clients cannot come to depend on a GUID shape.
/// They are immutable ids: assigned once and never changed by a move or a send.
/// </summary>
internal static class SandboxIds
{
    public static string NewMessageId() => "AAMkAG" + Random(24);

    public static string NewFolderId() => "AQMkAD" + Random(12);

    public static string NewConversationId() => "AAQkAD" + Random(12);

    public static string NewCalendarId() => "AAMkAGCal" + Random(12);

    public static string NewEventId() => "AAMkAGEvt" + Random(18);

    public static string NewInternetMessageId(string domain) => $"<{Guid.NewGuid():N}@{domain}>";

    /// <summary>Outlook's changeKey changes with every write; here it is derived from the write's sequence number.</summary>
    public static string ChangeKey(long sequence) =>
        "CQAAABYAAA" + Convert.ToBase64String(BitConverter.GetBytes(sequence));

    public static string ICalUId() => "040000008200E00074C5B7101A82E008" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    public static string Base64UrlText(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    public static bool TryDecodeBase64UrlText(string encoded, out string text)
    {
        text = "";
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(encoded));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Random(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));
}
