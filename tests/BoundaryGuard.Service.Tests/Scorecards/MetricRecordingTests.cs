using System.Net;
using System.Net.Http.Json;
using BoundaryGuard.Service.Holds;
using BoundaryGuard.Service.Scorecards;
using BoundaryGuard.Service.Tests.Holds;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace BoundaryGuard.Service.Tests.Scorecards;

/// <summary>
/// Every hold, release, override, cancellation and deferral becomes one metric event, stamped in the sender's policy
/// (Medicine: New York, 07:00–19:00 on weekdays), with recipients counted by role and nothing else of the mail.
/// </summary>
public sealed class MetricRecordingTests
{
    private const string Sender = "mwebb@med.example.edu";
    private const string Resident = "jlee@med.example.edu";
    private const string Colleague = "sokafor@med.example.edu";
    private const string Outsider = "someone@elsewhere.example.org";

    private static readonly DateTimeOffset FridayNight = new(2026, 12, 4, 23, 30, 0, TimeSpan.FromHours(-5));
    private static readonly DateTimeOffset MondayOpen = new(2026, 12, 7, 7, 0, 0, TimeSpan.FromHours(-5));

    private HoldsWorld world = null!;
    private HoldsApp app = null!;

    private IMetricStore Metrics => app.Services.GetRequiredService<IMetricStore>();

    [SetUp]
    public async Task SetUp()
    {
        world = await HoldsWorld.StartAsync(FridayNight);
        app = new HoldsApp(world);
    }

    [TearDown]
    public async Task TearDown()
    {
        await app.DisposeAsync();
        await world.DisposeAsync();
    }

    private async Task<(Guid Id, string Draft)> HoldAsync(params string[] to)
    {
        var draft = await world.CreateDraftAsync(Sender, to);
        return (Guid.Parse((await app.HoldAsync(Sender, draft))["id"]!.GetValue<string>()), draft);
    }

    [Test]
    public async Task Hold_FridayNight_HoldCreatedAtNightWithRecipientsByRole()
    {
        var (id, _) = await HoldAsync(Resident, Colleague, Outsider);

        var created = await Metrics.FindAsync($"hold:{id:D}:hold-created", default);

        Assert.That(created, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(created!.Kind, Is.EqualTo(MetricKind.HoldCreated));
            Assert.That(created.Sender, Is.EqualTo(Sender));
            Assert.That(created.Department, Is.EqualTo("Department of Medicine"));
            Assert.That(created.LocalDay, Is.EqualTo(new LocalDate(2026, 12, 4)));
            Assert.That(created.LocalHour, Is.EqualTo(23));
            Assert.That(created.Period, Is.EqualTo(MetricPeriod.Night));
            Assert.That(created.Recipients, Is.EqualTo(new RecipientCounts(Trainees: 1, Faculty: 1, Staff: 0, External: 1)));
            Assert.That(created.Source, Is.EqualTo(HoldSource.AddIn));
        });
    }

    [Test]
    public async Task Release_Monday0700_ReleasedWithTheHoldsDurationInItsWeek()
    {
        var (id, _) = await HoldAsync(Resident);

        world.Clock.SetUtcNow(MondayOpen);
        await Eventually.ValueAsync(() => Metrics.FindAsync($"hold:{id:D}:released", default), e => e is not null, "the released event");
        var released = (await Metrics.FindAsync($"hold:{id:D}:released", default))!;
        var week = (await Metrics.WeeksAsync("Department of Medicine", null, 202650, 202650, default)).Single();

        Assert.That(released.HoldMinutes, Is.EqualTo((int)(MondayOpen - FridayNight).TotalMinutes));
        Assert.That(released.Period, Is.EqualTo(MetricPeriod.None));
        Assert.That(released.Recipients.Trainees, Is.EqualTo(1), "counted when the hold was made");
        Assert.That(week.Released, Is.EqualTo(1));
        Assert.That((await Metrics.HoldMinutesAsync("Department of Medicine", null, 202650, 202650, default)).Single().Count, Is.EqualTo(1));
    }

    [Test]
    public async Task SendNow_SaturdayWithAReason_OverriddenOnAWeekendToATrainee()
    {
        var (id, _) = await HoldAsync(Resident);
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.FromHours(-5)));
        using var client = app.ClientFor(Sender);

        using var response = await client.PostAsJsonAsync($"/api/v1/holds/{id}/release", new { reason = "patient-care" });
        var overridden = await Metrics.FindAsync($"hold:{id:D}:overridden", default);
        var week = (await Metrics.WeeksAsync("Department of Medicine", null, 202649, 202649, default)).Single();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(overridden!.Period, Is.EqualTo(MetricPeriod.Weekend));
        Assert.That(overridden.Override, Is.EqualTo(OverrideReason.PatientCare));
        Assert.Multiple(() =>
        {
            Assert.That(week.Attempts, Is.EqualTo(1));
            Assert.That(week.Held, Is.EqualTo(1));
            Assert.That(week.Overrides, Is.EqualTo(1));
            Assert.That(week.DeliveredAfterHours, Is.EqualTo(1));
            Assert.That(week.DeliveredAfterHoursToTrainees, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Cancel_HoldCancelled_CancelledEventAndNoDelivery()
    {
        var (id, _) = await HoldAsync(Resident);
        using var client = app.ClientFor(Sender);

        using var response = await client.DeleteAsync($"/api/v1/holds/{id}");
        var week = (await Metrics.WeeksAsync("Department of Medicine", null, 202649, 202649, default)).Single();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Metrics.FindAsync($"hold:{id:D}:cancelled", default), Is.Not.Null);
        Assert.That(week.Cancelled, Is.EqualTo(1));
        Assert.That(week.DeliveredAfterHours, Is.Zero);
    }

    [Test]
    public async Task Deferral_Reported_CountsAsHeldAttemptOnce()
    {
        var id = Guid.NewGuid();
        using var client = app.ClientFor(Sender);
        var report = new
        {
            id, mailbox = Sender, deferredAt = "2026-12-05T03:00:00Z", releaseAt = "2026-12-07T12:00:00Z",
            reasons = new[] { "weekend" }, cause = "unreachable",
        };

        using var first = await client.PostAsJsonAsync("/api/v1/deferrals", report);
        using var again = await client.PostAsJsonAsync("/api/v1/deferrals", report);
        var week = (await Metrics.WeeksAsync("Department of Medicine", null, 202649, 202649, default)).Single();

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(week.Deferred, Is.EqualTo(1));
        Assert.That(week.Attempts, Is.EqualTo(1));
        Assert.That(week.Held, Is.EqualTo(1));
    }
}
