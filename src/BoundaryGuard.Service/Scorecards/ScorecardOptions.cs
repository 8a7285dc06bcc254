using System.ComponentModel.DataAnnotations;

namespace BoundaryGuard.Service.Scorecards;

/// <summary>The scorecard's privacy floor and how recipients are told apart (section <c>Scorecard</c>).</summary>
public sealed class ScorecardOptions
{
    public const string Section = "Scorecard";

    /// <summary>The floor everyone gets; an institution may raise it, never lower it.</summary>
    public const int SmallestGroup = 5;

    /// <summary>No aggregate is shown for fewer people than this.</summary>
    [Range(SmallestGroup, int.MaxValue, ErrorMessage = "Scorecard:MinimumGroupSize can be raised from 5, never lowered.")]
    public int MinimumGroupSize { get; set; } = SmallestGroup;

    /// <summary>
    /// Named rows for the people a department policy lists as leaders, shown to that department's chair. Off by
    /// default: a scorecard is about modelling, not about watching individuals.
    /// </summary>
    public bool NamedLeaders { get; set; }

    /// <summary>
    /// The mailbox the weekly digest is sent from (e.g. a shared <c>boundaryguard@</c> mailbox in the application's
    /// scope); none: no digest. Each department's policy names its chairs (<c>scorecard.chairs</c>).
    /// </summary>
    public string? DigestSender { get; set; }

    /// <summary>The digest of the past week goes from this day and time, in the department's zone, once it is working time.</summary>
    public DayOfWeek DigestDay { get; set; } = DayOfWeek.Monday;

    public TimeSpan DigestTime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How often the service looks whether a digest is due.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan DigestCheckInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Job titles (their start, any case) that make a recipient a trainee.</summary>
    public string[] TraineeTitles { get; set; } = ["Resident", "Fellow", "Intern", "Trainee", "Medical Student"];

    /// <summary>Job titles (their start, any case) that make a recipient faculty; other directory users are staff.</summary>
    public string[] FacultyTitles { get; set; } = ["Chair", "Professor", "Associate Professor", "Assistant Professor", "Instructor", "Lecturer", "Attending"];
}
