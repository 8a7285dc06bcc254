using System.Globalization;
using BoundaryGuard.GraphSandbox.Calendars;
using BoundaryGuard.GraphSandbox.Storage;

namespace BoundaryGuard.GraphSandbox.Seed;

/// <summary>
/// Fills a new state with <see cref="DemoInstitution"/>: two departments in two zones, chairs, faculty and residents,
/// a night-float resident, a custom-zone user and the shared closures calendar. Content is made up; no real person.
/// </summary>
internal static class DemoSeeder
{
    private static readonly string[] Weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"];

    public static void Seed(SandboxState state, DateTimeOffset now, int additionalFaculty = 0)
    {
        foreach (var person in DemoInstitution.All.Concat(DemoInstitution.AdditionalFaculty(additionalFaculty)))
        {
            var (given, surname) = SplitName(person.DisplayName);
            state.Users.Add(new UserRecord
            {
                Id = person.Id,
                DisplayName = person.DisplayName,
                GivenName = given,
                Surname = surname,
                Mail = person.UserPrincipalName,
                UserPrincipalName = person.UserPrincipalName,
                Department = person.Department,
                JobTitle = person.JobTitle,
                OfficeLocation = person.Department is null ? null : $"{person.Department}, Main Hospital",
            });
            var mailbox = MailboxExtensions.NewMailbox(person.Id, person.MailboxTimeZone, WorkingHoursFor(person), state.NextSequence());
            mailbox.IsShared = person == DemoInstitution.Closures;
            state.Mailboxes[person.Id] = mailbox;
        }

        SeedClosures(state, now);
        SeedWelcomeMessages(state, now);
        SeedDepartmentMeeting(state, now);
    }

    private static WorkingHoursRecord WorkingHoursFor(DemoUser person)
    {
        if (person == DemoInstitution.NightFloatResident)
        {
            // A night window: it starts on Sunday to Thursday evenings and ends the next morning.
            return Hours(["sunday", "monday", "tuesday", "wednesday", "thursday"], "19:00", "07:00", person.MailboxTimeZone);
        }

        if (person == DemoInstitution.MedicineCustomZoneFaculty)
        {
            // Outlook writes a customTimeZone when a mailbox's zone was set from a client that sent its own rules;
            // these are Eastern's (UTC-5, daylight -60 from the 2nd Sunday of March to the 1st Sunday of November).
            var hours = Hours(Weekdays, "07:30", "16:30", "Customized Time Zone");
            hours.CustomTimeZone = new CustomTimeZoneRecord
            {
                Bias = 300,
                StandardOffset = new TransitionRecord { Time = "02:00:00.0000000", DayOccurrence = 1, DayOfWeek = "sunday", Month = 11, Year = 0 },
                DaylightOffset = new TransitionRecord { Time = "02:00:00.0000000", DayOccurrence = 2, DayOfWeek = "sunday", Month = 3, Year = 0, DaylightBias = -60 },
            };
            return hours;
        }

        var title = person.JobTitle ?? "";
        if (title.StartsWith("Resident", StringComparison.Ordinal))
        {
            return person.Department == DemoInstitution.Surgery
                ? Hours(Weekdays, "06:00", "18:00", person.MailboxTimeZone)
                : Hours(Weekdays, "07:00", "19:00", person.MailboxTimeZone);
        }

        return person == DemoInstitution.MedicineAssistantProfessor
            ? Hours(Weekdays, "09:00", "18:00", person.MailboxTimeZone)
            : Hours(Weekdays, "08:00", "17:00", person.MailboxTimeZone);
    }

    private static WorkingHoursRecord Hours(IEnumerable<string> days, string start, string end, string zone)
    {
        var hours = new WorkingHoursRecord { StartTime = $"{start}:00.0000000", EndTime = $"{end}:00.0000000", TimeZoneName = zone };
        hours.DaysOfWeek.AddRange(days);
        return hours;
    }

    private static void SeedClosures(SandboxState state, DateTimeOffset now)
    {
        var mailbox = state.Mailboxes[DemoInstitution.Closures.Id];
        var calendar = new CalendarRecord { Id = SandboxIds.NewCalendarId(), Name = DemoInstitution.ClosuresCalendarName, Color = "lightRed", Sequence = state.NextSequence() };
        mailbox.Calendars.Add(calendar);
        (string Subject, string First, string EndExclusive)[] closures =
        [
            ("Thanksgiving Day", "2026-11-26", "2026-11-27"),
            ("Day after Thanksgiving", "2026-11-27", "2026-11-28"),
            ("Winter closure", "2026-12-24", "2027-01-02"),
            ("Martin Luther King Jr. Day", "2027-01-18", "2027-01-19"),
            ("Memorial Day", "2027-05-31", "2027-06-01"),
        ];
        foreach (var (subject, first, endExclusive) in closures)
        {
            var closure = NewEvent(state, calendar.Id, subject, $"{first}T00:00:00", $"{endExclusive}T00:00:00", DemoInstitution.EasternZone, now);
            closure.IsAllDay = true;
            closure.ShowAs = "oof";
            closure.IsReminderOn = false;
            closure.Categories.Add("Closure");
            closure.BodyContent = "The institution is closed; mail to trainees waits for the next working day.";
            mailbox.Events[closure.Id] = closure;
        }
    }

    private static void SeedDepartmentMeeting(SandboxState state, DateTimeOffset now)
    {
        var mailbox = state.Mailboxes[DemoInstitution.MedicineChair.Id];
        var meeting = NewEvent(state, mailbox.DefaultCalendar().Id, "Department of Medicine faculty meeting", "2026-12-01T12:00:00", "2026-12-01T13:00:00", DemoInstitution.EasternZone, now);
        meeting.LocationDisplayName = "Conference Room 4B";
        mailbox.Events[meeting.Id] = meeting;
    }

    private static EventRecord NewEvent(SandboxState state, string calendarId, string subject, string startLocal, string endLocal, string zoneName, DateTimeOffset now)
    {
        var zone = SandboxTimeZones.Find(zoneName)!;
        var start = DateTime.ParseExact(startLocal, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var end = DateTime.ParseExact(endLocal, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        return new EventRecord
        {
            Id = SandboxIds.NewEventId(),
            CalendarId = calendarId,
            ICalUId = SandboxIds.ICalUId(),
            CreatedDateTime = now,
            LastModifiedDateTime = now,
            Subject = subject,
            StartLocal = startLocal,
            StartTimeZone = zoneName,
            EndLocal = endLocal,
            EndTimeZone = zoneName,
            StartUtc = SandboxTimeZones.ToInstant(start, zone),
            EndUtc = SandboxTimeZones.ToInstant(end, zone),
            Sequence = state.NextSequence(),
        };
    }

    private static void SeedWelcomeMessages(SandboxState state, DateTimeOffset now)
    {
        var sender = DemoInstitution.Closures;
        var received = now.AddDays(-1);
        foreach (var person in DemoInstitution.All.Where(p => p != sender))
        {
            var mailbox = state.Mailboxes[person.Id];
            var message = new MessageRecord
            {
                Id = SandboxIds.NewMessageId(),
                ConversationId = SandboxIds.NewConversationId(),
                InternetMessageId = SandboxIds.NewInternetMessageId(DemoInstitution.Domain),
                CreatedDateTime = received,
                ReceivedDateTime = received,
                SentDateTime = received,
                Subject = "Institution closures for 2026-27",
                BodyContentType = "text",
                BodyContent = "Thanksgiving, the winter closure (24 December to 1 January) and the spring holidays are on the Institution closures calendar.",
                From = new RecipientRecord { Address = sender.UserPrincipalName, Name = sender.DisplayName },
            };
            message.ToRecipients.Add(new RecipientRecord { Address = person.UserPrincipalName, Name = person.DisplayName });
            mailbox.Messages[message.Id] = message;
            message.MoveTo(mailbox, mailbox.WellKnown("inbox").Id, state, received);
            message.LastModifiedDateTime = received;
        }
    }

    private static (string Given, string Surname) SplitName(string displayName)
    {
        var space = displayName.LastIndexOf(' ');
        return space < 0 ? (displayName, "") : (displayName[..space], displayName[(space + 1)..]);
    }
}
