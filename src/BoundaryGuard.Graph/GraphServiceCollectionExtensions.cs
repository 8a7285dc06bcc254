using Azure.Core;
using BoundaryGuard.Graph.Credentials;
using BoundaryGuard.Graph.Health;
using BoundaryGuard.Graph.Mailboxes;
using BoundaryGuard.Graph.Resilience;
using BoundaryGuard.Graph.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;

namespace BoundaryGuard.Graph;

public static class GraphServiceCollectionExtensions
{
    /// <summary>
    /// The key of an optional keyed <see cref="TimeProvider"/> for network timeouts. A host whose main clock is not
    /// real time (a demo clock running faster) registers the system clock under it; without it, network timeouts run
    /// on the main clock like everything else. See <see cref="GraphResilience"/> for which waits run on which clock.
    /// </summary>
    public const string NetworkClockKey = "BoundaryGuard.Graph.NetworkClock";

    // The gateway's own instances of general-purpose types, keyed so they never collide with another feature's.
    internal const string ServiceKey = "BoundaryGuard.Graph";

    /// <summary>
    /// The Graph gateway: <see cref="GraphOptions"/> bound from <c>Graph</c> and validated at start, the one
    /// resilience pipeline, <see cref="IMailboxGateway"/> over the Graph SDK, and <see cref="GraphHealthCheck"/>.
    /// </summary>
    public static IServiceCollection AddGraphMailbox(this IServiceCollection services)
    {
        services.AddOptions<GraphOptions>().BindConfiguration(GraphOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GraphOptions>, GraphOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<GraphMetrics>();
        services.AddSingleton(provider => new MailboxPacing(
            provider.GetRequiredService<IOptions<GraphOptions>>().Value, provider.GetRequiredService<TimeProvider>()));
        services.AddKeyedSingleton(ServiceKey, (_, _) => new CircuitBreakerStateProvider());
        services.AddResiliencePipeline<string, HttpResponseMessage>(GraphResilience.PipelineName, (builder, context) =>
        {
            var provider = context.ServiceProvider;
            var clock = provider.GetRequiredService<TimeProvider>();
            GraphResilience.Configure(
                builder,
                provider.GetRequiredService<IOptions<GraphOptions>>().Value,
                provider.GetRequiredService<MailboxPacing>(),
                clock,
                provider.GetKeyedService<TimeProvider>(NetworkClockKey) ?? clock,
                provider.GetRequiredKeyedService<CircuitBreakerStateProvider>(ServiceKey),
                provider.GetRequiredService<GraphMetrics>());
        });
#pragma warning disable CA2000 // The sandbox credential's HttpClient lives as long as the credential, a singleton.
        services.AddKeyedSingleton(ServiceKey, (provider, _) => GraphCredentials.Create(
            provider.GetRequiredService<IOptions<GraphOptions>>().Value, new HttpClient(), provider.GetRequiredService<TimeProvider>()));
#pragma warning restore CA2000
        services.AddSingleton(provider => CreateClient(
            provider.GetRequiredService<IOptions<GraphOptions>>().Value,
            provider.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline<HttpResponseMessage>(GraphResilience.PipelineName),
            provider.GetRequiredKeyedService<TokenCredential>(ServiceKey),
            provider.GetRequiredService<GraphMetrics>()));
        services.AddSingleton<IMailboxGateway>(provider => new GraphMailboxGateway(
            provider.GetRequiredService<GraphServiceClient>(),
            provider.GetRequiredService<IOptions<GraphOptions>>().Value,
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new GraphHealthCheck(
            provider.GetRequiredKeyedService<CircuitBreakerStateProvider>(ServiceKey),
            provider.GetRequiredKeyedService<TokenCredential>(ServiceKey)));
        return services;
    }

    /// <summary>
    /// The SDK's middleware without its RetryHandler, plus ours: immutable ids on every request and the resilience
    /// pipeline (which paces each mailbox).
    /// </summary>
    internal static GraphServiceClient CreateClient(
        GraphOptions options, ResiliencePipeline<HttpResponseMessage> pipeline, TokenCredential credential, GraphMetrics metrics)
    {
        var handlers = GraphClientFactory.CreateDefaultHandlers();
        handlers.Remove(handlers.Single(h => h is RetryHandler));
        handlers.Insert(0, new ImmutableIdHandler());
#pragma warning disable CA2000 // The handlers are owned by the HttpClient built from them.
        handlers.Add(new ResilienceHandler(pipeline, metrics));
        var http = GraphClientFactory.Create(handlers, finalHandler: new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
#pragma warning restore CA2000

        // Each attempt has its own timeout in the pipeline; the whole call may wait out Retry-After.
        http.Timeout = Timeout.InfiniteTimeSpan;
        var authentication = new BaseBearerTokenAuthenticationProvider(new TokenCredentialAccessTokenProvider(credential, options.BaseUrl));
        return new GraphServiceClient(http, authentication, options.BaseUrl.ToString().TrimEnd('/'));
    }
}
