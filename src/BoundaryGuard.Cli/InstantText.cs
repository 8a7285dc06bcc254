using System.Text;
using BoundaryGuard.Core;
using NodaTime;

namespace BoundaryGuard.Cli;

/// <summary>
/// ISO 8601 instants as the contract writes them, read and written as UTF-8 without allocating: a batch of a million
/// lines parses and prints a million of them. Input: <c>yyyy-MM-ddTHH:mm[:ss[.fffffffff]]</c> followed by <c>Z</c>
/// or an offset (<c>±HH:mm</c>, <c>±HHmm</c>, <c>±HH</c>); an instant without an offset is refused, never guessed.
/// Output: <c>yyyy-MM-ddTHH:mm:ss[.fffffffff]±HH:mm</c> in the zone's offset at that instant.
/// </summary>
internal static class InstantText
{
    /// <summary>Longest output: 2026-12-07T07:00:00.123456789-05:00.</summary>
    public const int MaxLength = 35;

    public static Instant Parse(string text, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> utf8 = stackalloc byte[Math.Min(Encoding.UTF8.GetMaxByteCount(text.Length), 256)];
        var length = Encoding.UTF8.GetByteCount(text) <= utf8.Length ? Encoding.UTF8.GetBytes(text, utf8) : 0;
        return Parse(utf8[..length], field);
    }

    public static Instant Parse(ReadOnlySpan<byte> text, string field) =>
        Parse(text, static field => field, field);

    /// <param name="field">Names the field in a message; built only when the text is bad.</param>
    public static Instant Parse<TState>(ReadOnlySpan<byte> text, Func<TState, string> field, TState state)
    {
        var result = TryParse(text, out var instant);
        return result switch
        {
            Result.Ok => instant,
            Result.NoOffset => throw new PolicyException(
                $"{field(state)}: '{Encoding.UTF8.GetString(text)}' has no offset (add Z or an offset such as -05:00)"),
            _ => throw new PolicyException(
                $"{field(state)}: '{Encoding.UTF8.GetString(text)}' is not a valid instant (expected e.g. 2026-12-04T23:40:00-05:00)"),
        };
    }

    public static int Format(Instant instant, DateTimeZone zone, Span<byte> destination)
    {
        var zoned = instant.InZone(zone);
        var local = zoned.LocalDateTime;
        var i = 0;
        Digits(destination, ref i, local.Year, 4);
        destination[i++] = (byte)'-';
        Digits(destination, ref i, local.Month, 2);
        destination[i++] = (byte)'-';
        Digits(destination, ref i, local.Day, 2);
        destination[i++] = (byte)'T';
        Digits(destination, ref i, local.Hour, 2);
        destination[i++] = (byte)':';
        Digits(destination, ref i, local.Minute, 2);
        destination[i++] = (byte)':';
        Digits(destination, ref i, local.Second, 2);
        var nanoseconds = local.NanosecondOfSecond;
        if (nanoseconds != 0)
        {
            destination[i++] = (byte)'.';
            var digits = 9;
            while (nanoseconds % 10 == 0)
            {
                nanoseconds /= 10;
                digits--;
            }

            Digits(destination, ref i, nanoseconds, digits);
        }

        var offset = zoned.Offset.Seconds;
        destination[i++] = offset < 0 ? (byte)'-' : (byte)'+';
        offset = Math.Abs(offset);
        Digits(destination, ref i, offset / 3600, 2);
        destination[i++] = (byte)':';
        Digits(destination, ref i, offset / 60 % 60, 2);
        return i;
    }

    private enum Result
    {
        Ok,
        NoOffset,
        Invalid,
    }

    private static Result TryParse(ReadOnlySpan<byte> s, out Instant instant)
    {
        instant = default;
        var i = 0;
        if (!Number(s, ref i, 4, out var year) || !Literal(s, ref i, (byte)'-') ||
            !Number(s, ref i, 2, out var month) || !Literal(s, ref i, (byte)'-') ||
            !Number(s, ref i, 2, out var day) || !(Literal(s, ref i, (byte)'T') || Literal(s, ref i, (byte)'t')) ||
            !Number(s, ref i, 2, out var hour) || !Literal(s, ref i, (byte)':') ||
            !Number(s, ref i, 2, out var minute))
        {
            return Result.Invalid;
        }

        var second = 0;
        var nanoseconds = 0;
        if (Literal(s, ref i, (byte)':'))
        {
            if (!Number(s, ref i, 2, out second))
            {
                return Result.Invalid;
            }

            if (Literal(s, ref i, (byte)'.') || Literal(s, ref i, (byte)','))
            {
                var digits = 0;
                while (i < s.Length && IsDigit(s[i]))
                {
                    if (++digits > 9)
                    {
                        return Result.Invalid;
                    }

                    nanoseconds = (nanoseconds * 10) + (s[i++] - '0');
                }

                if (digits == 0)
                {
                    return Result.Invalid;
                }

                for (; digits < 9; digits++)
                {
                    nanoseconds *= 10;
                }
            }
        }

        if (month is < 1 or > 12 || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month) ||
            hour > 23 || minute > 59 || second > 59 || year < 1)
        {
            return Result.Invalid;
        }

        int offsetSeconds;
        if (i == s.Length)
        {
            return Result.NoOffset;
        }
        else if ((s[i] | 0x20) == 'z' && i + 1 == s.Length)
        {
            offsetSeconds = 0;
        }
        else if (s[i] is (byte)'+' or (byte)'-')
        {
            var sign = s[i++] == '-' ? -1 : 1;
            var offsetMinutes = 0;
            if (!Number(s, ref i, 2, out var offsetHours))
            {
                return Result.Invalid;
            }

            if (i < s.Length)
            {
                Literal(s, ref i, (byte)':');
                if (!Number(s, ref i, 2, out offsetMinutes))
                {
                    return Result.Invalid;
                }
            }

            if (i != s.Length || offsetHours > 18 || offsetMinutes > 59)
            {
                return Result.Invalid;
            }

            offsetSeconds = sign * ((offsetHours * 3600) + (offsetMinutes * 60));
        }
        else
        {
            return Result.Invalid;
        }

        instant = new LocalDateTime(year, month, day, hour, minute, second)
            .PlusNanoseconds(nanoseconds)
            .WithOffset(Offset.FromSeconds(offsetSeconds))
            .ToInstant();
        return Result.Ok;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static bool Number(ReadOnlySpan<byte> s, ref int i, int digits, out int value)
    {
        value = 0;
        if (i + digits > s.Length)
        {
            return false;
        }

        for (var end = i + digits; i < end; i++)
        {
            if (!IsDigit(s[i]))
            {
                return false;
            }

            value = (value * 10) + (s[i] - '0');
        }

        return true;
    }

    private static bool Literal(ReadOnlySpan<byte> s, ref int i, byte expected)
    {
        if (i < s.Length && s[i] == expected)
        {
            i++;
            return true;
        }

        return false;
    }

    private static void Digits(Span<byte> destination, ref int i, int value, int count)
    {
        for (var d = count - 1; d >= 0; d--)
        {
            destination[i + d] = (byte)('0' + (value % 10));
            value /= 10;
        }

        i += count;
    }
}
