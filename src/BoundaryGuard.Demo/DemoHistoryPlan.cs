using BoundaryGuard.Core.Decisions;
using BoundaryGuard.GraphSandbox.Seed;
using BoundaryGuard.Service.Holds;
using NodaTime;

namespace BoundaryGuard.Demo;

/// <summary>Where a faculty member writes a mail, which decides how it reaches BoundaryGuard, if at all.</summary>
internal enum DemoClient
{
    /// <summary>Outlook with the add-in: in working hours it goes at once, otherwise the add-in asks for a hold.</summary>
    Outlook,

    /// <summary>Outlook on a phone, which runs no add-in: sent at once, whatever the time.</summary>
    PhoneSend,

    /// <summary>On a phone, moved to the "Send later" folder, which BoundaryGuard watches.</summary>
    PhoneSendLater,
}

/// <summary>What the writer does later with a held mail, before its release.</summary>
internal enum DemoFollowUp
{
    None,

    /// <summary>Sends it early from the task pane, with a reason.</summary>
    SendNow,

    /// <summary>Cancels the hold; the draft stays in Drafts.</summary>
    Cancel,
}

/// <summary>
/// How one faculty member writes mail. Times are local to the department policy's zone; rates are means, drawn per
/// day from the plan's seeded random numbers.
/// </summary>
internal sealed record DemoHabit
{
    /// <summary>Mails written in working hours on a working day.</summary>
    public double InHoursPerDay { get; init; } = 1;

    /// <summary>Working days (of five) with mail written in the evening or at night.</summary>
    public double EveningsPerWeek { get; init; }

    public LocalTime EveningFrom { get; init; } = new(20, 0);

    public Duration EveningLength { get; init; } = Duration.FromHours(2);

    /// <summary>Working days (of five) with mail written before the working day starts.</summary>
    public double EarlyMorningsPerWeek { get; init; }

    public LocalTime EarlyFrom { get; init; } = new(5, 0);

    public Duration EarlyLength { get; init; } = Duration.FromMinutes(50);

    /// <summary>The share of weekend days and closures (Thanksgiving, the national holidays) with mail.</summary>
    public double OffDays { get; init; }

    public LocalTime OffDayFrom { get; init; } = new(9, 0);

    public Duration OffDayLength { get; init; } = Duration.FromHours(12);

    /// <summary>Most mails written in one sitting outside working hours.</summary>
    public int PerSitting { get; init; } = 1;

    /// <summary>The share of mail outside working hours written on a phone.</summary>
    public double Phone { get; init; }

    /// <summary>The share of phone mail moved to "Send later" rather than sent.</summary>
    public double SendLater { get; init; }

    /// <summary>The share of held mail sent early, with one of <see cref="Reasons"/>.</summary>
    public double SendNow { get; init; }

    public IReadOnlyList<OverrideReason> Reasons { get; init; } = [OverrideReason.TimeCritical];

    /// <summary>The share of held mail whose hold is cancelled.</summary>
    public double Cancel { get; init; }

    /// <summary>The share of recipients who are residents; <see cref="ToFaculty"/> are colleagues; the rest are outside the directory.</summary>
    public double ToTrainees { get; init; } = 0.7;

    public double ToFaculty { get; init; } = 0.2;
}

internal sealed record DemoPerson(DemoUser User, DemoHabit Habit);

/// <summary>One mail of the history, decided in advance. Its subject, body and outside addresses come from <see cref="DemoLetters"/>.</summary>
/// <param name="Number">1, 2, ... in the order the mails are written.</param>
/// <param name="To">Recipients in the directory (residents and colleagues).</param>
/// <param name="External">How many recipients outside the directory to add.</param>
/// <param name="FollowUpAfter">When after writing the follow-up happens (if the mail is still held then).</param>
internal sealed record DemoMail(
    int Number,
    DemoUser Sender,
    Instant At,
    DemoClient Client,
    IReadOnlyList<string> To,
    int External,
    DemoFollowUp FollowUp,
    Duration FollowUpAfter,
    OverrideReason Reason);

/// <summary>
/// The demo faculty and their habits: everyone who teaches in the demo institution, plus two numbered faculty
/// (<see cref="DemoInstitution.AdditionalFaculty"/>) so that Medicine has six senders, above the scorecard's minimum
/// group of five. Surgery has three: its department card stays withheld, which shows the floor at work.
/// </summary>
internal static class DemoCast
{
    public const int AdditionalFaculty = 2;

    public static IReadOnlyList<DemoPerson> People { get; } = Create();

    private static List<DemoPerson> Create()
    {
        var extra = DemoInstitution.AdditionalFaculty(AdditionalFaculty).ToList();
        return
        [
            // The chair models the boundary: an occasional evening, almost always held, sent early only for patients.
            new(DemoInstitution.MedicineChair, new DemoHabit
            {
                InHoursPerDay = 1.2, EveningsPerWeek = 1, EveningFrom = new(20, 0), OffDays = 0.1, Phone = 0.1, SendLater = 1,
                SendNow = 0.05, Reasons = [OverrideReason.PatientCare], Cancel = 0.05,
            }),
            // A night owl: most evenings late, some weekends, now and then from the phone; sends early when it feels urgent.
            new(DemoInstitution.MedicineProfessor, new DemoHabit
            {
                InHoursPerDay = 0.8, EveningsPerWeek = 3.5, EveningFrom = new(21, 30), EveningLength = Duration.FromHours(3.5), PerSitting = 2,
                OffDays = 0.4, Phone = 0.2, SendLater = 0.3, SendNow = 0.15, Reasons = [OverrideReason.TimeCritical, OverrideReason.RecipientAsked],
                Cancel = 0.05,
            }),
            // An early riser who writes from her phone before clinic and puts it in "Send later".
            new(DemoInstitution.MedicineCustomZoneFaculty, new DemoHabit
            {
                InHoursPerDay = 1, EarlyMorningsPerWeek = 1, EarlyFrom = new(5, 15), EarlyLength = Duration.FromMinutes(80), OffDays = 0.05,
                Phone = 0.8, SendLater = 1,
            }),
            // Plans the week on Sunday evening, several mails at once, held until Monday.
            new(DemoInstitution.MedicineAssistantProfessor, new DemoHabit
            {
                InHoursPerDay = 0.8, EveningsPerWeek = 0.3, OffDays = 0.45, OffDayFrom = new(18, 30), OffDayLength = Duration.FromHours(3),
                PerSitting = 3, Phone = 0.1, SendLater = 1, SendNow = 0.1, Reasons = [OverrideReason.Other], Cancel = 0.1, ToTrainees = 0.8,
            }),
            // Answers mail late from the phone, which no add-in intercepts (the Sent Items audit sees it).
            new(extra[0], new DemoHabit
            {
                InHoursPerDay = 0.6, EveningsPerWeek = 2, EveningFrom = new(22, 0), EveningLength = Duration.FromHours(2.5), OffDays = 0.2,
                Phone = 0.7, SendNow = 0.05,
            }),
            // Keeps to the day, with a rare evening, and sends early for patient care.
            new(extra[1], new DemoHabit
            {
                InHoursPerDay = 1.8, EveningsPerWeek = 0.6, EveningFrom = new(19, 15), EveningLength = Duration.FromMinutes(75),
                SendNow = 0.25, Reasons = [OverrideReason.PatientCare],
            }),
            // Surgery's chair writes before the 06:00 start of Surgery's day.
            new(DemoInstitution.SurgeryChair, new DemoHabit
            {
                InHoursPerDay = 1, EarlyMorningsPerWeek = 2.5, EarlyFrom = new(4, 30), EarlyLength = Duration.FromMinutes(75), OffDays = 0.15,
                SendNow = 0.05, Reasons = [OverrideReason.PatientCare],
            }),
            // After the operating room, late; sends early for patient care more than anyone.
            new(DemoInstitution.SurgeryProfessor, new DemoHabit
            {
                InHoursPerDay = 0.7, EveningsPerWeek = 3, EveningFrom = new(20, 30), EveningLength = Duration.FromHours(3), PerSitting = 2,
                OffDays = 0.2, Phone = 0.2, SendLater = 0.5, SendNow = 0.25, Reasons = [OverrideReason.PatientCare, OverrideReason.TimeCritical],
            }),
            // Weekends, mostly from the phone.
            new(DemoInstitution.SurgeryAssociateProfessor, new DemoHabit
            {
                InHoursPerDay = 0.8, EveningsPerWeek = 0.5, OffDays = 0.6, OffDayFrom = new(10, 0), OffDayLength = Duration.FromHours(10),
                PerSitting = 2, Phone = 0.6, SendLater = 0.2, Cancel = 0.1,
            }),
        ];
    }
}

/// <summary>
/// The history's mails, drawn from each person's habit with a seeded random generator: the same settings give the
/// same history on every run. Each person draws from a generator of their own, so a change to one habit leaves the
/// others' mail as it was.
/// </summary>
internal static class DemoHistoryPlan
{
    public const int Seed = 20261204;

    // Mail in working hours is written well inside the day, so a planned in-hours mail never lands on the edge.
    private static readonly LocalTime DayFrom = new(8, 0);
    private static readonly Duration DayLength = Duration.FromMinutes(570);

    /// <param name="policyFor">The department policy that tells working days, weekends and closures apart.</param>
    /// <param name="from">The first instant a mail may be written.</param>
    /// <param name="until">The end of the history (exclusive).</param>
    public static IReadOnlyList<DemoMail> Create(
        IReadOnlyList<DemoPerson> cast, Func<string?, BoundaryPolicy> policyFor, Instant from, Instant until, int seed = Seed)
    {
        ArgumentNullException.ThrowIfNull(cast);
        ArgumentNullException.ThrowIfNull(policyFor);
        var drafts = new List<DemoMail>();
        for (var i = 0; i < cast.Count; i++)
        {
            var random = new Random(unchecked(seed + (i * 7919)));
            drafts.AddRange(new Writer(cast[i], cast, policyFor(cast[i].User.Department), random).Mails(from, until));
        }

        return
        [
            .. drafts
                .OrderBy(m => m.At)
                .ThenBy(m => m.Sender.UserPrincipalName, StringComparer.Ordinal)
                .Select((m, i) => m with { Number = i + 1 }),
        ];
    }

    private sealed class Writer(DemoPerson person, IReadOnlyList<DemoPerson> cast, BoundaryPolicy policy, Random random)
    {
        private readonly DemoHabit habit = person.Habit;

        private readonly string[] residents =
        [
            .. DemoInstitution.All
                .Where(p => p.Department == person.User.Department && p.JobTitle?.StartsWith("Resident", StringComparison.Ordinal) == true)
                .Select(p => p.UserPrincipalName),
        ];

        private readonly string[] colleagues =
        [
            .. cast.Where(p => p.User.Department == person.User.Department && p.User != person.User).Select(p => p.User.UserPrincipalName),
        ];

        public IEnumerable<DemoMail> Mails(Instant from, Instant until)
        {
            var zone = policy.Zone;
            for (var day = from.InZone(zone).Date; day <= until.InZone(zone).Date; day = day.PlusDays(1))
            {
                foreach (var mail in Day(day))
                {
                    if (mail.At >= from && mail.At < until)
                    {
                        yield return mail;
                    }
                }
            }
        }

        private List<DemoMail> Day(LocalDate day)
        {
            // Noon tells the day's kind: a weekend, a closure (a whole day, or from a time on), or a working day.
            var reasons = policy.ReasonsAt(day.At(new LocalTime(12, 0)).InZoneLeniently(policy.Zone).ToInstant(), []);
            if ((reasons & (HoldReasons.Weekend | HoldReasons.Holiday)) != 0)
            {
                return Chance(habit.OffDays) ? Sitting(day, habit.OffDayFrom, habit.OffDayLength) : [];
            }

            var mails = new List<DemoMail>();
            for (var n = Count(habit.InHoursPerDay); n > 0; n--)
            {
                mails.Add(Mail(At(day, DayFrom, DayLength), DemoClient.Outlook, inHours: true));
            }

            if (Chance(habit.EveningsPerWeek / 5))
            {
                mails.AddRange(Sitting(day, habit.EveningFrom, habit.EveningLength));
            }

            if (Chance(habit.EarlyMorningsPerWeek / 5))
            {
                mails.AddRange(Sitting(day, habit.EarlyFrom, habit.EarlyLength));
            }

            return mails;
        }

        private List<DemoMail> Sitting(LocalDate day, LocalTime from, Duration length)
        {
            var mails = new List<DemoMail>();
            for (var n = 1 + random.Next(habit.PerSitting); n > 0; n--)
            {
                var client = !Chance(habit.Phone) ? DemoClient.Outlook : Chance(habit.SendLater) ? DemoClient.PhoneSendLater : DemoClient.PhoneSend;
                mails.Add(Mail(At(day, from, length), client, inHours: false));
            }

            return mails;
        }

        private DemoMail Mail(Instant at, DemoClient client, bool inHours)
        {
            var to = new List<string>();
            var external = 0;
            for (var n = Chance(0.25) ? 2 : 1; n > 0; n--)
            {
                var pick = random.NextDouble();
                if (pick < habit.ToTrainees && residents.Length > 0)
                {
                    to.Add(residents[random.Next(residents.Length)]);
                }
                else if (pick < habit.ToTrainees + habit.ToFaculty && colleagues.Length > 0)
                {
                    to.Add(colleagues[random.Next(colleagues.Length)]);
                }
                else
                {
                    external++;
                }
            }

            var followUp = DemoFollowUp.None;
            var after = Duration.Zero;
            var reason = habit.Reasons[0];
            var draw = random.NextDouble();
            if (!inHours && draw < habit.SendNow)
            {
                followUp = DemoFollowUp.SendNow;
                after = Duration.FromMinutes(10 + random.Next(110));
                reason = habit.Reasons[random.Next(habit.Reasons.Count)];
            }
            else if (!inHours && draw < habit.SendNow + habit.Cancel)
            {
                followUp = DemoFollowUp.Cancel;
                after = Duration.FromMinutes(5 + random.Next(55));
            }

            return new DemoMail(0, person.User, at, client, to.Distinct(StringComparer.Ordinal).ToList(), external, followUp, after, reason);
        }

        /// <summary>A whole minute in [from, from + length) on the day (past midnight when the sitting runs late).</summary>
        private Instant At(LocalDate day, LocalTime from, Duration length)
        {
            var minute = random.Next((int)length.TotalMinutes);
            return day.At(from).PlusMinutes(minute).InZoneLeniently(policy.Zone).ToInstant();
        }

        private int Count(double mean) => (int)mean + (Chance(mean - (int)mean) ? 1 : 0);

        private bool Chance(double probability) => random.NextDouble() < probability;
    }
}
