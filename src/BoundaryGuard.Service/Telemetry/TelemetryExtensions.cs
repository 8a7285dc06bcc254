using BoundaryGuard.Graph.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Instrumentation.Http;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Quartz;

namespace BoundaryGuard.Service.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>The <c>service.name</c> resource attribute, unless <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    public const string ServiceName = "BoundaryGuard";

    /// <summary>
    /// OpenTelemetry traces, metrics and logs: the API (ASP.NET Core), each Quartz release, every Graph call (HttpClient),
    /// BoundaryGuard's own meters (<see cref="ServiceMetrics"/>, <see cref="GraphMetrics"/>) and the runtime's; logs
    /// carry the trace and span ids of the request or release they belong to. Exported over OTLP only when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; every other <c>OTEL_*</c> variable (protocol, headers, per-signal
    /// endpoints, resource attributes) is read by the exporter as the specification has it. Without it the service
    /// records nothing anywhere but its ordinary logs. docs/telemetry.md lists the metrics.
    /// </summary>
    /// <remarks>
    /// Call it first: OpenTelemetry's providers start in a hosted service, hosted services start in the order they were
    /// registered, and Quartz fires overdue releases as soon as its own starts; measured before, they would be lost.
    /// </remarks>
    public static TBuilder AddServiceTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton<ServiceMetrics>();
        // Quartz's hook for every scheduler in the container, whatever the order against AddQuartz.
        services.ConfigureAllQuartzSchedulers(quartz =>
        {
            quartz.AddJobMiddleware<JobTracing>();
            quartz.AddTriggerListener<MisfireCounter>([Matchers.AllTriggers()]);
        });

        services.Configure<AspNetCoreTraceInstrumentationOptions>(options =>
            options.EnrichWithHttpResponse = (activity, response) => UrlRedaction.Incoming(activity, response.HttpContext));
        services.Configure<HttpClientTraceInstrumentationOptions>(options =>
        {
            options.EnrichWithHttpRequestMessage = (activity, request) => UrlRedaction.Outgoing(activity, request.RequestUri);
            options.EnrichWithHttpResponseMessage = (activity, response) => UrlRedaction.Outgoing(activity, response.RequestMessage?.RequestUri);
        });

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : ServiceName))
            .WithTracing(tracing => tracing
                .AddSource(ServiceMetrics.ActivitySourceName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(ServiceMetrics.MeterName, GraphMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithLogging(configureBuilder: null, configureOptions: options =>
            {
                // The rendered line as well as its fields, for backends that show only one; the hold id comes as a scope.
                options.IncludeFormattedMessage = true;
                options.IncludeScopes = true;
            });

        // The convention of .NET Aspire's ServiceDefaults (learn.microsoft.com/dotnet/aspire/fundamentals/service-defaults):
        // export only when an endpoint is configured, so a deployment without a collector does not retry localhost:4317.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }
}
