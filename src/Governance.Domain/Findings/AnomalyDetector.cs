namespace Governance.Domain.Findings;

/// <summary>
/// Judges every point of a series (one value per period, in order, null where there is none) with the
/// robust modified z-score M = 0.6745·(x − median)/MAD over a trailing window (docs/metrics.md, "Anomaly
/// detection"):
/// <list type="bullet">
/// <item>the window is the <see cref="AnomalyOptions.Window"/> periods before the tested one, without nulls and
/// without points judged anomalous (earlier in this pass, or given as past anomalies), so one spike does not
/// widen the spread that judges the next points;</item>
/// <item>a point is judged once the window holds <see cref="AnomalyOptions.MinHistory"/> usable points;</item>
/// <item>MAD 0 (a flat window) cannot divide: the point is anomalous when it differs from the expected value by
/// more than <see cref="AnomalyOptions.PercentChange"/> of it, or at all when that value is 0;</item>
/// <item>with a <see cref="AnomalyOptions.Cycle"/>, once two full cycles precede the point, every value is first
/// reduced by the median of the other values at its position in the cycle (over the points before the tested
/// one; past anomalies left out, unless every value of the position was one: a peak that comes every cycle is the
/// season), and the z-score is taken of those residuals; the tested point's position median is the
/// <see cref="AnomalyEvidence.Baseline"/>.</item>
/// </list>
/// Pure and allocation-light: the job and the benchmark call it per series.
/// </summary>
public static class AnomalyDetector
{
    /// <summary>0.6745 ≈ Φ⁻¹(0.75): makes MAD comparable to a standard deviation for normal data.</summary>
    public const decimal Consistency = 0.6745m;

    /// <summary>Judges every point in order; <paramref name="pastAnomalies"/> (indices) are left out of every window whatever they score now.</summary>
    public static IReadOnlyList<AnomalyJudgement> Judge(IReadOnlyList<decimal?> values, AnomalyOptions options, IReadOnlySet<int>? pastAnomalies = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        options.Validate();
        var excluded = new bool[values.Count];
        if (pastAnomalies is not null)
        {
            foreach (var index in pastAnomalies.Where(i => i >= 0 && i < values.Count))
            {
                excluded[index] = true;
            }
        }

        var judgements = new AnomalyJudgement[values.Count];
        // One buffer for the sorts: the window (at most Window values), or one cycle position (at most Count / Cycle + 1).
        var scratch = new decimal[Math.Max(options.Window, (values.Count / (options.Cycle ?? values.Count + 1)) + 1)];
        for (var i = 0; i < values.Count; i++)
        {
            judgements[i] = JudgeAt(values, i, excluded, options, scratch);
            excluded[i] |= judgements[i].IsAnomalous;
        }

        return judgements;
    }

    private static AnomalyJudgement JudgeAt(IReadOnlyList<decimal?> values, int i, bool[] excluded, AnomalyOptions options, decimal[] scratch)
    {
        if (values[i] is not { } x)
        {
            return new AnomalyJudgement(i, null, AnomalyVerdict.NotJudged, null, "no value");
        }

        var cycle = options.Cycle ?? 0;
        var seasonal = cycle > 0 && i >= 2 * cycle && CountAtPosition(values, i, i, cycle) >= 2;

        var first = Math.Max(0, i - options.Window);
        var indices = new List<int>(i - first);
        var window = new List<decimal>(i - first);
        for (var j = first; j < i; j++)
        {
            if (values[j] is not { } v || excluded[j])
            {
                continue;
            }

            if (!seasonal)
            {
                indices.Add(j);
                window.Add(v);
            }
            else if (PositionMedian(values, excluded, j, i, cycle, scratch) is { } expectedAtJ)
            {
                indices.Add(j);
                window.Add(v - expectedAtJ);
            }
        }

        if (window.Count < options.MinHistory)
        {
            return new AnomalyJudgement(i, x, AnomalyVerdict.NotJudged, null, $"{window.Count} usable points in the window, {options.MinHistory} needed");
        }

        var span = scratch.AsSpan(0, window.Count);
        window.CopyTo(span);
        var median = Median(span);
        for (var k = 0; k < window.Count; k++)
        {
            span[k] = Math.Abs(window[k] - median);
        }

        var mad = Median(span);
        var baseline = seasonal ? PositionMedian(values, excluded, i, i, cycle, scratch)!.Value : 0m;
        var expected = baseline + median;
        decimal? change = expected == 0m ? null : Math.Abs(x - expected) / Math.Abs(expected);
        bool anomalous;
        decimal? score = null;
        AnomalyMethod method;
        if (mad > 0m)
        {
            method = AnomalyMethod.ZScore;
            score = Consistency * (x - baseline - median) / mad;
            anomalous = Math.Abs(score.Value) > options.Threshold;
        }
        else
        {
            // No spread to divide by: a relative change decides, and from 0 any change is one.
            method = AnomalyMethod.PercentChange;
            anomalous = change is { } c ? c > options.PercentChange : x != expected;
        }

        var evidence = new AnomalyEvidence(method, seasonal, indices, window, baseline, median, mad, score, change);
        return new AnomalyJudgement(i, x, anomalous ? AnomalyVerdict.Anomalous : AnomalyVerdict.Normal, evidence, null);
    }

    /// <summary>Non-null values before <paramref name="before"/> at the cycle position of <paramref name="index"/>.</summary>
    private static int CountAtPosition(IReadOnlyList<decimal?> values, int index, int before, int cycle)
    {
        var count = 0;
        for (var k = index % cycle; k < before; k += cycle)
        {
            count += values[k].HasValue ? 1 : 0;
        }

        return count;
    }

    /// <summary>
    /// Median of the other non-null values before <paramref name="before"/> at the cycle position of
    /// <paramref name="index"/> that were not anomalous, or of all of them when every one was; null when there are none. Leaving the point itself out makes a window point's
    /// residual as much out of sample as the tested point's: with the point in, two cycles would halve the
    /// window's residuals and flag ordinary noise of the third.
    /// </summary>
    private static decimal? PositionMedian(IReadOnlyList<decimal?> values, bool[] excluded, int index, int before, int cycle, decimal[] scratch)
    {
        // The normal values of the position first: a one-off spike in an earlier cycle is not the season.
        var count = 0;
        for (var k = index % cycle; k < before; k += cycle)
        {
            if (k != index && !excluded[k] && values[k] is { } v)
            {
                scratch[count++] = v;
            }
        }

        // Every one of them anomalous: the peak came every cycle, and that is the season.
        if (count == 0)
        {
            for (var k = index % cycle; k < before; k += cycle)
            {
                if (k != index && values[k] is { } v)
                {
                    scratch[count++] = v;
                }
            }
        }

        return count == 0 ? null : Median(scratch.AsSpan(0, count));
    }

    /// <summary>Median of <paramref name="values"/>, which it sorts; the mean of the middle two for an even count.</summary>
    public static decimal Median(Span<decimal> values)
    {
        if (values.Length == 0)
        {
            throw new ArgumentException("The median of nothing.", nameof(values));
        }

        values.Sort();
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2m;
    }
}
