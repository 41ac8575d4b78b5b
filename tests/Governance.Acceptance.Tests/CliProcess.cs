using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Governance.Acceptance.Tests;

/// <summary>One run of Governance.Cli.dll as its own process, as an operator runs it; its exit code and everything it printed.</summary>
public sealed partial record CliRun(int ExitCode, string Output)
{
    /// <summary>The number on a row of the summary table ("Accepted", "Duplicates" …).</summary>
    public long Summary(string row)
    {
        var match = Regex.Match(Output, $@"{Regex.Escape(row)}\W+?([\d,]+)\s");
        Assert.True(match.Success, $"No '{row}' in the summary:\n{Output}");
        return long.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }
}

public static class CliProcess
{
    public static async Task<CliRun> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [BuildOutput.AssemblyPath("Governance.Cli"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The CLI did not finish within 2 minutes:\n{output}");
        }

        process.WaitForExit(); // drains the redirected output
        lock (output)
        {
            return new CliRun(process.ExitCode, output.ToString());
        }
    }
}
