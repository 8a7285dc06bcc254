using BoundaryGuard.Graph;
using BoundaryGuard.GraphSandbox.Seed;
using BoundaryGuard.Service.Calendars;
using BoundaryGuard.Service.Holds;

namespace BoundaryGuard.Demo;

public static class DemoSandboxExtensions
{
    /// <summary>
    /// The demo's Graph: a sandbox started inside this process (<see cref="EmbeddedGraphSandbox"/>), seeded with the demo
    /// institution, whose address and credential become the service's <c>Graph:*</c> settings, and whose faculty get
    /// their "Send later" folder watched, as IT would list its faculty, and its closures mailbox listed as the one whose
/// calendar may close the institution.
    /// </summary>
    /// <remarks>
    /// The sandbox starts now, while services are registered, because its address becomes the <c>Graph:BaseUrl</c>
    /// that the Graph options are bound from; no options can be resolved before the container exists. It runs on the
    /// demo's clock (register it first with <see cref="DemoClockExtensions.AddDemoClock"/>), so the sandbox's token
    /// expiry and rate windows run on the same simulated time as the service.
    /// </remarks>
    public static TBuilder AddEmbeddedSandbox<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var embedded = EmbeddedGraphSandbox.Start(builder.Configuration, DemoClockExtensions.RegisteredClock(builder.Services));
        builder.Configuration.AddInMemoryCollection(embedded.GraphSettings());
        if (!builder.Configuration.GetSection(SendLaterOptions.Section).GetSection(nameof(SendLaterOptions.Mailboxes)).Exists())
        {
            builder.Configuration.AddInMemoryCollection(DemoInstitution.All
                .Where(person => person.Department is not null)
                .Select((person, i) => KeyValuePair.Create<string, string?>(
                    $"{SendLaterOptions.Section}:{nameof(SendLaterOptions.Mailboxes)}:{i}", person.UserPrincipalName)));
        }

        // The seeded closures calendar's mailbox is the one IT would list: no other may be added as a closure calendar.
        if (!builder.Configuration.GetSection(CalendarsOptions.Section).GetSection(nameof(CalendarsOptions.ClosureMailboxes)).Exists())
        {
            builder.Configuration.AddInMemoryCollection([KeyValuePair.Create<string, string?>(
                $"{CalendarsOptions.Section}:{nameof(CalendarsOptions.ClosureMailboxes)}:0", DemoInstitution.Closures.UserPrincipalName)]);
        }

        // From factories, so the container disposes (stops) the sandbox even when the host never started.
        builder.Services.AddSingleton(_ => embedded);
        builder.Services.AddSingleton(provider => provider.GetRequiredService<EmbeddedGraphSandbox>().Sandbox);
        builder.Services.AddHostedService(provider => provider.GetRequiredService<EmbeddedGraphSandbox>());
        return builder;
    }

    /// <summary>The demo runs on its own sandbox only: a <c>Graph</c> section would point its history and sign-in at a real tenant.</summary>
    internal static string? RealGraphProblem(IConfiguration configuration) =>
        configuration.GetSection(GraphOptions.Section).Exists()
            ? "Graph:* settings are for the service (src/BoundaryGuard.Service); the demo always runs on its embedded Graph sandbox and never touches a real tenant: remove them."
            : null;
}
