using System.Buffers.Binary;
using System.Buffers.Text;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using BoundaryGuard.Core.Decisions;
using BoundaryGuard.Core.Policies;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Policies;
using BoundaryGuard.Service.Scheduling;
using BoundaryGuard.Service.Scorecards;
using BoundaryGuard.Service.Tests.Scheduling;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NodaTime;

namespace BoundaryGuard.Service.Tests.Scorecards;

/// <summary>
/// The scorecard benchmark (issue 6): a year of an institution's boundary metrics, 10,000,000 events from 20
/// departments of about 150 senders over 52 ISO weeks, ingested through the real <see cref="SqlMetricStore"/> in
/// batches of <see cref="BatchSize"/>; then the department scorecard over the 52 weeks, as a chair asks for it (with
/// their own card), for random departments, <see cref="Queries"/> times after <see cref="WarmUpQueries"/>. It reports
/// ingestion in events per second (time inside <see cref="IMetricStore.AppendAsync"/> only: generating the events is
/// not the store's cost), the scorecard's p50, p95 and maximum, and the database's size. It fails only when the store
/// lost or doubled an event or a department's card does not count exactly what was generated for it.
/// </summary>
/// <remarks>
/// Run: <c>dotnet test tests/BoundaryGuard.Service.Tests -c Release --filter "FullyQualifiedName~ScorecardBenchmark"</c>
/// (with BOUNDARYGUARD_TEST_POSTGRES set for the PostgreSQL leg). The SQLite file goes to the temp folder and takes a
/// few GB until the test ends.
/// </remarks>
[Explicit("A benchmark, run by hand: about three minutes and 3 GB of disk per database.")]
[Category("Benchmark")]
[NonParallelizable]
[TestFixture(SchedulingProvider.Sqlite)]
[TestFixture(SchedulingProvider.PostgreSQL)]
public sealed class ScorecardBenchmark(SchedulingProvider provider)
{
    private const int Events = 10_000_000;
    private const int BatchSize = 100_000;
    private const int WarmUpQueries = 10;
    private const int Queries = 200;
    private const int Seed = 20261126;

    [Test]
    public async Task DepartmentAsync_52WeeksOver10MillionEvents_CountsWhatWasGenerated()
    {
        using var target = SchedulingTarget.Create(provider);
        try
        {
            await RunAsync(Settings(target));
        }
        finally
        {
            // Pooled handles keep the SQLite file open; the target deletes it next.
            SqliteConnection.ClearAllPools();
        }
    }

    private async Task RunAsync(SchedulingOptions settings)
    {
        await new SchemaMigrator(Options.Create(settings), new FakeTimeProvider()).MigrateAsync(CancellationToken.None);
        var store = new SqlMetricStore(Options.Create(settings));
        var year = new SyntheticYear(Seed);

        var appending = new Stopwatch();
        var wall = Stopwatch.StartNew();
        long stored = 0, appended = 0;
        foreach (var batch in year.Batches(Events, BatchSize))
        {
            appending.Start();
            stored += await store.AppendAsync(batch, CancellationToken.None);
            appending.Stop();
            appended += batch.Count;
            if (appended % 1_000_000 == 0)
            {
                TestContext.Progress.WriteLine($"{appended:N0} events, {appended / appending.Elapsed.TotalSeconds:N0} events/s so far");
            }
        }

        Assert.That(stored, Is.EqualTo(Events), "every generated event stored once");
        Report($"{provider}: ingestion: {Events:N0} events in batches of {BatchSize:N0}, {appending.Elapsed.TotalSeconds:F1} s in AppendAsync " +
               $"= {Events / appending.Elapsed.TotalSeconds:N0} events/s (with generating them {wall.Elapsed.TotalSeconds:F1} s); " +
               $"mix: {year.MixDescription()}");
        Report($"{provider}: database: {await SizeAsync(settings)}; metric_weeks {await CountAsync(settings, "metric_weeks"):N0} rows, " +
               $"metric_hold_minutes {await CountAsync(settings, "metric_hold_minutes"):N0} rows");

        var policies = year.WritePolicyFolder();
        try
        {
            using var catalog = new PolicyCatalog(
                Options.Create(new PolicyCatalogOptions { Folder = policies }), TimeProvider.System, NullLogger<PolicyCatalog>.Instance);
            var scorecards = new ScorecardService(store, catalog, Options.Create(new ScorecardOptions()), TimeProvider.System);
            var range = new WeekRange(SyntheticYear.FirstWeek, SyntheticYear.LastWeek);
            await MeasureAsync(scorecards, year, range);
            long rows = 0, buckets = 0;
            foreach (var department in year.Departments)
            {
                rows += (await store.WeeksAsync(department.Name, MetricWeek.Everyone, range.From, range.To, CancellationToken.None)).Count;
                buckets += (await store.HoldMinutesAsync(department.Name, MetricWeek.Everyone, range.From, range.To, CancellationToken.None)).Count;
            }

            Report($"{provider}: what a card reads: a department's year is (besides the chair's own rows) {rows / year.Departments.Count:N0} weekly rows and " +
                   $"{buckets / year.Departments.Count:N0} hold-time buckets on average");
            await CheckEveryDepartmentAsync(scorecards, year, range);
        }
        finally
        {
            Directory.Delete(policies, recursive: true);
        }
    }

    private async Task MeasureAsync(ScorecardService scorecards, SyntheticYear year, WeekRange range)
    {
        var pick = new Random(Seed + 1);
        var times = new List<double>(Queries);
        for (var i = 0; i < WarmUpQueries + Queries; i++)
        {
            var department = year.Departments[pick.Next(year.Departments.Count)];
            var clock = Stopwatch.StartNew();
            var card = await scorecards.DepartmentAsync(department.Name, range, department.Chair, forChair: true, CancellationToken.None);
            clock.Stop();
            Assert.That(card.Weeks, Has.Count.EqualTo(SyntheticYear.Weeks), department.Name);
            if (i >= WarmUpQueries)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        Report($"{provider}: department scorecard over {SyntheticYear.Weeks} weeks ({IsoWeeks.Name(range.From)} to {IsoWeeks.Name(range.To)}), " +
               $"with the chair's own card, {Queries} calls after {WarmUpQueries} warm-up: p50 {Percentile(times, 0.50):F1} ms, " +
               $"p95 {Percentile(times, 0.95):F1} ms, max {times[^1]:F1} ms");
    }

    private static async Task CheckEveryDepartmentAsync(ScorecardService scorecards, SyntheticYear year, WeekRange range)
    {
        foreach (var department in year.Departments)
        {
            var card = await scorecards.DepartmentAsync(department.Name, range, department.Chair, forChair: true, CancellationToken.None);
            var expected = department.InRange;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(card.Suppressed, Is.False, department.Name);
                Assert.That(card.People, Is.EqualTo(department.SendersInRange), $"{department.Name}: people");
                Assert.That(card.Totals!.Attempts, Is.EqualTo(expected.Attempts), $"{department.Name}: attempts");
                Assert.That(card.Totals.Held, Is.EqualTo(expected.Held), $"{department.Name}: held");
                Assert.That(card.Totals.SentInHours, Is.EqualTo(expected.SentInHours), $"{department.Name}: sent in hours");
                Assert.That(card.Totals.Released, Is.EqualTo(expected.Released), $"{department.Name}: released");
                Assert.That(card.Totals.Overrides.Values.Sum(), Is.EqualTo(expected.Overrides), $"{department.Name}: overrides");
            }
        }
    }

    private SchedulingOptions Settings(SchedulingTarget target) => new()
    {
        Provider = provider,
        // Pooled, as the service's own connection string is: SchedulingTarget turns SQLite's pool off for the tests
        // that reopen a file the way a restarted process does, and opening a file per query is not what is measured.
        ConnectionString = provider == SchedulingProvider.Sqlite
            ? new SqliteConnectionStringBuilder(target.ConnectionString) { Pooling = true }.ConnectionString
            : target.ConnectionString,
        SchedulerName = target.SchedulerName,
    };

    private static async Task<string> SizeAsync(SchedulingOptions settings)
    {
        if (settings.Provider == SchedulingProvider.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource;
            var wal = new FileInfo(file + "-wal");
            return $"{Gigabytes(new FileInfo(file).Length):F2} GB file" + (wal.Exists ? $" + {Gigabytes(wal.Length):F2} GB write-ahead log" : "");
        }

        var parts = new List<string>();
        foreach (var table in new[] { "metric_events", "metric_weeks", "metric_hold_minutes" })
        {
            // With its indexes and TOAST.
            parts.Add($"{table} {Gigabytes(await ScalarAsync(settings, $"SELECT pg_total_relation_size('{table}')")):F2} GB");
        }

        return string.Join(", ", parts);
    }

    private static Task<long> CountAsync(SchedulingOptions settings, string table) => ScalarAsync(settings, $"SELECT COUNT(*) FROM {table}");

    private static async Task<long> ScalarAsync(SchedulingOptions settings, string sql)
    {
        await using DbConnection connection = SchemaMigrator.Open(settings);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static double Gigabytes(long bytes) => bytes / (1024.0 * 1024 * 1024);

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Ceiling(p * sorted.Count) - 1];

    private static void Report(string line)
    {
        TestContext.Progress.WriteLine(line);
        TestContext.Out.WriteLine(line);
    }

    /// <summary>What a department's card must count over the 52 weeks, tallied as the events were generated.</summary>
    private sealed class Tally
    {
        public long Attempts { get; set; }

        public long Held { get; set; }

        public long SentInHours { get; set; }

        public long Released { get; set; }

        public long Overrides { get; set; }
    }

    private sealed class Sender(string mailbox, SyntheticDepartment department, double afterHoursShare, double holdShare, string messageIds, long firstMessage)
    {
        public string Mailbox { get; } = mailbox;

        /// <summary>What a Graph message id of this mailbox's Sent Items starts with (the mailbox's and folder's part).</summary>
        public string MessageIds { get; } = messageIds;

        /// <summary>The store's item counter: the part of a message id that tells messages of one mailbox apart.</summary>
        public long LastMessage { get; set; } = firstMessage;

        public SyntheticDepartment Department { get; } = department;

        /// <summary>The share of their sends written after hours.</summary>
        public double AfterHoursShare { get; } = afterHoursShare;

        /// <summary>The share of their after-hours sends they let BoundaryGuard hold.</summary>
        public double HoldShare { get; } = holdShare;

        public bool SeenInRange { get; set; }
    }

    private sealed class SyntheticDepartment(string name, DateTimeZone zone)
    {
        public string Name { get; } = name;

        public DateTimeZone Zone { get; } = zone;

        public List<Sender> Senders { get; } = [];

        public string Chair => Senders[0].Mailbox;

        public Tally InRange { get; } = new();

        public int SendersInRange => Senders.Count(s => s.SeenInRange);
    }

    /// <summary>
    /// A year of an academic medical centre's mail as boundary metrics, the same for the same seed. 20 departments of
    /// 130–170 senders in four US zones, working 07:00–19:00 Monday to Friday with US holidays closed; 52 ISO weeks
    /// ending with <see cref="LastWeek"/>, an equal share of the events in each. Senders differ in how much they write
    /// (log-normal), how much of it after hours (the department's habit times their own) and how often they let
    /// BoundaryGuard hold it. A send in working hours is found by the Sent Items audit (sent-in-hours); one after hours
    /// is deferred by the add-in (4 %), held (then released at the next 07:00 on a working day, 85 %; sent early with a
    /// reason, 8 %; cancelled, 5 %; sent by the user outside BoundaryGuard, no event, 2 %) or delivered after hours
    /// (found by the audit). Keys are what <see cref="MetricRecorder"/> writes: hold and deferral ids are version-4
    /// GUIDs and a sent message's key carries a Graph message id shaped like Exchange's (see <see cref="SentKey"/>).
    /// </summary>
    private sealed class SyntheticYear
    {
        public const int Weeks = 52;

        /// <summary>2026-W47, the last whole week before the day this was measured.</summary>
        public const int LastWeek = 202647;

        public static readonly int FirstWeek = IsoWeeks.Add(LastWeek, -(Weeks - 1));

        private const string Domain = "med.example.edu";
        private const int WorkStart = 7;
        private const int WorkEnd = 19;

        private static readonly (string Name, string Zone, double AfterHours)[] DepartmentTable =
        [
            ("Department of Medicine", "America/New_York", 0.22),
            ("Department of Surgery", "America/Chicago", 0.34),
            ("Department of Pediatrics", "America/New_York", 0.18),
            ("Department of Anesthesiology", "America/New_York", 0.26),
            ("Department of Radiology", "America/New_York", 0.20),
            ("Department of Psychiatry", "America/New_York", 0.12),
            ("Department of Neurology", "America/Chicago", 0.19),
            ("Department of Obstetrics and Gynecology", "America/New_York", 0.28),
            ("Department of Emergency Medicine", "America/New_York", 0.31),
            ("Department of Pathology", "America/Denver", 0.14),
            ("Department of Dermatology", "America/New_York", 0.10),
            ("Department of Ophthalmology", "America/Chicago", 0.13),
            ("Department of Orthopaedic Surgery", "America/New_York", 0.30),
            ("Department of Otolaryngology", "America/New_York", 0.21),
            ("Department of Urology", "America/Los_Angeles", 0.24),
            ("Department of Family Medicine", "America/Denver", 0.16),
            ("Department of Radiation Oncology", "America/New_York", 0.17),
            ("Department of Neurosurgery", "America/New_York", 0.36),
            ("Department of Physical Medicine and Rehabilitation", "America/Los_Angeles", 0.11),
            ("Department of Population Health", "America/New_York", 0.15),
        ];

        private static readonly string[] FirstNames =
        [
            "james", "mary", "robert", "patricia", "john", "jennifer", "michael", "linda", "david", "elizabeth", "william",
            "barbara", "richard", "susan", "joseph", "jessica", "thomas", "sarah", "priya", "wei", "ahmed", "fatima",
            "carlos", "maria", "kenji", "yuki", "olga", "ivan", "amara", "kwame",
        ];

        private static readonly string[] LastNames =
        [
            "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez",
            "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin",
            "lee", "perez", "thompson", "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson", "walker",
            "young", "allen", "king", "wright", "scott", "torres", "nguyen", "hill", "flores", "green", "adams", "nelson",
            "baker", "hall", "rivera", "campbell", "mitchell", "carter", "roberts", "patel", "shah", "chen", "wang",
            "kim", "park", "okafor", "mensah", "cohen", "murphy",
        ];

        private static readonly HashSet<LocalDate> Holidays =
        [
            new(2025, 11, 27), new(2025, 11, 28), new(2025, 12, 24), new(2025, 12, 25), new(2026, 1, 1), new(2026, 1, 19),
            new(2026, 2, 16), new(2026, 5, 25), new(2026, 6, 19), new(2026, 7, 3), new(2026, 9, 7), new(2026, 11, 11),
        ];

        private static readonly LocalDate FirstMonday = IsoWeeks.Monday(FirstWeek);

        private static readonly OverrideReason[] OverrideReasons =
            [OverrideReason.PatientCare, OverrideReason.TimeCritical, OverrideReason.RecipientAsked, OverrideReason.Other];

        private static readonly double[] OverrideReasonShares = [0.45, 0.30, 0.15, 0.10];

        private readonly Random random;
        private readonly Sender[] senders;
        private readonly double[] cumulativeVolume;
        private readonly long[] kinds = new long[Enum.GetValues<MetricKind>().Length];
        private readonly byte[] idBytes = new byte[100];

        public SyntheticYear(int seed)
        {
            random = new Random(seed);
            var mailboxes = new HashSet<string>(StringComparer.Ordinal);
            var all = new List<Sender>();
            var volume = new List<double>();
            foreach (var (name, zone, afterHours) in DepartmentTable)
            {
                var department = new SyntheticDepartment(name, DateTimeZoneProviders.Tzdb[zone]);
                Departments.Add(department);
                var size = 130 + random.Next(41);
                for (var i = 0; i < size; i++)
                {
                    var person = $"{FirstNames[random.Next(FirstNames.Length)]}.{LastNames[random.Next(LastNames.Length)]}";
                    var mailbox = $"{person}@{Domain}";
                    for (var n = 2; !mailboxes.Add(mailbox); n++)
                    {
                        mailbox = $"{person}{n}@{Domain}";
                    }

                    random.NextBytes(idBytes);
                    var sender = new Sender(
                        mailbox,
                        department,
                        Math.Clamp(afterHours * Math.Exp(Gaussian() * 0.5), 0.01, 0.7),
                        Math.Clamp(0.75 + (Gaussian() * 0.15), 0.2, 0.99),
                        "AAMkAG" + Base64Url.EncodeToString(idBytes),
                        random.NextInt64(1L << 40));
                    department.Senders.Add(sender);
                    all.Add(sender);
                    volume.Add(Math.Exp(Gaussian() * 0.7));
                }
            }

            senders = [.. all];
            cumulativeVolume = new double[volume.Count];
            var sum = 0.0;
            for (var i = 0; i < volume.Count; i++)
            {
                cumulativeVolume[i] = sum += volume[i];
            }
        }

        public List<SyntheticDepartment> Departments { get; } = [];

        /// <summary><paramref name="count"/> events, one list reused for each batch (the store keeps none of it).</summary>
        public IEnumerable<List<MetricEvent>> Batches(int count, int size)
        {
            var batch = new List<MetricEvent>(size);
            var send = new List<MetricEvent>(2);
            var emitted = 0;
            while (emitted < count)
            {
                // An equal share of the events in each week: the week of the next send follows the count so far.
                var sender = Send((int)((long)emitted * Weeks / count), send);
                foreach (var e in send)
                {
                    if (emitted == count)
                    {
                        // The year ends with this hold still pending.
                        break;
                    }

                    Count(e, sender);
                    batch.Add(e);
                    emitted++;
                    if (batch.Count == size)
                    {
                        yield return batch;
                        batch.Clear();
                    }
                }

                send.Clear();
            }

            if (batch.Count > 0)
            {
                yield return batch;
            }
        }

        public string MixDescription()
        {
            var total = (double)kinds.Sum();
            return string.Join(", ", Enum.GetValues<MetricKind>()
                .OrderByDescending(k => kinds[(int)k])
                .Select(k => $"{MetricWireNames.Kinds.Name(k)} {100 * kinds[(int)k] / total:F1} %"));
        }

        /// <summary>A policy folder naming every department, one policy per zone: the catalog the service would have.</summary>
        public string WritePolicyFolder()
        {
            var folder = Directory.CreateTempSubdirectory("scorecard-policies-").FullName;
            var holidays = string.Join(", ", Holidays.Order().Select(d => $$"""{ "date": "{{d:yyyy-MM-dd}}", "name": "Closed" }"""));
            var map = new Dictionary<string, string>();
            foreach (var department in Departments)
            {
                var file = department.Zone.Id.Replace('/', '-').ToLowerInvariant() + ".json";
                map[department.Name] = file;
                File.WriteAllText(Path.Combine(folder, file), $$"""
                    { "workingHours": { "daysOfWeek": ["monday","tuesday","wednesday","thursday","friday"],
                                        "startTime": "07:00:00.0000000", "endTime": "19:00:00.0000000",
                                        "timeZone": { "name": "{{department.Zone.Id}}" } },
                      "holidays": [{{holidays}}] }
                    """);
            }

            map["*"] = map[Departments[0].Name];
            File.WriteAllText(Path.Combine(folder, PolicyFolder.MapFile), System.Text.Json.JsonSerializer.Serialize(map));
            return folder;
        }

        /// <summary>One send in the week starting <paramref name="week"/> weeks after the first: its events, and who sent it.</summary>
        private Sender Send(int week, List<MetricEvent> events)
        {
            var sender = PickSender();
            var recipients = Recipients();
            var monday = FirstMonday.PlusWeeks(week);
            if (random.NextDouble() >= sender.AfterHoursShare)
            {
                events.Add(Event(SentKey(sender), MetricKind.SentInHours, sender, InHours(monday), HoldReasons.None, recipients));
                return sender;
            }

            var at = AfterHours(monday);
            var reasons = Classify(at) switch
            {
                MetricPeriod.Closure => HoldReasons.Holiday,
                MetricPeriod.Weekend => HoldReasons.Weekend,
                _ => HoldReasons.AfterHours,
            };
            if (random.NextDouble() < 0.04)
            {
                events.Add(Event($"deferral:{Guid():D}", MetricKind.Deferred, sender, at, reasons, RecipientCounts.None));
                return sender;
            }

            if (random.NextDouble() >= sender.HoldShare)
            {
                events.Add(Event(SentKey(sender), MetricKind.DeliveredAfterHours, sender, at, HoldReasons.None, recipients));
                return sender;
            }

            if (random.NextDouble() < 0.1)
            {
                reasons |= HoldReasons.RecipientOffHours;
            }

            var id = Guid();
            var source = random.NextDouble() < 0.85 ? HoldSource.AddIn : HoldSource.SendLater;
            var created = Event(HoldKey(id, MetricKind.HoldCreated), MetricKind.HoldCreated, sender, at, reasons, recipients, source: source);
            events.Add(created);
            var release = Release(at).PlusMinutes(random.Next(5)).PlusSeconds(random.Next(60));
            var ending = random.NextDouble();
            if (ending < 0.85)
            {
                var released = Event(HoldKey(id, MetricKind.Released), MetricKind.Released, sender, release, reasons, recipients, source: source);
                events.Add(released with { HoldMinutes = (int)Math.Round((released.At - created.At).TotalMinutes) });
            }
            else if (ending < 0.93)
            {
                var early = Earlier(at.PlusMinutes(2 + random.Next(119)), release);
                events.Add(Event(HoldKey(id, MetricKind.Overridden), MetricKind.Overridden, sender, early, reasons, recipients,
                    PickOverrideReason(), source));
            }
            else if (ending < 0.98)
            {
                var cancelled = Earlier(at.PlusMinutes(5 + random.Next(716)), release);
                events.Add(Event(HoldKey(id, MetricKind.Cancelled), MetricKind.Cancelled, sender, cancelled, reasons, recipients, source: source));
            }

            return sender;
        }

        private static MetricEvent Event(
            string key, MetricKind kind, Sender sender, LocalDateTime local, HoldReasons reasons, RecipientCounts recipients,
            OverrideReason? overrideReason = null, HoldSource? source = null)
        {
            // As MetricRecorder stamps it: the sender's policy's local day and hour at the instant.
            var zoned = local.InZoneLeniently(sender.Department.Zone);
            local = zoned.LocalDateTime;
            return new MetricEvent(key, kind, zoned.ToDateTimeOffset(), sender.Mailbox, sender.Department.Name, local.Date, local.Hour,
                Classify(local), reasons, recipients, overrideReason, source);
        }

        private void Count(MetricEvent e, Sender sender)
        {
            kinds[(int)e.Kind]++;
            var week = Period.DaysBetween(FirstMonday, e.LocalDay) / 7;
            if (week is < 0 or >= Weeks)
            {
                return;
            }

            var tally = sender.Department.InRange;
            switch (e.Kind)
            {
                case MetricKind.HoldCreated or MetricKind.Deferred:
                    tally.Attempts++;
                    tally.Held++;
                    break;
                case MetricKind.DeliveredAfterHours:
                    tally.Attempts++;
                    break;
                case MetricKind.SentInHours:
                    tally.SentInHours++;
                    break;
                case MetricKind.Released:
                    tally.Released++;
                    break;
                case MetricKind.Overridden:
                    tally.Overrides++;
                    break;
                default:
                    break;
            }

            sender.SeenInRange = true;
        }

        private static MetricPeriod Classify(LocalDateTime local) =>
            Holidays.Contains(local.Date) ? MetricPeriod.Closure
            : local.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday ? MetricPeriod.Weekend
            : local.Hour is < WorkStart or >= WorkEnd ? MetricPeriod.Night
            : MetricPeriod.None;

        private static bool WorkingDay(LocalDate day) =>
            day.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday) && !Holidays.Contains(day);

        /// <summary>When held mail goes: the next working-window start.</summary>
        private static LocalDateTime Release(LocalDateTime held)
        {
            var day = held.Date;
            if (!(WorkingDay(day) && held.Hour < WorkStart))
            {
                do
                {
                    day = day.PlusDays(1);
                }
                while (!WorkingDay(day));
            }

            return day.At(new LocalTime(WorkStart, 0));
        }

        private static LocalDateTime Earlier(LocalDateTime at, LocalDateTime release) => at < release ? at : release.PlusMinutes(-1);

        private LocalDateTime InHours(LocalDate monday)
        {
            LocalDate day;
            do
            {
                day = monday.PlusDays(random.Next(5));
            }
            while (Holidays.Contains(day));

            return day.At(new LocalTime(WorkStart + random.Next(WorkEnd - WorkStart), random.Next(60), random.Next(60)));
        }

        private LocalDateTime AfterHours(LocalDate monday)
        {
            if (random.NextDouble() < 0.25)
            {
                // Weekends: through the day, mostly from mid-morning to late evening.
                return monday.PlusDays(5 + random.Next(2)).At(new LocalTime(8 + random.Next(15), random.Next(60), random.Next(60)));
            }

            var day = monday.PlusDays(random.Next(5));
            // Weeknights: mostly the evening, some before dawn; on a closed day any time.
            var hour = Holidays.Contains(day) ? 8 + random.Next(15)
                : random.NextDouble() < 0.75 ? WorkEnd + random.Next(24 - WorkEnd)
                : random.Next(WorkStart);
            return day.At(new LocalTime(hour, random.Next(60), random.Next(60)));
        }

        private Sender PickSender()
        {
            var index = Array.BinarySearch(cumulativeVolume, random.NextDouble() * cumulativeVolume[^1]);
            return senders[index < 0 ? ~index : index];
        }

        private RecipientCounts Recipients()
        {
            int trainees = 0, faculty = 0, staff = 0, external = 0;
            var count = 1;
            while (count < 12 && random.NextDouble() < 0.45)
            {
                count++;
            }

            for (var i = 0; i < count; i++)
            {
                var role = random.NextDouble();
                if (role < 0.35)
                {
                    trainees++;
                }
                else if (role < 0.65)
                {
                    faculty++;
                }
                else if (role < 0.9)
                {
                    staff++;
                }
                else
                {
                    external++;
                }
            }

            return new RecipientCounts(trainees, faculty, staff, external);
        }

        private OverrideReason PickOverrideReason()
        {
            var u = random.NextDouble();
            for (var i = 0; i < OverrideReasons.Length - 1; i++)
            {
                if ((u -= OverrideReasonShares[i]) < 0)
                {
                    return OverrideReasons[i];
                }
            }

            return OverrideReasons[^1];
        }

        private static string HoldKey(Guid id, MetricKind kind) => $"hold:{id:D}:{MetricWireNames.Kinds.Name(kind)}";

        /// <summary>
        /// As the audit keys a sent message: <c>sent:{mailbox}:{Graph message id}</c>. The id is shaped like
        /// Exchange's: 152 characters, the mailbox's and folder's part the same for every message of a mailbox, then
        /// the store's item counter (which other items advance too) and a tail.
        /// </summary>
        private string SentKey(Sender sender)
        {
            sender.LastMessage += 1 + random.Next(8);
            Span<byte> counter = stackalloc byte[8];
            BinaryPrimitives.WriteInt64BigEndian(counter, sender.LastMessage);
            return $"sent:{sender.Mailbox}:{sender.MessageIds}{Base64Url.EncodeToString(counter[2..])}AAA=";
        }

        /// <summary>A version-4 GUID, as <see cref="System.Guid.NewGuid"/> makes, from the seeded generator.</summary>
        private Guid Guid()
        {
            Span<byte> bytes = stackalloc byte[16];
            random.NextBytes(bytes);
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes);
        }

        private double Gaussian() =>
            Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
    }
}
