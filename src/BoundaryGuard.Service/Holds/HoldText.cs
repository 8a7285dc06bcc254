namespace BoundaryGuard.Service.Holds;

/// <summary>The wire names of the holds vocabulary, used by the API and the database alike.</summary>
public static class HoldText
{
    private static readonly (HoldState Value, string Name)[] States =
    [
        (HoldState.Held, "held"), (HoldState.Sending, "sending"), (HoldState.Sent, "sent"), (HoldState.Cancelled, "cancelled"),
        (HoldState.Overridden, "overridden"), (HoldState.SentByUser, "sent-by-user"), (HoldState.Failed, "failed"),
    ];

    private static readonly (HoldSource Value, string Name)[] Sources = [(HoldSource.AddIn, "add-in"), (HoldSource.SendLater, "send-later")];

    private static readonly (OverrideReason Value, string Name)[] Overrides =
    [
        (OverrideReason.PatientCare, "patient-care"), (OverrideReason.TimeCritical, "time-critical"),
        (OverrideReason.RecipientAsked, "recipient-asked"), (OverrideReason.Other, "other"),
    ];

    public static IEnumerable<string> OverrideNames => Overrides.Select(o => o.Name);

    public static string State(HoldState value) => NameOf(States, value);

    public static HoldState ParseState(string name) => Parse(States, name, "state");

    public static string Source(HoldSource value) => NameOf(Sources, value);

    public static HoldSource ParseSource(string name) => Parse(Sources, name, "source");

    public static string Override(OverrideReason value) => NameOf(Overrides, value);

    public static bool TryParseOverride(string? name, out OverrideReason value)
    {
        foreach (var (candidate, text) in Overrides)
        {
            if (string.Equals(text, name, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    public static OverrideReason ParseOverride(string name) => Parse(Overrides, name, "override reason");

    private static string NameOf<T>((T Value, string Name)[] table, T value)
        where T : struct, Enum =>
        Array.Find(table, e => EqualityComparer<T>.Default.Equals(e.Value, value)).Name
        ?? throw new ArgumentOutOfRangeException(nameof(value), value, null);

    private static T Parse<T>((T Value, string Name)[] table, string name, string what)
        where T : struct, Enum
    {
        foreach (var (value, text) in table)
        {
            if (string.Equals(text, name, StringComparison.Ordinal))
            {
                return value;
            }
        }

        throw new FormatException($"Unknown hold {what} '{name}'.");
    }
}
