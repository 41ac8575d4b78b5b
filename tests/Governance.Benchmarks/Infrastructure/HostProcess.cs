using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Governance.Benchmarks.Infrastructure;

/// <summary>
/// Governance.Api.dll started as its own process and configured through environment variables, as
/// the acceptance tests and operators do. Its log is read as it comes: the benchmark counts the
/// account grains' replay lines and the server-side time of each GraphQL mutation from it, and keeps
/// the last lines to show when something fails.
/// </summary>
public sealed partial class HostProcess : IAsyncDisposable
{
    public const string PlatformClientId = "platform-admin";
    public const string PlatformSecret = "platform-benchmark-secret";
    public const string Issuer = "http://governance.benchmark/";

    private const int TailLines = 200;
    private const int MaxErrorLines = 10;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly List<string> _errorLines = [];
    private readonly ConcurrentQueue<double> _mutationMilliseconds = new();
    private long _replayedFacts;
    private long _replayingAccounts;
    private long _rollupRebuilds;
    private long _errors;
    private long _lines;
    private bool _disposed;

    private readonly StreamWriter? _log;

    private HostProcess(Process process, int httpPort, int gatewayPort, string clusterId, string? logFile)
    {
        _process = process;
        _log = logFile is null ? null : new StreamWriter(logFile, append: true) { AutoFlush = false };
        HttpPort = httpPort;
        GatewayPort = gatewayPort;
        ClusterId = clusterId;
        BaseAddress = new Uri($"http://127.0.0.1:{httpPort}");
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromMinutes(10),
        };
    }

    public int HttpPort { get; }

    /// <summary>The silo's Orleans gateway on 127.0.0.1, for a client outside the host.</summary>
    public int GatewayPort { get; }

    /// <summary>The Orleans cluster id the host runs with (its service id is the default, <see cref="ServiceId"/>).</summary>
    public string ClusterId { get; }

    /// <summary>The host's Orleans service id (GovernanceOptions' default; the benchmark does not set it).</summary>
    public const string ServiceId = "governance";

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    /// <summary>From starting the process to /health/ready answering 200.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Sum of "replays {Count} facts" in the account grains' log lines so far.</summary>
    public long ReplayedFacts => Interlocked.Read(ref _replayedFacts);

    /// <summary>Account activations that replayed at least one fact.</summary>
    public long ReplayingAccounts => Interlocked.Read(ref _replayingAccounts);

    /// <summary>Roll-up rebuilds triggered by a delta that did not fit ("rebuilding" log lines).</summary>
    public long RollupRebuilds => Interlocked.Read(ref _rollupRebuilds);

    public long ErrorLines => Interlocked.Read(ref _errors);

    /// <summary>Starts the host on free ports and waits until it is ready; <paramref name="logFile"/>, when set, receives every line it writes.</summary>
    public static async Task<HostProcess> StartAsync(string hostDll, string connectionString, string dataDirectory, string clusterId, string? logFile)
    {
        var (httpPort, siloPort, gatewayPort) = (FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
        var start = new ProcessStartInfo("dotnet", [hostDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
            Environment =
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}",
                ["Governance__ConnectionString"] = connectionString,
                ["Governance__DataDirectory"] = dataDirectory,
                ["Governance__Orleans__ClusterId"] = clusterId,
                ["Governance__Orleans__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
                ["Governance__Orleans__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
                ["Governance__Tokens__Issuer"] = Issuer,
                ["Governance__Tokens__AccessTokenLifetime"] = "12:00:00",
                ["Governance__Platform__ClientId"] = PlatformClientId,
                ["Governance__Platform__ClientSecret"] = PlatformSecret,
                // An API-only node: no Hangfire workers competing for the two cores during the measurement.
                ["Governance__Jobs__WorkerCount"] = "0",
            },
        };
        var process = new Process { StartInfo = start };
        var host = new HostProcess(process, httpPort, gatewayPort, clusterId, logFile);
        process.OutputDataReceived += (_, e) => host.Read(e.Data);
        process.ErrorDataReceived += (_, e) => host.Read(e.Data);
        var started = Stopwatch.GetTimestamp();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitUntilReadyAsync(TimeSpan.FromMinutes(3));
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        host.StartupTime = Stopwatch.GetElapsedTime(started);
        return host;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {_process.ExitCode}:\n{Tail()}");
            }

            try
            {
                using var response = await Http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The host on port {HttpPort} was not ready within {timeout}:\n{Tail()}");
    }

    /// <summary>Server-side milliseconds of the GraphQL mutations answered since the last call, from the host's request log.</summary>
    public List<double> TakeMutationMilliseconds()
    {
        var taken = new List<double>();
        while (_mutationMilliseconds.TryDequeue(out var ms))
        {
            taken.Add(ms);
        }

        return taken;
    }

    /// <summary>Resident set size of the host process (everything: GC heaps, code, native buffers).</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>CPU time the host process used so far, all threads.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>Waits until the host uses less than a tenth of a core over two seconds (its grains have written their snapshots).</summary>
    public async Task WaitUntilIdleAsync(TimeSpan atMost)
    {
        var deadline = DateTime.UtcNow + atMost;
        var before = CpuTime();
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var now = CpuTime();
            if ((now - before).TotalSeconds < 0.2)
            {
                return;
            }

            before = now;
        }
    }

    /// <summary>Waits until the log has been quiet for a moment, so counts read from it are complete.</summary>
    public async Task WaitForQuietLogAsync(TimeSpan quiet, TimeSpan atMost)
    {
        var deadline = DateTime.UtcNow + atMost;
        var last = Volatile.Read(ref _lines);
        var since = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            var now = Volatile.Read(ref _lines);
            if (now != last)
            {
                (last, since) = (now, DateTime.UtcNow);
            }
            else if (DateTime.UtcNow - since >= quiet)
            {
                return;
            }
        }
    }


    /// <summary>kill -9: no shutdown, no deactivation, no snapshot.</summary>
    public async Task KillAsync()
    {
        if (!_disposed && !_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>The first error lines the host logged, for a report that says why something failed.</summary>
    public string Errors()
    {
        lock (_errorLines)
        {
            return _errorLines.Count == 0 ? "(no error lines in the host log)" : string.Join('\n', _errorLines);
        }
    }

    public string Tail()
    {
        lock (_tail)
        {
            return string.Join('\n', _tail);
        }
    }

    /// <summary>Kills the host if it still runs; safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await KillAsync();
        _disposed = true;
        Http.Dispose();
        _process.Dispose();
        if (_log is not null)
        {
            lock (_log)
            {
                _log.Dispose();
            }
        }
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        Interlocked.Increment(ref _lines);
        if (_log is not null)
        {
            lock (_log)
            {
                _log.WriteLine(line);
            }
        }

        if (ReplayLine().Match(line) is { Success: true } replay)
        {
            Interlocked.Add(ref _replayedFacts, long.Parse(replay.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
            Interlocked.Increment(ref _replayingAccounts);
        }
        else if (MutationLine().Match(line) is { Success: true } mutation)
        {
            _mutationMilliseconds.Enqueue(double.Parse(mutation.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
        }
        else if (line.Contains(": rebuilding", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _rollupRebuilds);
        }

        if (line.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || line.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _errors);
            lock (_errorLines)
            {
                if (_errorLines.Count < MaxErrorLines)
                {
                    _errorLines.Add(line.Length > 3_000 ? line[..3_000] + " …" : line);
                }
            }
        }

        lock (_tail)
        {
            _tail.Enqueue(line.Length > 2_000 ? line[..2_000] + " …" : line);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }

    [GeneratedRegex(@"replays (\d+) facts past watermark")]
    private static partial Regex ReplayLine();

    [GeneratedRegex(@"GraphQL mutation .* answered \d+ with \d+ errors in ([0-9.]+) ms")]
    private static partial Regex MutationLine();
}
