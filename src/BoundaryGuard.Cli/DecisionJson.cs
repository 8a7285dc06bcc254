using System.Text.Json;
using BoundaryGuard.Core.Decisions;
using NodaTime;

namespace BoundaryGuard.Cli;

/// <summary>The contract's one-line decision object.</summary>
internal static class DecisionJson
{
    private static readonly (HoldReasons Reason, byte[] Name)[] ReasonNames =
    [
        .. Enum.GetValues<HoldReasons>()
            .Where(r => r != HoldReasons.None)
            .Select(r => (r, System.Text.Encoding.UTF8.GetBytes(r.Names().Single()))),
    ];

    public static void Write(Utf8JsonWriter writer, Decision decision, DateTimeZone zone)
    {
        writer.WriteStartObject();
        writer.WriteString("decision"u8, decision.Kind == DecisionKind.Send ? "send"u8 : "hold"u8);
        if (decision.ReleaseAt is { } releaseAt)
        {
            Span<byte> text = stackalloc byte[InstantText.MaxLength];
            writer.WriteString("releaseAt"u8, text[..InstantText.Format(releaseAt, zone, text)]);
        }
        else
        {
            writer.WriteNull("releaseAt"u8);
        }

        writer.WriteStartArray("reasons"u8);
        foreach (var (reason, name) in ReasonNames)
        {
            if ((decision.Reasons & reason) != 0)
            {
                writer.WriteStringValue(name);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
    }
}
