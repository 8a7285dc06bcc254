using System.Text;
using System.Text.Json;
using BoundaryGuard.Core;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Core.Policies;

namespace BoundaryGuard.Cli;

/// <summary>
/// <c>--batch FILE.jsonl</c>: lines <c>{"at": "...", "to": [...]}</c>, read as a stream of UTF-8 bytes so a million
/// lines cost a million small parses, not a million strings and documents. Blank lines are skipped.
/// </summary>
internal static class BatchFile
{
    public static void Evaluate(BoundaryPolicy policy, string path, Action<Decision, int> onDecision)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PolicyException($"{path}: {(e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : "cannot be read")}", e);
        }

        using (stream)
        {
            var buffer = new byte[1 << 20];
            var filled = 0;
            var lineNumber = 0;
            var recipients = new List<WorkingHours>();
            var first = true;
            while (true)
            {
                var read = stream.Read(buffer, filled, buffer.Length - filled);
                filled += read;
                var data = buffer.AsSpan(0, filled);
                if (first && data.StartsWith(Encoding.UTF8.Preamble))
                {
                    data = data[3..];
                    first = false;
                }

                var consumed = filled - data.Length;
                int newline;
                while ((newline = data.IndexOf((byte)'\n')) >= 0)
                {
                    Line(policy, path, data[..newline], ++lineNumber, recipients, onDecision);
                    data = data[(newline + 1)..];
                    consumed += newline + 1;
                }

                if (read == 0)
                {
                    if (!data.IsEmpty)
                    {
                        Line(policy, path, data, ++lineNumber, recipients, onDecision);
                    }

                    return;
                }

                // Keep the unfinished line; grow the buffer for a line longer than it.
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
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
        Action<Decision, int> onDecision)
    {
        line = line.TrimEnd((byte)'\r');
        if (line.Trim(" \t"u8).IsEmpty)
        {
            return;
        }

        var where = $"{path} line {number}";
        string? at = null;
        recipients.Clear();
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new PolicyException($"{where}: expected an object {{\"at\": ..., \"to\": [...]}}");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("at"u8))
                {
                    reader.Read();
                    at = reader.TokenType == JsonTokenType.String
                        ? reader.GetString()
                        : throw new PolicyException($"{where}: at: expected a string");
                }
                else if (reader.ValueTextEquals("to"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw new PolicyException($"{where}: to: expected an array of addresses");
                    }

                    while (reader.Read() && reader.TokenType == JsonTokenType.String)
                    {
                        if (EvaluateCommand.Recipient(policy, reader.GetString()!) is { } hours)
                        {
                            recipients.Add(hours);
                        }
                    }

                    if (reader.TokenType != JsonTokenType.EndArray)
                    {
                        throw new PolicyException($"{where}: to: expected an array of addresses");
                    }
                }
                else
                {
                    throw new PolicyException($"{where}: {reader.GetString()}: unknown property (expected at, to)");
                }
            }

            // A final Read must find nothing: one object per line.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw new PolicyException($"{where}: expected one object per line");
            }
        }
        catch (JsonException)
        {
            throw new PolicyException($"{where}: not valid JSON");
        }

        if (at is null)
        {
            throw new PolicyException($"{where}: at is missing");
        }

        var instant = InstantText.Parse(at, $"{where}: at");
        onDecision(EvaluateCommand.Decide(policy, instant, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(recipients), where), number);
    }
}
