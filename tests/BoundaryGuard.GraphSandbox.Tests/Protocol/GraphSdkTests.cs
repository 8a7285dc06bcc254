using BoundaryGuard.GraphSandbox.Seed;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.Messages.Item.Move;
using Microsoft.Kiota.Abstractions.Authentication;
using DeltaRequestBuilder = Microsoft.Graph.Users.Item.MailFolders.Item.Messages.Delta.DeltaRequestBuilder;

namespace BoundaryGuard.GraphSandbox.Tests.Protocol;

/// <summary>
/// The Microsoft.Graph v6 SDK (the gateway's client) against the sandbox over real HTTP: the URLs it builds
/// (<c>delta()</c>, <c>/send</c>, <c>/move</c>), the bodies it writes (<c>@odata.type</c> everywhere) and the way it
/// reads answers and errors all work.
/// </summary>
public sealed class GraphSdkTests
{
    private const string HoldProperty = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name BoundaryGuardHold";
    private static readonly string Chair = DemoInstitution.MedicineChair.UserPrincipalName;

    [Test]
    public async Task GraphSdk_DraftFolderMoveDeltaSendAndExpand_RoundTrip()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var client = Client(sandbox);
        var user = client.Users[Chair];

        var draft = await user.Messages.PostAsync(new Message
        {
            Subject = "Rotation schedule",
            Body = new ItemBody { ContentType = BodyType.Html, Content = "<p>See attached.</p>" },
            ToRecipients = [new Recipient { EmailAddress = new EmailAddress { Address = DemoInstitution.MedicineResidentPgy1.UserPrincipalName } }],
            SingleValueExtendedProperties = [new SingleValueLegacyExtendedProperty { Id = HoldProperty, Value = "hold-42" }],
        });
        var folder = await user.MailFolders.PostAsync(new MailFolder { DisplayName = "Send later" });
        var moved = await user.Messages[draft!.Id].Move.PostAsync(new MovePostRequestBody { DestinationId = folder!.Id });
        var page = await user.MailFolders[folder.Id].Messages.Delta.GetAsDeltaGetResponseAsync(c =>
        {
            c.QueryParameters.Select = ["subject", "isDraft"];
            c.Headers.Add("Prefer", "odata.maxpagesize=1");
        });
        var deltaIds = page!.Value!.Select(m => m.Id).ToList();
        while (page.OdataNextLink is { } next)
        {
            page = await new DeltaRequestBuilder(next, client.RequestAdapter).GetAsDeltaGetResponseAsync();
            deltaIds.AddRange(page!.Value!.Select(m => m.Id));
        }

        await user.Messages[draft.Id].Send.PostAsync();
        var sent = await user.Messages[draft.Id].GetAsync(c => c.QueryParameters.Expand = [$"singleValueExtendedProperties($filter=id eq '{HoldProperty}')"]);
        var removed = await new DeltaRequestBuilder(page.OdataDeltaLink!, client.RequestAdapter).GetAsDeltaGetResponseAsync();

        Assert.That(moved!.Id, Is.EqualTo(draft.Id));
        Assert.That(deltaIds, Is.EqualTo(new[] { draft.Id }));
        Assert.That(sent!.IsDraft, Is.False);
        Assert.That(sent.SentDateTime, Is.EqualTo(TestSandbox.Start));
        Assert.That(sent.SingleValueExtendedProperties!.Single().Value, Is.EqualTo("hold-42"));
        Assert.That(removed!.Value!.Single().AdditionalData.ContainsKey("@removed"), Is.True);
    }

    [Test]
    public async Task GraphSdk_DirectoryAndWorkingHours_Deserialise()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var client = Client(sandbox);

        var users = await client.Users.GetAsync();
        var custom = await client.Users[DemoInstitution.MedicineCustomZoneFaculty.Id].MailboxSettings.GetAsync();
        var night = await client.Users[DemoInstitution.NightFloatResident.UserPrincipalName].MailboxSettings.GetAsync();

        Assert.That(users!.Value!.Select(u => u.JobTitle), Does.Contain("Resident (PGY-2), Night Float"));
        Assert.That(custom!.WorkingHours!.TimeZone, Is.InstanceOf<CustomTimeZone>());
        Assert.That(((CustomTimeZone)custom.WorkingHours.TimeZone!).Bias, Is.EqualTo(300));
        Assert.That(night!.WorkingHours!.StartTime!.Value.Hour, Is.EqualTo(19));
        Assert.That(night.WorkingHours.DaysOfWeek, Does.Contain(Microsoft.Graph.Models.DayOfWeekObject.Sunday));
    }

    [Test]
    public async Task GraphSdk_CalendarViewAndErrors_Deserialise()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var client = Client(sandbox);
        var closures = client.Users[DemoInstitution.Closures.UserPrincipalName];

        var calendars = await closures.Calendars.GetAsync();
        var calendarId = calendars!.Value!.Single(c => c.Name == DemoInstitution.ClosuresCalendarName).Id;
        var view = await closures.Calendars[calendarId].CalendarView.GetAsync(c =>
        {
            c.QueryParameters.StartDateTime = "2026-11-01T00:00:00Z";
            c.QueryParameters.EndDateTime = "2027-01-31T00:00:00Z";
        });
        ODataError? missing = null;
        try
        {
            await client.Users[Chair].Messages["AAMkAGmissing"].GetAsync();
        }
        catch (ODataError error)
        {
            missing = error;
        }

        Assert.That(view!.Value!.Select(e => e.Subject), Does.Contain("Winter closure"));
        Assert.That(view.Value!.All(e => e.IsAllDay == true), Is.True);
        Assert.That(missing!.ResponseStatusCode, Is.EqualTo(404));
        Assert.That(missing.Error!.Code, Is.EqualTo("ErrorItemNotFound"));
    }

    private static GraphServiceClient Client(TestSandbox sandbox) =>
        new(new BaseBearerTokenAuthenticationProvider(new SandboxTokens(sandbox.Http.DefaultRequestHeaders.Authorization!.Parameter!)),
            sandbox.Server.GraphBaseUrl.ToString().TrimEnd('/'));

    private sealed class SandboxTokens(string token) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(token);
    }
}
