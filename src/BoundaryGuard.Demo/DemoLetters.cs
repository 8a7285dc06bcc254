namespace BoundaryGuard.Demo;

/// <summary>What a demo mail says and to whom: the parts of a mail BoundaryGuard must never keep or log.</summary>
internal sealed record DemoLetter(string Subject, string Body, IReadOnlyList<string> To);

/// <summary>
/// Writes the history's mails: a subject and a body from a small stock, the planned recipients, and addresses
/// outside the institution for the planned outside recipients. A replacement (the privacy tests plant markers with
/// one) changes the words, never the plan.
/// </summary>
internal class DemoLetters
{
    private static readonly string[] Subjects =
    [
        "Case conference notes", "Call schedule for next week", "Comments on your abstract", "Clinic coverage on Thursday",
        "Journal club article", "Your mid-year evaluation", "Grand rounds slides", "Research meeting agenda",
        "Quality improvement proposal", "Teaching schedule", "Follow-up on the patient in bed 12", "Conference travel",
    ];

    private static readonly string[] Bodies =
    [
        "A few thoughts for when you are back at work; no need to answer tonight.",
        "Please have a look before our meeting and tell me what you think.",
        "Attached is the draft we discussed. Comments welcome when you have a moment.",
        "Could you check the schedule and let me know if anything clashes?",
    ];

    private static readonly string[] Outside =
    [
        "coordinator@affiliate-hospital.example.org", "editor@journal.example.com", "colleague@university.example.net",
    ];

    public virtual DemoLetter Write(DemoMail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        return new DemoLetter(
            Subjects[mail.Number % Subjects.Length],
            Bodies[mail.Number % Bodies.Length],
            [.. mail.To, .. Enumerable.Range(0, mail.External).Select(i => Outside[(mail.Number + i) % Outside.Length])]);
    }
}
