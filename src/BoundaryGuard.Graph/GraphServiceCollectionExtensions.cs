using BoundaryGuard.Graph.Credentials;
using BoundaryGuard.Graph.Mailboxes;
using BoundaryGuard.Graph.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Polly;
using Polly.Registry;

namespace BoundaryGuard.Graph;

public static class GraphServiceCollectionExtensions
{
    /// <summary>
    /// The Graph gateway: <see cref="GraphOptions"/> bound from <c>Graph</c> and validated at start, the one
    /// resilience pipeline, and <see cref="IMailboxGateway"/> over the Graph SDK.
    /// </summary>
    public static IServiceCollection AddGraphMailbox(this IServiceCollection services)
    {
        services.AddOptions<GraphOptions>().BindConfiguration(GraphOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GraphOptions>, GraphOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new MailboxPacing(
            provider.GetRequiredService<IOptions<GraphOptions>>().Value, provider.GetRequiredService<TimeProvider>()));
        services.AddResiliencePipeline<string, HttpResponseMessage>(GraphResilience.PipelineName, (builder, context) =>
            GraphResilience.Configure(
                builder,
                context.ServiceProvider.GetRequiredService<IOptions<GraphOptions>>().Value,
                context.ServiceProvider.GetRequiredService<MailboxPacing>(),
                context.ServiceProvider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => CreateClient(
            provider.GetRequiredService<IOptions<GraphOptions>>().Value,
            provider.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline<HttpResponseMessage>(GraphResilience.PipelineName),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IMailboxGateway>(provider => new GraphMailboxGateway(
            provider.GetRequiredService<GraphServiceClient>(),
            provider.GetRequiredService<IOptions<GraphOptions>>().Value,
            provider.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// The SDK's middleware without its RetryHandler, plus ours: immutable ids on every request and the resilience
    /// pipeline (which paces each mailbox).
    /// </summary>
    internal static GraphServiceClient CreateClient(GraphOptions options, ResiliencePipeline<HttpResponseMessage> pipeline, TimeProvider clock)
    {
        var handlers = GraphClientFactory.CreateDefaultHandlers();
        handlers.Remove(handlers.Single(h => h is RetryHandler));
        handlers.Insert(0, new ImmutableIdHandler());
#pragma warning disable CA2000 // The handlers are owned by the HttpClient built from them.
        handlers.Add(new ResilienceHandler(pipeline));
        var http = GraphClientFactory.Create(handlers, finalHandler: new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        var credential = GraphCredentials.Create(options, new HttpClient(), clock);
#pragma warning restore CA2000

        // Each attempt has its own timeout in the pipeline; the whole call may wait out Retry-After.
        http.Timeout = Timeout.InfiniteTimeSpan;
        var authentication = new BaseBearerTokenAuthenticationProvider(new TokenCredentialAccessTokenProvider(credential, options.BaseUrl));
        return new GraphServiceClient(http, authentication, options.BaseUrl.ToString().TrimEnd('/'));
    }
}
