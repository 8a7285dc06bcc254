namespace BoundaryGuard.Service.Holds;

/// <summary>The names the hold enums go by outside the process (database, JSON), listed once.</summary>
internal static class HoldWireNames
{
    public static readonly WireNames<HoldState> States = new(
        (HoldState.Held, "held"),
        (HoldState.Sending, "sending"),
        (HoldState.Sent, "sent"),
        (HoldState.Cancelled, "cancelled"),
        (HoldState.Overridden, "overridden"),
        (HoldState.SentByUser, "sent-by-user"),
        (HoldState.Failed, "failed"));

    public static readonly WireNames<HoldSource> Sources = new(
        (HoldSource.AddIn, "add-in"),
        (HoldSource.SendLater, "send-later"));

    public static readonly WireNames<OverrideReason> OverrideReasons = new(
        (OverrideReason.PatientCare, "patient-care"),
        (OverrideReason.TimeCritical, "time-critical"),
        (OverrideReason.RecipientAsked, "recipient-asked"),
        (OverrideReason.Other, "other"));

    public static readonly WireNames<DeferralCause> DeferralCauses = new(
        (DeferralCause.Token, "token"),
        (DeferralCause.Timeout, "timeout"),
        (DeferralCause.Unreachable, "unreachable"),
        (DeferralCause.Refused, "refused"));
}

/// <summary>
/// An explicit name for every member of <typeparamref name="TEnum"/>. Explicit rather than derived from the member
/// names, so renaming a member in code cannot silently change what stored rows mean.
/// </summary>
internal sealed class WireNames<TEnum>
    where TEnum : struct, Enum
{
    private readonly Dictionary<TEnum, string> names;
    private readonly Dictionary<string, TEnum> values;

    public WireNames(params (TEnum Value, string Name)[] pairs)
    {
        names = pairs.ToDictionary(p => p.Value, p => p.Name);
        values = pairs.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        // A member added to the enum without a name would otherwise fail only when first stored.
        var missing = Enum.GetValues<TEnum>().Where(v => !names.ContainsKey(v)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"{typeof(TEnum).Name} has no wire name for {string.Join(", ", missing)}.");
        }
    }

    public string Name(TEnum value) =>
        names.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, null);

    public IEnumerable<string> Names => names.Values;

    public bool TryParse(string? name, out TEnum value) => values.TryGetValue(name ?? string.Empty, out value);

    public TEnum Parse(string name) =>
        values.TryGetValue(name, out var value) ? value : throw new FormatException($"Unknown {typeof(TEnum).Name} '{name}'.");
}
