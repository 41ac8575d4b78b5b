using Governance.Domain.Measures;
using Governance.Domain.Metrics.Definitions;

namespace Governance.Domain.Incentives;

/// <summary>Why a metric's attainment is what it is.</summary>
public enum AttainmentNote
{
    /// <summary>Between threshold and cap: actual over target (target over actual when lower is better).</summary>
    Scored,

    /// <summary>On the wrong side of the threshold: earns nothing.</summary>
    BelowThreshold,

    /// <summary>Counted at the cap.</summary>
    Capped,

    /// <summary>The metric has no value for the period, or no target is in force: nothing can be scored.</summary>
    NoValue,

    NoTarget,
}

/// <summary>One metric's attainment for a period; <see cref="Attainment"/> is null when it cannot be scored.</summary>
public sealed record MetricAttainment(ScorecardMetric Metric, TargetStep? Target, decimal? Actual, decimal? Attainment, AttainmentNote Note)
{
    /// <summary>Weight × attainment: what the metric adds to the overall attainment.</summary>
    public decimal? Contribution => Attainment * Metric.Weight;
}

/// <summary>A lens's attainment: the weighted mean of its metrics' (null when one of them has none).</summary>
public sealed record LensAttainment(Lens Lens, decimal Weight, decimal? Attainment);

/// <summary>A scorecard scored for a period: per metric, per lens, overall (null when any metric has no attainment).</summary>
public sealed record ScorecardScore(Period Period, IReadOnlyList<MetricAttainment> Metrics, IReadOnlyList<LensAttainment> Lenses, decimal? Overall)
{
    /// <summary>
    /// Scores <paramref name="scorecard"/> with the period's metric values. Attainments are exact decimals,
    /// never rounded: only money is rounded, once (<see cref="PayoutCalculator"/>).
    /// </summary>
    public static ScorecardScore Of(Scorecard scorecard, Period period, Func<string, decimal?> valueOf)
    {
        var metrics = scorecard.Metrics.Select(m => Attain(m, m.TargetFor(period), valueOf(m.MetricKey))).ToList();
        var lenses = Enum.GetValues<Lens>()
            .Select(lens => (lens, members: metrics.Where(m => m.Metric.Lens == lens).ToList()))
            .Where(l => l.members.Count > 0)
            .Select(l =>
            {
                var weight = l.members.Sum(m => m.Metric.Weight);
                var attained = l.members.Any(m => m.Attainment is null) ? null : l.members.Sum(m => m.Contribution) / weight;
                return new LensAttainment(l.lens, weight, attained);
            })
            .ToList();
        var overall = metrics.Any(m => m.Attainment is null) ? null : metrics.Sum(m => m.Contribution);
        return new ScorecardScore(period, metrics, lenses, overall);
    }

    /// <summary>
    /// Higher is better: 0 below the threshold, else actual / target, at most the cap. Lower is better:
    /// 0 above the threshold, else target / actual (an actual of 0 is at the cap), at most the cap.
    /// </summary>
    public static MetricAttainment Attain(ScorecardMetric metric, TargetStep? target, decimal? actual)
    {
        if (target is null)
        {
            return new(metric, null, actual, null, AttainmentNote.NoTarget);
        }

        if (actual is not { } value)
        {
            return new(metric, target, null, null, AttainmentNote.NoValue);
        }

        var higher = metric.Direction == Direction.HigherIsBetter;
        if (higher ? value < target.Threshold : value > target.Threshold)
        {
            return new(metric, target, value, 0m, AttainmentNote.BelowThreshold);
        }

        var ratio = higher ? value / target.Target : value == 0 ? metric.Cap : target.Target / value;
        return ratio >= metric.Cap
            ? new(metric, target, value, metric.Cap, AttainmentNote.Capped)
            : new(metric, target, value, ratio, AttainmentNote.Scored);
    }
}
