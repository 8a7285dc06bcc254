using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace BoundaryGuard.Service.Tests.Hosting;

/// <summary>
/// Keeps every log entry of every category at every level, as one line of text each: the category, the level, the
/// formatted message, each structured value, each scope's values and the exception with its stack. What a privacy
/// test searches must be everything a log sink could have written.
/// </summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Line)> entries = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<(LogLevel Level, string Category, string Line)> Entries => [.. entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CollectingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder().Append(category).Append(' ').Append(logLevel).Append(' ').Append(formatter(state, exception));
            Values(line, state);
            provider.scopes.ForEachScope((scope, builder) => Values(builder.Append(" scope:").Append(scope), scope), line);
            if (exception is not null)
            {
                line.Append(' ').Append(exception);
            }

            provider.entries.Enqueue((logLevel, category, line.ToString()));
        }

        private static void Values(StringBuilder line, object? state)
        {
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    line.Append(' ').Append(key).Append('=').Append(value);
                }
            }
        }
    }
}
