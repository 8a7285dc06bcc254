using BoundaryGuard.Graph;
using BoundaryGuard.GraphSandbox.Seed;
using BoundaryGuard.Service.Holds;

namespace BoundaryGuard.Service.Hosting;

public static class GraphGatewayExtensions
{
    /// <summary>
    /// The Graph gateway (<see cref="GraphServiceCollectionExtensions.AddGraphMailbox"/>) against the configured
    /// <c>Graph</c> section, or, when there is none, against a Graph sandbox started inside this process: a fresh
    /// checkout runs with <c>dotnet run</c> and nothing else, against the seeded demo institution.
    /// </summary>
    /// <remarks>
    /// The sandbox starts now, while services are registered, because its address becomes the <c>Graph:BaseUrl</c>
    /// that the Graph options are bound from; no options can be resolved before the container exists. It runs on the
    /// service's clock (register it first with <see cref="ServiceClockExtensions.AddServiceClock"/>), so in a demo the
    /// sandbox's token expiry and rate windows run on the same simulated time as the service.
    /// </remarks>
    public static TBuilder AddGraphGateway<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Configuration.GetSection(GraphOptions.Section).Exists())
        {
            var embedded = EmbeddedGraphSandbox.Start(builder.Configuration, ServiceClockExtensions.RegisteredClock(builder.Services));
            builder.Configuration.AddInMemoryCollection(embedded.GraphSettings());
            if (!builder.Configuration.GetSection(SendLaterOptions.Section).GetSection(nameof(SendLaterOptions.Mailboxes)).Exists())
            {
                // The demo institution's people get their "Send later" folder watched, as IT would list its faculty.
                builder.Configuration.AddInMemoryCollection(DemoInstitution.All
                    .Where(person => person.Department is not null)
                    .Select((person, i) => KeyValuePair.Create<string, string?>(
                        $"{SendLaterOptions.Section}:{nameof(SendLaterOptions.Mailboxes)}:{i}", person.UserPrincipalName)));
            }
            // From factories, so the container disposes (stops) the sandbox even when the host never started.
            builder.Services.AddSingleton(_ => embedded);
            builder.Services.AddSingleton(provider => provider.GetRequiredService<EmbeddedGraphSandbox>().Sandbox);
            builder.Services.AddHostedService(provider => provider.GetRequiredService<EmbeddedGraphSandbox>());
        }

        builder.Services.AddGraphMailbox();
        return builder;
    }
}
