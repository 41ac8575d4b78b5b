using Hangfire.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Governance.Api.Jobs;

/// <summary>
/// Hangfire's log provider is one static for the whole process, set by the last host that configured it.
/// With several hosts in one process (the test suite) that host may be stopped, its logger factory
/// disposed, while another host's job still logs: Hangfire's call would then throw and fail the job.
/// This provider writes to the host's loggers and, once they are gone, drops the message instead.
/// </summary>
internal sealed class HangfireLogs(ILoggerFactory factory) : ILogProvider
{
    public ILog GetLogger(string name)
    {
        try
        {
            return new HostLog(factory.CreateLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return new HostLog(null);
        }
    }

    private sealed class HostLog(ILogger? logger) : ILog
    {
        public bool Log(HangfireLevel logLevel, Func<string> messageFunc, Exception? exception = null)
        {
            if (logger is null)
            {
                return false;
            }

            var level = logLevel switch
            {
                HangfireLevel.Trace => MsLogLevel.Trace,
                HangfireLevel.Debug => MsLogLevel.Debug,
                HangfireLevel.Info => MsLogLevel.Information,
                HangfireLevel.Warn => MsLogLevel.Warning,
                HangfireLevel.Error => MsLogLevel.Error,
                _ => MsLogLevel.Critical,
            };
            try
            {
                if (messageFunc is null)
                {
                    return logger.IsEnabled(level);
                }

                logger.Log(level, exception, "{Message}", messageFunc());
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
