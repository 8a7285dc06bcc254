using System.Globalization;
using System.Text;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Policies;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace BoundaryGuard.Service.Scorecards;

/// <summary>
/// The scorecards, computed from the weekly rollups: a department's (for its chair and IT), a person's own, and the
/// institution's (for IT). Every aggregate over people needs at least <see cref="ScorecardOptions.MinimumGroupSize"/>
/// of them active in the range; below that it is withheld. A person's own card is theirs to see whatever its size.
/// </summary>
public sealed class ScorecardService(IMetricStore store, PolicyCatalog catalog, IOptions<ScorecardOptions> options, TimeProvider clock)
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
        var senders = await store.SendersAsync(department, range.From, range.To, cancellationToken).ConfigureAwait(false);
        var people = senders.Count;
        var own = ownMailbox is null ? null : await CardAsync(department, ownMailbox, range, cancellationToken).ConfigureAwait(false);
        if (people < MinimumGroupSize)
        {
            return new ScorecardResponse("department", Slug(department), department, range, people, MinimumGroupSize, true, null, [], null, own, []);
        }

        var leaders = new List<PersonCard>();
        if (forChair && options.Value.NamedLeaders && catalog.For(department) is { } policy)
        {
            foreach (var leader in policy.Scorecard.Leaders.Order(StringComparer.OrdinalIgnoreCase))
            {
                leaders.Add(await CardAsync(department, leader, range, cancellationToken).ConfigureAwait(false));
            }
        }

        var all = await LoadAsync(department, MetricWeek.Everyone, range, cancellationToken).ConfigureAwait(false);
        return new ScorecardResponse("department", Slug(department), department, range, people, MinimumGroupSize, false,
            all.Totals(range), all.Weeks(range), all.Trend(range), own, leaders)
        {
            Exempt = senders.Count(s => ExemptUntil(s.Sender) is not null),
        };
    }

    public async Task<ScorecardResponse> PersonAsync(string mailbox, string? department, WeekRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        var sender = mailbox.ToLowerInvariant();
        var data = await LoadAsync(department ?? "", sender, range, cancellationToken).ConfigureAwait(false);
        var card = Exempt(data.Card(sender, range));
        return new ScorecardResponse("person", sender, sender, range, 1, MinimumGroupSize, false, card.Totals, card.Weeks, data.Trend(range), card, []);
    }

    public async Task<ScorecardResponse> InstitutionAsync(WeekRange range, CancellationToken cancellationToken)
    {
        var senders = await store.SendersAsync(null, range.From, range.To, cancellationToken).ConfigureAwait(false);
        var people = senders.Select(s => s.Sender).Distinct(StringComparer.Ordinal).Count();
        var all = await LoadAsync(null, MetricWeek.Everyone, range, cancellationToken).ConfigureAwait(false);
        var departments = senders.GroupBy(s => s.Department, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var size = g.Count();
                return new DepartmentSummary(Slug(g.Key), g.Key, size, size < MinimumGroupSize, size < MinimumGroupSize ? null : all.Only(g.Key).Totals(range));
            })
            .ToList();
        var suppressed = people < MinimumGroupSize;
        return new ScorecardResponse("institution", "institution", "Institution", range, people, MinimumGroupSize, suppressed,
            suppressed ? null : all.Totals(range), suppressed ? [] : all.Weeks(range), suppressed ? null : all.Trend(range), null, [])
        {
            DepartmentSummaries = departments,
        };
    }

    private async Task<PersonCard> CardAsync(string department, string mailbox, WeekRange range, CancellationToken cancellationToken)
    {
        var sender = mailbox.ToLowerInvariant();
        return Exempt((await LoadAsync(department, sender, range, cancellationToken).ConfigureAwait(false)).Card(sender, range));
    }

    private PersonCard Exempt(PersonCard card) =>
        ExemptUntil(card.Mailbox) is { } until ? card with { ExemptUntil = LocalDatePattern.Iso.Format(until) } : card;

    /// <summary>The last day of the person's exemption, while it lasts (today taken in UTC: a card is not a decision).</summary>
    private LocalDate? ExemptUntil(string mailbox) =>
        catalog.Exemptions.TryGetValue(mailbox, out var until) && until >= Instant.FromDateTimeOffset(clock.GetUtcNow()).InUtc().Date ? until : null;

    /// <param name="sender">One person, or <see cref="MetricWeek.Everyone"/> for the department's (or every department's) sums.</param>
    private async Task<Series> LoadAsync(string? department, string sender, WeekRange range, CancellationToken cancellationToken)
    {
        // The trend compares the last week with the four before it, which may start before the range.
        var from = Math.Min(range.From, IsoWeeks.Add(range.To, -TrendWeeks));
        var rows = await store.WeeksAsync(department, sender, from, range.To, cancellationToken).ConfigureAwait(false);
        var minutes = await store.HoldMinutesAsync(department, sender, from, range.To, cancellationToken).ConfigureAwait(false);
        return new Series(rows, minutes);
    }

    /// <summary>One group's rollup rows and hold-time buckets, summed over weeks as each part of a card needs.</summary>
    private sealed class Series(IReadOnlyList<MetricWeek> rows, IReadOnlyList<HoldMinutesBucket> minutes)
    {
        private static readonly MetricWeek Zero = new() { Department = "", Week = 0, Sender = "" };

        private readonly ILookup<int, MetricWeek> rowsByWeek = rows.ToLookup(r => r.Week);
        private readonly ILookup<int, HoldMinutesBucket> minutesByWeek = minutes.ToLookup(m => m.Week);

        /// <summary>The rows of one department (when the series holds several).</summary>
        public Series Only(string department) =>
            new([.. rows.Where(r => r.Department == department)], [.. minutes.Where(m => m.Department == department)]);

        public ScorecardMeasures Totals(WeekRange range) => Measures(range.All(), 1);

        public IReadOnlyList<ScorecardWeek> Weeks(WeekRange range) =>
            [.. range.All().Select(week => new ScorecardWeek(IsoWeeks.Name(week), LocalDatePatternIso(IsoWeeks.Monday(week)), Measures([week], 1)))];

        public ScorecardTrend Trend(WeekRange range) => new(
            IsoWeeks.Name(range.To),
            Measures([range.To], 1),
            Measures(Enumerable.Range(1, TrendWeeks).Select(n => IsoWeeks.Add(range.To, -n)), TrendWeeks));

        public PersonCard Card(string sender, WeekRange range) => new(sender, Totals(range), Weeks(range));

        private ScorecardMeasures Measures(IEnumerable<int> weeks, int perWeek)
        {
            var sum = Zero;
            var buckets = new List<HoldMinutesBucket>();
            foreach (var week in weeks)
            {
                foreach (var row in rowsByWeek[week])
                {
                    sum = sum.Plus(row);
                }

                buckets.AddRange(minutesByWeek[week]);
            }

            return ScorecardMeasures.From(sum, buckets, perWeek);
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

    /// <summary>How many of the department's people IT has exempted from holds (their mail is never held); shown only above the minimum group size.</summary>
    public int? Exempt { get; init; }

    /// <summary>The institution view's departments, each withheld below the minimum group size.</summary>
    public IReadOnlyList<DepartmentSummary>? DepartmentSummaries { get; init; }
}

public sealed record ScorecardWeek(string Week, string Monday, ScorecardMeasures Measures);

/// <summary>The last week of the range against the average week of the four before it.</summary>
public sealed record ScorecardTrend(string Week, ScorecardMeasures Current, ScorecardMeasures PreviousFourWeeks);

public sealed record PersonCard(string Mailbox, ScorecardMeasures Totals, IReadOnlyList<ScorecardWeek> Weeks)
{
    /// <summary>The last day of the person's exemption from holds (yyyy-mm-dd), when IT gave them one.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ExemptUntil { get; init; }
}

public sealed record DepartmentSummary(string Id, string Name, int People, bool Suppressed, ScorecardMeasures? Totals);
