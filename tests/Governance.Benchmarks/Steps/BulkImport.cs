using System.Diagnostics;
using System.Globalization;
using Governance.Benchmarks.Infrastructure;

namespace Governance.Benchmarks.Steps;

/// <summary>The bulk import run as an operator runs it.</summary>
public sealed record ImportResult(long StoredFacts, TimeSpan Wall, int ExitCode, string OutputTail, TimeSpan HostCpu)
{
    /// <summary>Facts found stored for the import's tenant afterwards, per second of the CLI's whole run.</summary>
    public double FactsPerSecond => StoredFacts / Wall.TotalSeconds;
}

/// <summary>
/// Step 4: <c>dotnet Governance.Cli.dll import</c> with the JSONL file, into a tenant of its own.
/// Timed from starting the process to its exit, so the CLI's own start-up counts; the rate is what is
/// stored afterwards, read from the facts table.
/// </summary>
public static class BulkImport
{
    public static async Task<ImportResult> RunAsync(string cliDll, HostProcess host, TenantClient tenant, DataSetSummary data, int batchSize, ScratchDatabase database)
    {
        var start = new ProcessStartInfo("dotnet",
        [
            cliDll, "import",
            "--url", host.BaseAddress.ToString().TrimEnd('/'),
            "--client-id", tenant.ClientId,
            "--client-secret", tenant.ClientSecret,
            "--file", data.File,
            "--batch-size", batchSize.ToString(CultureInfo.InvariantCulture),
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var tail = new Queue<string>();
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > 40)
                {
                    tail.Dequeue();
                }
            }
        }

        var cpuBefore = host.CpuTime();
        var started = Stopwatch.GetTimestamp();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync();
        var wall = Stopwatch.GetElapsedTime(started);
        var hostCpu = host.CpuTime() - cpuBefore;
        var stored = await database.ScalarAsync<long>("select count(*) from facts where tenant_id = $1", tenant.TenantId);
        string output;
        lock (tail)
        {
            output = string.Join('\n', tail);
        }

        return new ImportResult(stored, wall, process.ExitCode, output, hostCpu);
    }
}
