using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Governance.Benchmarks.Reporting;
using Governance.Benchmarks.Synthetic;
using Governance.Domain.Findings;

namespace Governance.Benchmarks.Steps;

/// <summary>
/// The anomaly detector over many seeded series (docs/performance.md, "Anomaly detection"): a naive LINQ
/// version that sorts each window with OrderBy (the baseline), then the detector without and with seasons on
/// one thread, then the seasonal detector on every core. No database: it measures the arithmetic only.
/// </summary>
public static class AnomalyDetection
{
    public static (int ExitCode, string Section) Run(BenchmarkOptions options)
    {
        var (seriesCount, points, seed) = (options.AnomalySeries, options.AnomalyPoints, options.Seed);
        var machine = Machine();
        var loadAtStart = Load();
        Console.WriteLine($"Anomaly detection: {seriesCount:N0} series of {points} points (seed {seed}); {machine}; load {loadAtStart}");
        var clock = Stopwatch.StartNew();
        var data = Generate(seriesCount, points, seed);
        Console.WriteLine($"generated in {clock.Elapsed.TotalSeconds:F2} s; {data.SpikeAt.Count(i => i >= 0):N0} anomalies injected");

        var total = (long)seriesCount * points;
        var series = data.Series;
        var naive = Measure("naive LINQ (OrderBy per window and per MAD), no seasons, 1 thread", total, () => series.Sum(NaiveCount));
        var plain = Measure("`AnomalyDetector`, no seasons, 1 thread", total, () => series.Sum(s => Count(s, new AnomalyOptions())));
        var seasonal = Measure("`AnomalyDetector`, 12-month seasons (the job's options), 1 thread", total, () => series.Sum(s => Count(s, AnomalyOptions.Monthly)));
        var parallel = Measure($"`AnomalyDetector`, 12-month seasons, PLINQ on {Environment.ProcessorCount} cores", total,
            () => series.AsParallel().Sum(s => Count(s, AnomalyOptions.Monthly)));
        var loadAtEnd = Load();
        if (naive.Flagged != plain.Flagged || seasonal.Flagged != parallel.Flagged)
        {
            Console.Error.WriteLine($"The versions disagree: naive {naive.Flagged}, detector {plain.Flagged}; seasonal {seasonal.Flagged} vs parallel {parallel.Flagged}.");
            return (1, "");
        }

        var quality = Quality(data, points);
        Console.WriteLine(quality);

        var sb = new StringBuilder();
        sb.AppendLine(PerformanceReport.AnomalyHeading);
        sb.AppendLine();
        sb.AppendLine("The anomaly detector of the daily `anomalies` job (docs/metrics.md, \"Anomaly detection\") over synthetic monthly series, measured");
        sb.AppendLine("in-process (no database: the arithmetic only), beside a naive LINQ version of the same rule measured in the same run. Written by");
        sb.AppendLine("`--anomalies` alone; the other runs keep this section.");
        sb.AppendLine();
        sb.AppendLine("```sh");
        sb.AppendLine("dotnet build -c Release Governance.sln");
        sb.AppendLine(Invariant, $"dotnet tests/Governance.Benchmarks/bin/Release/net10.0/Governance.Benchmarks.dll --anomalies{(seriesCount != 100_000 ? $" --anomaly-series {seriesCount}" : "")}{(points != 36 ? $" --anomaly-points {points}" : "")}");
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine(Invariant, $"Machine: {machine}; load average (1, 5, 15 min) {loadAtStart} at the start, {loadAtEnd} at the end (other work was running: the");
        sb.AppendLine(Invariant, $"cores were shared, which is also why more threads gain little). Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        sb.AppendLine();
        sb.AppendLine(Invariant, $"Data: {seriesCount:N0} series × {points} months = {total:N0} points, seed {seed}: a level of 50–5,000 with 3 % Gaussian noise, a");
        sb.AppendLine("December peak (×1.6) in a third of the series, 1 % of months missing, and in a fifth of the series one spike (×3) or drop (×0.3) after the first year.");
        sb.AppendLine();
        sb.AppendLine("| version | time | points/s | flagged | vs naive |");
        sb.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var run in new[] { naive, plain, seasonal, parallel })
        {
            sb.AppendLine(Invariant, $"| {run.Name} | {run.Time.TotalSeconds:F2} s | {total / run.Time.TotalSeconds:N0} | {run.Flagged:N0} | {naive.Time / run.Time:F2}× |");
        }

        sb.AppendLine();
        var met = parallel.Time.TotalSeconds < 10 && seasonal.Time.TotalSeconds < 10;
        sb.AppendLine(Invariant, $"Target: {total:N0} points in under 10 s on this machine: **{(met ? "met" : "missed")}** ({seasonal.Time.TotalSeconds:F2} s on one thread with seasons).");
        sb.AppendLine("The naive and the real detector flag the same points (checked in the run); so do one thread and all cores.");
        sb.AppendLine();
        sb.AppendLine(quality);
        sb.AppendLine();
        return (0, sb.ToString());
    }

    private sealed record Timed(string Name, TimeSpan Time, long Flagged);

    private static Timed Measure(string name, long points, Func<long> run)
    {
        GC.Collect();
        var clock = Stopwatch.StartNew();
        var flagged = run();
        clock.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {clock.Elapsed.TotalSeconds:F2} s, {points / clock.Elapsed.TotalSeconds:N0} points/s, {flagged:N0} flagged"));
        return new Timed(name, clock.Elapsed, flagged);
    }

    /// <summary>What the job's options find, untimed: the injected anomalies caught, December peaks of year 3, and flags on plain noise.</summary>
    private static string Quality(SeriesSet data, int points)
    {
        long caught = 0, injected = 0, noiseFlagged = 0, noiseJudged = 0, lateDecembers = 0, lateDecembersFlagged = 0;
        for (var s = 0; s < data.Series.Length; s++)
        {
            var judged = AnomalyDetector.Judge(data.Series[s], AnomalyOptions.Monthly);
            if (data.SpikeAt[s] >= 0)
            {
                injected++;
                caught += judged[data.SpikeAt[s]].IsAnomalous ? 1 : 0;
            }
            else if (!data.Seasonal[s])
            {
                noiseJudged += judged.Count(j => j.Verdict != AnomalyVerdict.NotJudged);
                noiseFlagged += judged.Count(j => j.IsAnomalous);
            }
            else
            {
                foreach (var december in Enumerable.Range(0, points).Where(i => i % 12 == 11 && i >= 24))
                {
                    lateDecembers++;
                    lateDecembersFlagged += judged[december].IsAnomalous ? 1 : 0;
                }
            }
        }

        var found = new StringBuilder();
        found.Append(Invariant, $"What it finds (12-month seasons): {caught:N0} of {injected:N0} injected spikes and drops ({100.0 * caught / Math.Max(1, injected):F1} %); ");
        found.Append(Invariant, $"December peaks from the third year on flagged: {lateDecembersFlagged:N0} of {lateDecembers:N0}; ");
        found.Append(Invariant, $"on series of plain noise, {noiseFlagged:N0} of {noiseJudged:N0} judged points flagged ({100.0 * noiseFlagged / Math.Max(1, noiseJudged):F2} %): ");
        return found.Append("the price of a MAD taken over 6–12 points (see docs/metrics.md).").ToString();
    }

    private static readonly IFormatProvider Invariant = CultureInfo.InvariantCulture;

    private static long Count(decimal?[] series, AnomalyOptions options) => AnomalyDetector.Judge(series, options).Count(j => j.IsAnomalous);

    /// <summary>
    /// Monthly values around a level of 50–5,000 with 3 % noise, a December peak (×1.6) in a third of the series,
    /// a missing month now and then, and in a fifth of the series one spike (×3) or drop (×0.3) after the first year.
    /// </summary>
    private static SeriesSet Generate(int count, int points, int seed)
    {
        var series = new decimal?[count][];
        var seasons = new bool[count];
        var spikes = new int[count];
        for (var s = 0; s < count; s++)
        {
            var rng = Rng.For(seed, s, 7_000);
            var level = rng.Uniform(50, 5_000);
            var seasonal = rng.Chance(1.0 / 3);
            var spikeAt = rng.Chance(0.2) ? rng.Next(12, points) : -1;
            (seasons[s], spikes[s]) = (seasonal, spikeAt);
            var values = new decimal?[points];
            for (var i = 0; i < points; i++)
            {
                var value = level * (1 + (0.03 * rng.Normal())) * (seasonal && i % 12 == 11 ? 1.6 : 1) * (i == spikeAt ? (rng.Chance(0.5) ? 3 : 0.3) : 1);
                values[i] = rng.Chance(0.01) ? null : Math.Round((decimal)value, 2);
            }

            series[s] = values;
        }

        return new SeriesSet(series, seasons, spikes);
    }

    private sealed record SeriesSet(decimal?[][] Series, bool[] Seasonal, int[] SpikeAt);

    /// <summary>The same rule without seasons, written the obvious way: LINQ and a full sort per window and per MAD.</summary>
    private static long NaiveCount(decimal?[] values)
    {
        var options = new AnomalyOptions();
        var anomalous = new bool[values.Length];
        long flagged = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is not { } x)
            {
                continue;
            }

            var window = Enumerable.Range(0, i).Skip(Math.Max(0, i - options.Window))
                .Where(j => values[j] is not null && !anomalous[j]).Select(j => values[j]!.Value).OrderBy(v => v).ToList();
            if (window.Count < options.MinHistory)
            {
                continue;
            }

            var median = NaiveMedian(window);
            var mad = NaiveMedian(window.Select(v => Math.Abs(v - median)).OrderBy(v => v).ToList());
            anomalous[i] = mad > 0
                ? Math.Abs(AnomalyDetector.Consistency * (x - median) / mad) > options.Threshold
                : median == 0 ? x != 0 : Math.Abs(x - median) / Math.Abs(median) > options.PercentChange;
            flagged += anomalous[i] ? 1 : 0;
        }

        return flagged;
    }

    private static decimal NaiveMedian(List<decimal> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30);
        return $"{cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} cores (`nproc`), {memory} GiB, {RuntimeInformation.FrameworkDescription}, Release build, workstation GC";
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
