namespace BoundaryGuard.GraphSandbox.Seed;

/// <summary>
/// The seeded demo institution, for tests and demos that need a known mailbox. Ids are fixed, so they are the same
/// on every start; <c>GET /sandbox/users</c> lists the same people at run time.
/// </summary>
public static class DemoInstitution
{
    public const string Domain = "med.example.edu";
    public const string Medicine = "Department of Medicine";
    public const string Surgery = "Department of Surgery";
    public const string EasternZone = "Eastern Standard Time";
    public const string CentralZone = "Central Standard Time";

    /// <summary>Display name of the closures calendar in <see cref="Closures"/>'s mailbox.</summary>
    public const string ClosuresCalendarName = "Institution closures";

    public static DemoUser MedicineChair { get; } = new("5e1d0000-0000-4000-8000-000000001001", "ehayes@med.example.edu", "Eleanor Hayes", Medicine, "Chair", EasternZone);
    public static DemoUser MedicineProfessor { get; } = new("5e1d0000-0000-4000-8000-000000001002", "mwebb@med.example.edu", "Marcus Webb", Medicine, "Professor", EasternZone);

    /// <summary>Her working hours use a <c>#microsoft.graph.customTimeZone</c> (Eastern's rules written out).</summary>
    public static DemoUser MedicineCustomZoneFaculty { get; } = new("5e1d0000-0000-4000-8000-000000001003", "praman@med.example.edu", "Priya Raman", Medicine, "Associate Professor", EasternZone);

    public static DemoUser MedicineAssistantProfessor { get; } = new("5e1d0000-0000-4000-8000-000000001004", "sokafor@med.example.edu", "Samuel Okafor", Medicine, "Assistant Professor", EasternZone);
    public static DemoUser MedicineResidentPgy1 { get; } = new("5e1d0000-0000-4000-8000-000000001011", "jlee@med.example.edu", "Jordan Lee", Medicine, "Resident (PGY-1)", EasternZone);
    public static DemoUser MedicineResidentPgy2 { get; } = new("5e1d0000-0000-4000-8000-000000001012", "akarim@med.example.edu", "Aisha Karim", Medicine, "Resident (PGY-2)", EasternZone);
    public static DemoUser MedicineResidentPgy3 { get; } = new("5e1d0000-0000-4000-8000-000000001013", "dalvarez@med.example.edu", "Diego Alvarez", Medicine, "Resident (PGY-3)", EasternZone);

    /// <summary>Works nights: 19:00–07:00, Sunday to Thursday evenings.</summary>
    public static DemoUser NightFloatResident { get; } = new("5e1d0000-0000-4000-8000-000000001014", "hbrooks@med.example.edu", "Hannah Brooks", Medicine, "Resident (PGY-2), Night Float", EasternZone);

    public static DemoUser SurgeryChair { get; } = new("5e1d0000-0000-4000-8000-000000002001", "rlindqvist@med.example.edu", "Robert Lindqvist", Surgery, "Chair", CentralZone);
    public static DemoUser SurgeryProfessor { get; } = new("5e1d0000-0000-4000-8000-000000002002", "gchen@med.example.edu", "Grace Chen", Surgery, "Professor", CentralZone);
    public static DemoUser SurgeryAssociateProfessor { get; } = new("5e1d0000-0000-4000-8000-000000002003", "trivera@med.example.edu", "Tomás Rivera", Surgery, "Associate Professor", CentralZone);
    public static DemoUser SurgeryResidentPgy1 { get; } = new("5e1d0000-0000-4000-8000-000000002011", "knguyen@med.example.edu", "Kevin Nguyen", Surgery, "Resident (PGY-1)", CentralZone);
    public static DemoUser SurgeryResidentPgy3 { get; } = new("5e1d0000-0000-4000-8000-000000002012", "omartin@med.example.edu", "Olivia Martin", Surgery, "Resident (PGY-3)", CentralZone);
    public static DemoUser SurgeryResidentPgy4 { get; } = new("5e1d0000-0000-4000-8000-000000002013", "epark@med.example.edu", "Ethan Park", Surgery, "Resident (PGY-4)", CentralZone);

    /// <summary>Shared mailbox whose calendar "Institution closures" holds the all-day closures IT maintains.</summary>
    public static DemoUser Closures { get; } = new("5e1d0000-0000-4000-8000-000000009001", "closures@med.example.edu", "Institution Closures", null, null, EasternZone);

    /// <summary>Numbered Medicine faculty for load tests: <c>faculty001@med.example.edu</c>, ...</summary>
    public static IEnumerable<DemoUser> AdditionalFaculty(int count) =>
        Enumerable.Range(1, count).Select(n => new DemoUser(
            $"5e1d0000-0000-4000-8000-{n + 100000:D12}",
            $"faculty{n:D3}@med.example.edu",
            $"Faculty Member {n:D3}",
            Medicine,
            "Assistant Professor",
            EasternZone));

    public static IReadOnlyList<DemoUser> All { get; } =
    [
        MedicineChair, MedicineProfessor, MedicineCustomZoneFaculty, MedicineAssistantProfessor,
        MedicineResidentPgy1, MedicineResidentPgy2, MedicineResidentPgy3, NightFloatResident,
        SurgeryChair, SurgeryProfessor, SurgeryAssociateProfessor,
        SurgeryResidentPgy1, SurgeryResidentPgy3, SurgeryResidentPgy4,
        Closures,
    ];
}

/// <summary>One seeded person (or the shared closures mailbox).</summary>
/// <param name="Id">Graph user id (a GUID string).</param>
/// <param name="UserPrincipalName">Also the mail address.</param>
/// <param name="DisplayName">As Graph shows it.</param>
/// <param name="Department">Null for the shared mailbox.</param>
/// <param name="JobTitle">"Chair", "Professor", "Resident (PGY-2)", ...; null for the shared mailbox.</param>
/// <param name="MailboxTimeZone">mailboxSettings.timeZone (Windows id).</param>
public sealed record DemoUser(string Id, string UserPrincipalName, string DisplayName, string? Department, string? JobTitle, string MailboxTimeZone);
