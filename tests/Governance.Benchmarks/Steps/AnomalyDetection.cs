using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
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
    public static int Run(int seriesCount, int points, int seed)
    {
        Console.WriteLine($"Anomaly detection: {seriesCount:N0} series of {points} points (seed {seed}); {Machine()}");
        var clock = Stopwatch.StartNew();
        var series = Generate(seriesCount, points, seed, out var injected);
        Console.WriteLine($"generated in {clock.Elapsed.TotalSeconds:F2} s; {injected:N0} anomalies injected");

        var total = (long)seriesCount * points;
        var naive = Measure("naive LINQ, no seasons, 1 thread", total, () => series.Sum(NaiveCount));
        var plain = Measure("detector, no seasons, 1 thread", total, () => series.Sum(s => Count(s, new AnomalyOptions())));
        var seasonal = Measure("detector, 12-month seasons, 1 thread", total, () => series.Sum(s => Count(s, AnomalyOptions.Monthly)));
        var parallel = Measure($"detector, 12-month seasons, {Environment.ProcessorCount} threads", total,
            () => series.AsParallel().Sum(s => Count(s, AnomalyOptions.Monthly)));
        if (naive != plain || seasonal != parallel)
        {
            Console.Error.WriteLine($"The versions disagree: naive {naive}, detector {plain}; seasonal {seasonal} vs parallel {parallel}.");
            return 1;
        }

        return 0;
    }

    private static long Measure(string name, long points, Func<long> run)
    {
        GC.Collect();
        var clock = Stopwatch.StartNew();
        var flagged = run();
        clock.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {clock.Elapsed.TotalSeconds:F2} s, {points / clock.Elapsed.TotalSeconds:N0} points/s, {flagged:N0} flagged"));
        return flagged;
    }

    private static long Count(decimal?[] series, AnomalyOptions options) => AnomalyDetector.Judge(series, options).Count(j => j.IsAnomalous);

    /// <summary>
    /// Monthly values around a level of 50–5,000 with 3 % noise, a December peak (×1.6) in a third of the series,
    /// a missing month now and then, and in a fifth of the series one spike (×3) or drop (×0.3) after the first year.
    /// </summary>
    private static decimal?[][] Generate(int count, int points, int seed, out int injected)
    {
        var series = new decimal?[count][];
        injected = 0;
        for (var s = 0; s < count; s++)
        {
            var rng = Rng.For(seed, s, 7_000);
            var level = rng.Uniform(50, 5_000);
            var seasonal = rng.Chance(1.0 / 3);
            var spikeAt = rng.Chance(0.2) ? rng.Next(12, points) : -1;
            injected += spikeAt >= 0 ? 1 : 0;
            var values = new decimal?[points];
            for (var i = 0; i < points; i++)
            {
                var value = level * (1 + (0.03 * rng.Normal())) * (seasonal && i % 12 == 11 ? 1.6 : 1) * (i == spikeAt ? (rng.Chance(0.5) ? 3 : 0.3) : 1);
                values[i] = rng.Chance(0.01) ? null : Math.Round((decimal)value, 2);
            }

            series[s] = values;
        }

        return series;
    }

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
        return $"{cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} cores, {memory} GiB, {RuntimeInformation.FrameworkDescription}";
    }
}
