using Governance.Domain.Measures;
using Governance.Domain.Metrics.Definitions;

namespace Governance.Domain.Incentives;

/// <summary>
/// A metric on a scorecard: its lens, its weight in the whole scorecard (weights add up to 1), which way
/// is good, the cap on its attainment (1.5 = counted at most 150 %), and its targets over time.
/// </summary>
public sealed record ScorecardMetric(Lens Lens, string MetricKey, decimal Weight, Direction Direction, decimal Cap, IReadOnlyList<TargetStep> Targets)
{
    /// <summary>The step in force for <paramref name="period"/>, or null when none starts by its first day.</summary>
    public TargetStep? TargetFor(Period period) =>
        Targets.Where(t => t.From <= period.Start).OrderBy(t => t.From).LastOrDefault();
}
