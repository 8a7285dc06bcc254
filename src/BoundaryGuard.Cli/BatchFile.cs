using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using BoundaryGuard.Core;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Core.Policies;

namespace BoundaryGuard.Cli;

/// <summary>
/// <c>--batch FILE.jsonl</c>: lines <c>{"at": "...", "to": [...]}</c>, read as a stream of UTF-8 bytes and parsed in
/// place, so a million lines cost a million small parses rather than a million strings and documents. Blank lines
/// are skipped. Messages name the file and line.
/// </summary>
internal static class BatchFile
{
    public static void Evaluate(BoundaryPolicy policy, string path, Action<Decision> onDecision)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw InputFile.Unreadable(path, e);
        }

        using (stream)
        {
            var buffer = new byte[1 << 20];
            var filled = 0;
            var lineNumber = 0;
            var recipients = new List<WorkingHours>();
            var start = true;
            while (true)
            {
                var read = stream.Read(buffer, filled, buffer.Length - filled);
                filled += read;
                var data = buffer.AsSpan(0, filled);
                if (start && data.StartsWith(Encoding.UTF8.Preamble))
                {
                    data = data[Encoding.UTF8.Preamble.Length..];
                }

                start = false;
                int newline;
                while ((newline = data.IndexOf((byte)'\n')) >= 0)
                {
                    Line(policy, path, data[..newline], ++lineNumber, recipients, onDecision);
                    data = data[(newline + 1)..];
                }

                if (read == 0)
                {
                    if (!data.IsEmpty)
                    {
                        Line(policy, path, data, ++lineNumber, recipients, onDecision);
                    }

                    return;
                }

                // Keep the unfinished line at the front; grow the buffer for a line longer than it.
                data.CopyTo(buffer);
                filled = data.Length;
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
            }
        }
    }

    private static void Line(
        BoundaryPolicy policy,
        string path,
        ReadOnlySpan<byte> line,
        int number,
        List<WorkingHours> recipients,
        Action<Decision> onDecision)
    {
        line = line.TrimEnd((byte)'\r');
        if (line.Trim(" \t"u8).IsEmpty)
        {
            return;
        }

        Span<byte> at = stackalloc byte[64];
        var atLength = -1;
        recipients.Clear();
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Bad(path, number, "expected an object {\"at\": ..., \"to\": [...]}");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("at"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw Bad(path, number, "at: expected a string");
                    }

                    // Longer than any instant: keep what fits and let the parser name the value as invalid.
                    atLength = reader.ValueSpan.Length <= at.Length ? reader.CopyString(at) : 0;
                }
                else if (reader.ValueTextEquals("to"u8))
                {
                    ReadRecipients(ref reader, policy, path, number, recipients);
                }
                else
                {
                    throw Bad(path, number, $"{reader.GetString()}: unknown property (expected at, to)");
                }
            }

            // One object per line: nothing may follow it.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw Bad(path, number, "expected one object per line");
            }
        }
        catch (JsonException)
        {
            throw Bad(path, number, "not valid JSON");
        }

        if (atLength < 0)
        {
            throw Bad(path, number, "at is missing");
        }

        var instant = InstantText.Parse(at[..atLength], static s => $"{s.path} line {s.number}: at", (path, number));
        var decision = policy.Evaluate(instant, CollectionsMarshal.AsSpan(recipients));
        onDecision(decision.Kind == DecisionKind.NoCommonTime ? throw Bad(path, number, EvaluateCommand.NoCommonTime) : decision);
    }

    private static void ReadRecipients(
        ref Utf8JsonReader reader, BoundaryPolicy policy, string path, int number, List<WorkingHours> recipients)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Bad(path, number, "to: expected an array of addresses");
        }

        Span<char> address = stackalloc char[320];
        while (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            // Addresses are at most 320 characters (RFC 5321); a longer one cannot be a known recipient.
            if (reader.ValueSpan.Length <= address.Length &&
                policy.TryGetPerson(address[..reader.CopyString(address)], out var hours))
            {
                recipients.Add(hours);
            }
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw Bad(path, number, "to: expected an array of addresses");
        }
    }

    private static PolicyException Bad(string path, int number, string message) => new($"{path} line {number}: {message}");
}
