using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Governance.Api.Tests.Infrastructure;

/// <summary>Keeps every log entry of a host, with the values of the scopes it was written in.</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    public sealed record LogEntry(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, string?> Scope, string? Exception)
    {
        /// <summary>Everything that would reach a log sink, as text.</summary>
        public string AllText => $"{Category} {Message} {string.Join(" ", Scope.Select(kv => $"{kv.Key}={kv.Value}"))} {Exception}";
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, string?>();
            capture._scopes.ForEachScope((value, values) =>
            {
                if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var (key, item) in pairs)
                    {
                        values[key] = item?.ToString();
                    }
                }
                else if (value is not null)
                {
                    values[$"scope{values.Count}"] = value.ToString();
                }
            }, scope);
            capture.Entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), scope, exception?.ToString()));
        }
    }
}
