using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Service.Holds;
using NodaTime;
using NodaTime.Calendars;

namespace BoundaryGuard.Service.Scorecards;

public enum MetricKind
{
    /// <summary>The add-in or the "Send later" folder asked, and BoundaryGuard held the mail.</summary>
    HoldCreated,

    /// <summary>BoundaryGuard delivered held mail at its release time.</summary>
    Released,

    /// <summary>A hold was cancelled (by the user, or the draft was deleted); nothing was sent by BoundaryGuard.</summary>
    Cancelled,

    /// <summary>Held mail was sent early, with a reason.</summary>
    Overridden,

    /// <summary>The add-in let Outlook delay delivery itself because the service could not be reached.</summary>
    Deferred,

    /// <summary>The Sent Items audit found mail that went out after hours without BoundaryGuard (any client).</summary>
    DeliveredAfterHours,

    /// <summary>The Sent Items audit found mail that went out in working hours without BoundaryGuard.</summary>
    SentInHours,
}

/// <summary>When, in the sender's policy, an event fell outside working time.</summary>
[Flags]
public enum MetricPeriod
{
    None = 0,

    /// <summary>A working day, outside its window.</summary>
    Night = 1,

    /// <summary>A day that is not a working day.</summary>
    Weekend = 2,

    /// <summary>A holiday or closure.</summary>
    Closure = 4,
}

/// <summary>How many of a message's recipients were trainees, faculty, staff, or outside the directory.</summary>
public readonly record struct RecipientCounts(int Trainees, int Faculty, int Staff, int External)
{
    public static RecipientCounts None => default;
}

/// <summary>
/// One boundary metric. It names the sender (the scorecard is about senders) but never a recipient, a subject or a
/// body: recipients are only counted by role.
/// </summary>
/// <param name="Key">What makes recording it twice store it once: e.g. <c>hold:{id}:released</c>.</param>
/// <param name="Department">The sender's department, <c>""</c> when the directory has none.</param>
/// <param name="LocalDay">The sender's policy's local date at <paramref name="At"/>.</param>
public sealed record MetricEvent(
    string Key,
    MetricKind Kind,
    DateTimeOffset At,
    string Sender,
    string Department,
    LocalDate LocalDay,
    int LocalHour,
    MetricPeriod Period,
    HoldReasons Reasons,
    RecipientCounts Recipients,
    OverrideReason? Override = null,
    HoldSource? Source = null,
    int? HoldMinutes = null)
{
    /// <summary>The ISO week of <see cref="LocalDay"/> as yyyyww (2026-W48 is 202648): the rollups' key.</summary>
    public int IsoWeek => IsoWeeks.Of(LocalDay);

    public bool AfterHours => Period != MetricPeriod.None;
}

/// <summary>ISO weeks as yyyyww numbers, which sort and compare like the weeks they name.</summary>
public static class IsoWeeks
{
    public static int Of(LocalDate day) =>
        (WeekYearRules.Iso.GetWeekYear(day) * 100) + WeekYearRules.Iso.GetWeekOfWeekYear(day);

    /// <summary>The Monday that starts the week.</summary>
    public static LocalDate Monday(int week) => WeekYearRules.Iso.GetLocalDate(week / 100, week % 100, IsoDayOfWeek.Monday);

    public static int Add(int week, int weeks) => Of(Monday(week).PlusWeeks(weeks));

    /// <summary>2026-W48.</summary>
    public static string Name(int week) => $"{week / 100:D4}-W{week % 100:D2}";

    public static bool TryParse(string? text, out int week)
    {
        week = 0;
        if (text is not { Length: 8 } || text[4] != '-' || text[5] != 'W' ||
            !int.TryParse(text.AsSpan(0, 4), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var year) ||
            !int.TryParse(text.AsSpan(6, 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ||
            year < 1900 || number < 1 || number > WeekYearRules.Iso.GetWeeksInWeekYear(year))
        {
            return false;
        }

        week = (year * 100) + number;
        return true;
    }
}

/// <summary>The names of <see cref="MetricKind"/> in the database.</summary>
internal static class MetricWireNames
{
    public static readonly WireNames<MetricKind> Kinds = new(
        (MetricKind.HoldCreated, "hold-created"),
        (MetricKind.Released, "released"),
        (MetricKind.Cancelled, "cancelled"),
        (MetricKind.Overridden, "overridden"),
        (MetricKind.Deferred, "deferred"),
        (MetricKind.DeliveredAfterHours, "delivered-after-hours"),
        (MetricKind.SentInHours, "sent-in-hours"));
}
