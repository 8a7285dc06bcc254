using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace BoundaryGuard.Service.Tests.Telemetry;

/// <summary>
/// What the service's OpenTelemetry pipeline exports, caught in the test: metrics through the in-memory exporter, and
/// spans and log records rendered to text as they end (a LogRecord is pooled and reused after export, so it is read at
/// once). Registered with OpenTelemetry's own ConfigureOpenTelemetry*Provider hooks from ConfigureTestServices, on
/// top of the pipeline Program.cs builds; nothing in the service knows about it.
/// </summary>
internal sealed class TelemetryCapture
{
    private readonly List<MetricSnapshot> metrics = [];

    public ConcurrentQueue<Activity> Spans { get; } = new();

    public ConcurrentQueue<string> Logs { get; } = new();

    public void Register(IServiceCollection services)
    {
        // The in-memory reader exports only when flushed (no periodic export), on the flushing thread.
        services.ConfigureOpenTelemetryMeterProvider(builder => builder.AddInMemoryExporter(metrics));
        services.ConfigureOpenTelemetryTracerProvider(builder => builder.AddProcessor(new SpanSink(Spans)));
        services.ConfigureOpenTelemetryLoggerProvider(builder => builder.AddProcessor(new LogSink(Logs)));
    }

    /// <summary>Collects every instrument now: afterwards <see cref="Points"/> reads the values as of this moment.</summary>
    public void Collect(IServiceProvider services)
    {
        metrics.Clear();
        // False when any reader failed, an OTLP exporter with no collector behind it included; the in-memory one cannot.
        services.GetRequiredService<MeterProvider>().ForceFlush(10_000);
    }

    public IReadOnlyList<MetricPoint> Points(string name)
    {
        var metric = metrics.LastOrDefault(m => m.Name == name);
        return metric is null ? [] : [.. metric.MetricPoints];
    }

    /// <summary>A counter's total over the points whose tags include every one of <paramref name="tags"/>.</summary>
    public long Sum(string name, params (string Key, string Value)[] tags) =>
        Points(name).Where(p => Has(p, tags)).Sum(p => p.GetSumLong());

    public static bool Has(MetricPoint point, params (string Key, string Value)[] tags)
    {
        var own = new Dictionary<string, string?>();
        foreach (var tag in point.Tags)
        {
            own[tag.Key] = Convert.ToString(tag.Value, CultureInfo.InvariantCulture);
        }

        return tags.All(t => own.TryGetValue(t.Key, out var value) && value == t.Value);
    }

    /// <summary>Every metric name, tag key and tag value exported, one per line.</summary>
    public string MetricText()
    {
        var text = new StringBuilder();
        foreach (var metric in metrics)
        {
            foreach (var point in metric.MetricPoints)
            {
                text.Append(metric.Name);
                foreach (var tag in point.Tags)
                {
                    text.Append(CultureInfo.InvariantCulture, $" {tag.Key}={tag.Value}");
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }

    /// <summary>Every span's source, name, attributes, events and status, one span per line.</summary>
    public string SpanText()
    {
        var text = new StringBuilder();
        foreach (var span in Spans)
        {
            text.Append(CultureInfo.InvariantCulture, $"{span.Source.Name} {span.DisplayName} {span.StatusDescription}");
            foreach (var tag in span.TagObjects)
            {
                text.Append(CultureInfo.InvariantCulture, $" {tag.Key}={tag.Value}");
            }

            foreach (var e in span.Events)
            {
                text.Append(CultureInfo.InvariantCulture, $" event:{e.Name}");
                foreach (var tag in e.Tags)
                {
                    text.Append(CultureInfo.InvariantCulture, $" {tag.Key}={tag.Value}");
                }
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private sealed class SpanSink(ConcurrentQueue<Activity> spans) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => spans.Enqueue(data);
    }

    private sealed class LogSink(ConcurrentQueue<string> logs) : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data)
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{data.CategoryName} {data.TraceId} {data.FormattedMessage}");
            foreach (var attribute in data.Attributes ?? [])
            {
                text.Append(CultureInfo.InvariantCulture, $" {attribute.Key}={attribute.Value}");
            }

            data.ForEachScope(static (scope, text) =>
            {
                foreach (var item in scope)
                {
                    text.Append(CultureInfo.InvariantCulture, $" scope:{item.Key}={item.Value}");
                }
            }, text);
            text.Append(CultureInfo.InvariantCulture, $" {data.Exception}");
            logs.Enqueue(text.ToString());
        }
    }
}
