using System.Globalization;
using BoundaryGuard.GraphSandbox.Storage;

namespace BoundaryGuard.GraphSandbox.Messages;

/// <summary>
/// A delta position, carried whole inside <c>$skiptoken</c> / <c>$deltatoken</c>, so the sandbox keeps no per-client
/// sync state and a token survives a restart whenever the data it points into does (the data file). A round
/// reports the changes with sequence in (<see cref="From"/>, <see cref="To"/>]; a page continues after
/// <see cref="After"/>. <see cref="Epoch"/> ties the token to one data set.
/// </summary>
internal sealed record DeltaToken(string Epoch, string UserId, string FolderId, long From, long To, long After, string? Select)
{
    private const string Version = "d1";

    public string Encode() => SandboxIds.Base64UrlText(string.Join('\n',
        Version, Epoch, UserId, FolderId,
        From.ToString(CultureInfo.InvariantCulture), To.ToString(CultureInfo.InvariantCulture),
        After.ToString(CultureInfo.InvariantCulture), Select ?? ""));

    public static DeltaToken? TryDecode(string text)
    {
        if (!SandboxIds.TryDecodeBase64UrlText(text, out var decoded))
        {
            return null;
        }

        var parts = decoded.Split('\n');
        if (parts.Length != 8 || parts[0] != Version
            || !long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
            || !long.TryParse(parts[5], NumberStyles.None, CultureInfo.InvariantCulture, out var to)
            || !long.TryParse(parts[6], NumberStyles.None, CultureInfo.InvariantCulture, out var after)
            || from > to || after < from || after > to)
        {
            return null;
        }

        return new DeltaToken(parts[1], parts[2], parts[3], from, to, after, parts[7].Length == 0 ? null : parts[7]);
    }
}
