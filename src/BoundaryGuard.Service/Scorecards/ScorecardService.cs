using System.Globalization;
using System.Text;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Policies;
using Microsoft.Extensions.Options;
using NodaTime;

namespace BoundaryGuard.Service.Scorecards;

/// <summary>
/// The scorecards, computed from the weekly rollups: a department's (for its chair and IT), a person's own, and the
/// institution's (for IT). Every aggregate over people needs at least <see cref="ScorecardOptions.MinimumGroupSize"/>
/// of them active in the range; below that it is withheld. A person's own card is theirs to see whatever its size.
/// </summary>
public sealed class ScorecardService(IMetricStore store, PolicyCatalog catalog, IOptions<ScorecardOptions> options)
{
    public const int TrendWeeks = 4;

    private int MinimumGroupSize => options.Value.MinimumGroupSize;

    /// <summary>The departments that have a policy, by URL id ("Department of Medicine" is department-of-medicine).</summary>
    public IReadOnlyDictionary<string, string> Departments() =>
        catalog.Departments.Where(d => d != "*").ToDictionary(Slug, d => d, StringComparer.Ordinal);

    public static string Slug(string department)
    {
        ArgumentNullException.ThrowIfNull(department);
        var slug = new StringBuilder();
        foreach (var c in department.Trim().ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        return slug.ToString().TrimEnd('-');
    }

    /// <param name="ownMailbox">The caller, when they belong to the department: their own card comes first.</param>
    /// <param name="forChair">
    /// The department's chair is asking: with <see cref="ScorecardOptions.NamedLeaders"/> on, the cards of the people
    /// the department's policy lists as leaders are included by name (never below the minimum group size).
    /// </param>
    public async Task<ScorecardResponse> DepartmentAsync(
        string department, WeekRange range, string? ownMailbox, bool forChair, CancellationToken cancellationToken)
    {
        var data = await LoadAsync(department, range, cancellationToken).ConfigureAwait(false);
        var people = data.People(range);
        var own = ownMailbox is null ? null : data.Card(ownMailbox.ToLowerInvariant(), range);
        if (people < MinimumGroupSize)
        {
            return new ScorecardResponse("department", Slug(department), department, range, people, MinimumGroupSize, true, null, [], null, own, []);
        }

        var leaders = forChair && options.Value.NamedLeaders && catalog.For(department) is { } policy
            ? policy.Scorecard.Leaders.Order(StringComparer.OrdinalIgnoreCase).Select(l => data.Card(l.ToLowerInvariant(), range)).ToList()
            : [];
        return new ScorecardResponse("department", Slug(department), department, range, people, MinimumGroupSize, false,
            data.Totals(range, _ => true), data.Weeks(range, _ => true), data.Trend(range, _ => true), own, leaders);
    }

    public async Task<ScorecardResponse> PersonAsync(string mailbox, string? department, WeekRange range, CancellationToken cancellationToken)
    {
        var data = await LoadAsync(department ?? "", range, cancellationToken).ConfigureAwait(false);
        var sender = mailbox.ToLowerInvariant();
        var card = data.Card(sender, range);
        return new ScorecardResponse("person", sender, sender, range, 1, MinimumGroupSize, false,
            card.Totals, card.Weeks, data.Trend(range, s => s == sender), card, []);
    }

    public async Task<ScorecardResponse> InstitutionAsync(WeekRange range, CancellationToken cancellationToken)
    {
        var data = await LoadAsync(null, range, cancellationToken).ConfigureAwait(false);
        var people = data.People(range);
        var departments = data.Rows.Where(r => range.Contains(r.Week)).Select(r => r.Department).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(d =>
            {
                var inDepartment = data.Only(r => r.Department == d);
                var size = inDepartment.People(range);
                return new DepartmentSummary(Slug(d), d, size, size < MinimumGroupSize, size < MinimumGroupSize ? null : inDepartment.Totals(range, _ => true));
            })
            .ToList();
        var suppressed = people < MinimumGroupSize;
        return new ScorecardResponse("institution", "institution", "Institution", range, people, MinimumGroupSize, suppressed,
            suppressed ? null : data.Totals(range, _ => true), suppressed ? [] : data.Weeks(range, _ => true),
            suppressed ? null : data.Trend(range, _ => true), null, [])
        {
            DepartmentSummaries = departments,
        };
    }

    private async Task<Rollups> LoadAsync(string? department, WeekRange range, CancellationToken cancellationToken)
    {
        // The trend compares the last week with the four before it, which may start before the range.
        var from = Math.Min(range.From, IsoWeeks.Add(range.To, -TrendWeeks));
        var rows = await store.WeeksAsync(department, from, range.To, cancellationToken).ConfigureAwait(false);
        var minutes = await store.HoldMinutesAsync(department, from, range.To, cancellationToken).ConfigureAwait(false);
        return new Rollups(rows, minutes);
    }

    /// <summary>Rollup rows and hold-minute buckets, summed over weeks and senders as each part of a card needs.</summary>
    private sealed record Rollups(IReadOnlyList<MetricWeek> Rows, IReadOnlyList<HoldMinutesBucket> Minutes)
    {
        public Rollups Only(Func<MetricWeek, bool> keep)
        {
            var rows = Rows.Where(keep).ToList();
            var keys = rows.Select(r => (r.Department, r.Sender)).ToHashSet();
            return new Rollups(rows, [.. Minutes.Where(m => keys.Contains((m.Department, m.Sender)))]);
        }

        public int People(WeekRange range) => Rows.Where(r => range.Contains(r.Week)).Select(r => r.Sender).Distinct(StringComparer.Ordinal).Count();

        public ScorecardMeasures Totals(WeekRange range, Func<string, bool> sender) =>
            Measures(w => range.Contains(w), sender, 1);

        public IReadOnlyList<ScorecardWeek> Weeks(WeekRange range, Func<string, bool> sender) =>
            [.. range.All().Select(week => new ScorecardWeek(IsoWeeks.Name(week), LocalDatePatternIso(IsoWeeks.Monday(week)), Measures(w => w == week, sender, 1)))];

        public ScorecardTrend Trend(WeekRange range, Func<string, bool> sender)
        {
            var before = IsoWeeks.Add(range.To, -TrendWeeks);
            return new ScorecardTrend(
                IsoWeeks.Name(range.To),
                Measures(w => w == range.To, sender, 1),
                Measures(w => w >= before && w < range.To, sender, TrendWeeks));
        }

        public PersonCard Card(string sender, WeekRange range) =>
            new(sender, Totals(range, s => s == sender), Weeks(range, s => s == sender));

        private ScorecardMeasures Measures(Func<int, bool> week, Func<string, bool> sender, int perWeek)
        {
            var sum = new MetricWeek { Department = "", Week = 0, Sender = "" };
            foreach (var row in Rows.Where(r => week(r.Week) && sender(r.Sender)))
            {
                sum = sum.Plus(row);
            }

            return ScorecardMeasures.From(sum, Minutes.Where(m => week(m.Week) && sender(m.Sender)), perWeek);
        }

        private static string LocalDatePatternIso(LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}

/// <summary>ISO weeks [From, To], both yyyyww.</summary>
public readonly record struct WeekRange(int From, int To)
{
    public const int MaxWeeks = 104;

    public bool Contains(int week) => week >= From && week <= To;

    public IEnumerable<int> All()
    {
        for (var week = From; week <= To; week = IsoWeeks.Add(week, 1))
        {
            yield return week;
        }
    }

    public int Count => All().Count();
}

public sealed record ScorecardResponse(
    string Scope,
    string Id,
    string Name,
    [property: System.Text.Json.Serialization.JsonIgnore] WeekRange Range,
    int People,
    int MinimumGroupSize,
    bool Suppressed,
    ScorecardMeasures? Totals,
    IReadOnlyList<ScorecardWeek> Weeks,
    ScorecardTrend? Trend,
    PersonCard? Own,
    IReadOnlyList<PersonCard> Leaders)
{
    public string From => IsoWeeks.Name(Range.From);

    public string To => IsoWeeks.Name(Range.To);

    /// <summary>The institution view's departments, each withheld below the minimum group size.</summary>
    public IReadOnlyList<DepartmentSummary>? DepartmentSummaries { get; init; }
}

public sealed record ScorecardWeek(string Week, string Monday, ScorecardMeasures Measures);

/// <summary>The last week of the range against the average week of the four before it.</summary>
public sealed record ScorecardTrend(string Week, ScorecardMeasures Current, ScorecardMeasures PreviousFourWeeks);

public sealed record PersonCard(string Mailbox, ScorecardMeasures Totals, IReadOnlyList<ScorecardWeek> Weeks);

public sealed record DepartmentSummary(string Id, string Name, int People, bool Suppressed, ScorecardMeasures? Totals);
