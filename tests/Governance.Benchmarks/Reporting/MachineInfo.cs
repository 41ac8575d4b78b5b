using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Npgsql;

namespace Governance.Benchmarks.Reporting;

/// <summary>The machine a run was made on, as the report states it.</summary>
public sealed record MachineInfo(
    string Cpu,
    int Cores,
    long MemoryBytes,
    string OperatingSystem,
    string Kernel,
    string Runtime,
    string Sdk,
    string PostgreSql,
    string PostgreSqlSettings,
    string LoadAtStart)
{
    public string LoadAtEnd { get; set; } = "";

    public static async Task<MachineInfo> ReadAsync(string connectionString)
    {
        var cpu = ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memory = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) is { } line
            ? long.Parse(line[9..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024
            : 0;
        var os = ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"') ?? RuntimeInformation.OSDescription;
        var kernel = ReadLines("/proc/sys/kernel/osrelease").FirstOrDefault() ?? "";

        string postgres;
        var settings = new List<string>();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var version = new NpgsqlCommand("select version()", connection);
            postgres = (string)(await version.ExecuteScalarAsync())!;
            foreach (var name in new[] { "shared_buffers", "max_wal_size", "synchronous_commit", "fsync", "wal_level" })
            {
                await using var show = new NpgsqlCommand($"show {name}", connection);
                settings.Add($"{name}={await show.ExecuteScalarAsync()}");
            }
        }

        return new MachineInfo(cpu, Environment.ProcessorCount, memory, os, kernel, RuntimeInformation.FrameworkDescription,
            await SdkVersionAsync(), postgres, string.Join(", ", settings), Load());
    }

    /// <summary>1, 5 and 15 minute load averages: other work on the machine shows here.</summary>
    public static string Load() => ReadLines("/proc/loadavg").FirstOrDefault() is { } line ? string.Join(' ', line.Split(' ').Take(3)) : "";

    private static IEnumerable<string> ReadLines(string path) => File.Exists(path) ? File.ReadLines(path) : [];

    private static async Task<string> SdkVersionAsync()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("dotnet", ["--version"]) { RedirectStandardOutput = true })!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return output.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
