using System.Text.Json;
using BoundaryGuard.Core.Decisions;
using NodaTime;

namespace BoundaryGuard.Cli;

/// <summary>The contract's one-line decision object.</summary>
internal static class DecisionJson
{
    public static void Write(Utf8JsonWriter writer, Decision decision, DateTimeZone zone)
    {
        writer.WriteStartObject();
        writer.WriteString("decision"u8, decision.Kind == DecisionKind.Send ? "send"u8 : "hold"u8);
        if (decision.ReleaseAt is { } releaseAt)
        {
            writer.WriteString("releaseAt"u8, InstantText.Format(releaseAt, zone));
        }
        else
        {
            writer.WriteNull("releaseAt"u8);
        }

        writer.WriteStartArray("reasons"u8);
        foreach (var reason in decision.Reasons.Names())
        {
            writer.WriteStringValue(reason);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
    }
}
