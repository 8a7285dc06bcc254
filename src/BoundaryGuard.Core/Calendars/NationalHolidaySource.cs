using System.Collections.Frozen;
using NodaTime;
using PublicHoliday;

namespace BoundaryGuard.Core.Calendars;

/// <summary>
/// Public holidays of a country or region, computed by the PublicHoliday package: the holiday's own date and,
/// where the package moves it off a weekend, the observed date too ("Independence Day (observed)").
/// </summary>
/// <remarks>
/// Codes are ISO 3166-1 alpha-2 (<c>US</c>, <c>DE</c>; <c>UK</c> is accepted for <c>GB</c>) and, where the package
/// knows regional holidays, ISO 3166-2 subdivisions (<c>DE-BY</c>, <c>AU-NSW</c>, <c>CA-QC</c>, <c>GB-SCT</c>,
/// <c>CH-ZH</c>, <c>PT-20</c>). A country code alone gives what the package gives for the country as a whole.
/// </remarks>
public sealed class NationalHolidaySource : IClosureSource
{
    private static readonly FrozenDictionary<string, Func<IPublicHolidays>> Calendars = BuildCalendars();

    private readonly IPublicHolidays _holidays;
    private readonly Lock _gate = new();

    private NationalHolidaySource(string code, IPublicHolidays holidays)
    {
        Code = code;
        _holidays = holidays;
    }

    /// <summary>Every code <see cref="Create"/> accepts, sorted: countries and their supported regions.</summary>
    public static IReadOnlyList<string> SupportedCodes { get; } = [.. Calendars.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The code as the policy wrote it, upper-cased.</summary>
    public string Code { get; }

    /// <summary><c>national:</c> and the code; each closure's <see cref="Closure.Source"/>.</summary>
    public string Source => $"national:{Code}";

    /// <summary>The source for a policy code such as <c>US</c> or <c>DE-BY</c>.</summary>
    /// <param name="code">The code from <c>nationalHolidays</c>.</param>
    /// <param name="fieldPath">Where the code sits in the policy, e.g. <c>nationalHolidays[0]</c>, for the error.</param>
    /// <exception cref="PolicyException">The code names no supported country or region.</exception>
    public static NationalHolidaySource Create(string code, string fieldPath)
    {
        ArgumentNullException.ThrowIfNull(fieldPath);
        var normalized = (code ?? string.Empty).Trim().ToUpperInvariant();
        if (!Calendars.TryGetValue(normalized, out var factory))
        {
            throw new PolicyException(
                $"{fieldPath}: unknown country or region '{code}' (supported: {string.Join(", ", SupportedCodes)})");
        }

        var source = new NationalHolidaySource(normalized, factory());
        source.CheckRuntime();
        return source;
    }

    /// <inheritdoc />
    public IEnumerable<Closure> ClosuresIn(int year)
    {
        if (year is < 1 or > 9999)
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, "Holidays are computed for the years 1 to 9999.");
        }

        var closures = new List<Closure>();
        lock (_gate)
        {
            // A holiday can be observed in the year before its own (New Year's Day 2028, a Saturday, is observed
            // on Friday 31 December 2027), so the neighbouring years are asked too.
            for (var y = Math.Max(1, year - 1); y <= Math.Min(9999, year + 1); y++)
            {
                closures.AddRange(HolidaysOf(y));
            }
        }

        return closures
            .Where(c => c.Date.Year == year)
            .Distinct()
            .OrderBy(c => c.Date)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToArray();
    }

    private IEnumerable<Closure> HolidaysOf(int year)
    {
        // PublicHolidayNames is the package's authoritative list (its PublicHolidays is built from it) and applies
        // the region; PublicHolidaysInformation adds the undisplaced date but, for Portugal, lists every region's days.
        var names = _holidays.PublicHolidayNames(year);
        var covered = new HashSet<DateTime>();
        foreach (var holiday in _holidays.PublicHolidaysInformation(year).Where(h => names.ContainsKey(h.ObservedDate)))
        {
            covered.Add(holiday.ObservedDate);
            var holidayDate = LocalDate.FromDateTime(holiday.HolidayDate);
            var observedDate = LocalDate.FromDateTime(holiday.ObservedDate);

            // Most calendars leave Holiday.Name empty and name days only in PublicHolidayNames; the US calendar
            // leaves EnglishName empty and fills Name from its English resources.
            var name = FirstNamed(holiday.Name, names[holiday.ObservedDate]);
            yield return new Closure(holidayDate, name, Source);
            if (observedDate != holidayDate)
            {
                yield return new Closure(observedDate, $"{name} (observed)", Source);
            }
        }

        foreach (var (date, name) in names.Where(n => !covered.Contains(n.Key)))
        {
            yield return new Closure(LocalDate.FromDateTime(date), FirstNamed(name), Source);
        }
    }

    private static string FirstNamed(params string?[] names) =>
        names.FirstOrDefault(n => !string.IsNullOrWhiteSpace(n))?.Trim() ?? "Public holiday";

    /// <summary>
    /// PublicHoliday's <see cref="Holiday"/> type builds <c>new CultureInfo("en")</c> in its static constructor,
    /// which throws in a process with InvariantGlobalization unless PredefinedCulturesOnly is false. Failing here,
    /// at start-up with the fix in the message, beats a TypeInitializationException on the first closure lookup.
    /// </summary>
    private void CheckRuntime()
    {
        try
        {
            _ = ClosuresIn(2000);
        }
        catch (TypeInitializationException e) when (e.InnerException is System.Globalization.CultureNotFoundException)
        {
            throw new InvalidOperationException(
                "National holidays need the culture 'en': set <PredefinedCulturesOnly>false</PredefinedCulturesOnly> in a project that sets <InvariantGlobalization>true</InvariantGlobalization>.",
                e);
        }
    }

    private static FrozenDictionary<string, Func<IPublicHolidays>> BuildCalendars()
    {
        var calendars = new Dictionary<string, Func<IPublicHolidays>>(StringComparer.Ordinal);

        // PublicHolidayFactory's own list, minus its non-ISO alias PO for Poland.
        string[] countries =
        [
            "AT", "AU", "BE", "BR", "CA", "CH", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU", "IE",
            "IT", "JP", "KZ", "LT", "LU", "LV", "MX", "NL", "NO", "NZ", "PL", "PT", "RO", "RS", "SE", "SI", "SK", "TR",
            "US", "ZA",
        ];
        foreach (var country in countries)
        {
            calendars[country] = () => PublicHolidayFactory.GetPublicHolidayForCountry(country);
        }

        // ISO 3166-1 says GB, but "UK" is what people write.
        calendars["UK"] = calendars["GB"];
        var ukCountries = new Dictionary<string, UKBankHoliday.UkCountries>
        {
            ["ENG"] = UKBankHoliday.UkCountries.England,
            ["WLS"] = UKBankHoliday.UkCountries.Wales,
            ["SCT"] = UKBankHoliday.UkCountries.Scotland,
            ["NIR"] = UKBankHoliday.UkCountries.NorthernIreland,
        };
        foreach (var (iso, ukCountry) in ukCountries)
        {
            calendars[$"GB-{iso}"] = () => new UKBankHoliday(ukCountry);
            calendars[$"UK-{iso}"] = calendars[$"GB-{iso}"];
        }

        // The package's state enums use the ISO 3166-2 codes themselves.
        foreach (var state in Enum.GetValues<GermanPublicHoliday.States>().Where(s => s != GermanPublicHoliday.States.ALL))
        {
            calendars[$"DE-{state}"] = () => new GermanPublicHoliday { State = state };
        }

        foreach (var state in Enum.GetValues<AustraliaPublicHoliday.States>().Where(s => s != AustraliaPublicHoliday.States.All))
        {
            calendars[$"AU-{state}"] = () => new AustraliaPublicHoliday { State = state };
        }

        foreach (var canton in Enum.GetValues<SwitzerlandPublicHoliday.Cantons>()
                     .Where(c => c is not SwitzerlandPublicHoliday.Cantons.OnlyOfficial and not SwitzerlandPublicHoliday.Cantons.ALL))
        {
            calendars[$"CH-{canton}"] = () => new SwitzerlandPublicHoliday { Canton = canton };
        }

        // The provinces CanadaPublicHoliday has rules for; it accepts any string, so NU (which it never names)
        // would silently get the generic rules and is left out.
        foreach (var province in new[] { "AB", "BC", "MB", "NB", "NL", "NS", "NT", "ON", "PE", "QC", "SK", "YT" })
        {
            calendars[$"CA-{province}"] = () => new CanadaPublicHoliday(province);
        }

        calendars["PT-20"] = () => new PortugalPublicHoliday { Region = PortugalPublicHoliday.Regions.Acores };
        calendars["PT-30"] = () => new PortugalPublicHoliday { Region = PortugalPublicHoliday.Regions.Madeira };

        return calendars.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
