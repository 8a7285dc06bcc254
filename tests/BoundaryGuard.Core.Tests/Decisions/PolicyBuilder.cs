using BoundaryGuard.Core.Calendars;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Core.Policies;
using NodaTime;
using NodaTime.Text;

namespace BoundaryGuard.Core.Tests.Decisions;

/// <summary>Terse construction of policies and instants for tables of cases.</summary>
internal static class PolicyBuilder
{
    public static readonly IsoDayOfWeek[] Weekdays =
        [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday];

    public static readonly IsoDayOfWeek[] EveryDay = [.. Weekdays, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday];

    private static readonly OffsetDateTimePattern Pattern =
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'sso<+HH:mm>");

    public static DateTimeZone Zone(string id) => DateTimeZoneProviders.Tzdb[id];

    public static WorkingHours Hours(string zone, string start, string end, IsoDayOfWeek[]? days = null) =>
        new(days ?? Weekdays, Time(start), Time(end), Zone(zone));

    public static LocalTime Time(string text) => LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(text).Value;

    public static LocalDate Date(string text) => LocalDatePattern.Iso.Parse(text).Value;

    public static Instant At(string text) => Pattern.Parse(text).GetValueOrThrow().ToInstant();

    public static string Format(Instant instant, DateTimeZone zone) => Pattern.Format(instant.InZone(zone).ToOffsetDateTime());

    public static BoundaryPolicy Policy(WorkingHours hours, params Closure[] closures) =>
        new(hours, new ClosureCalendar([new ExplicitClosureSource(closures)]));

    public static Closure Closed(string date, string? from = null) =>
        new(Date(date), "Closed", "holidays", from is null ? null : Time(from));
}
