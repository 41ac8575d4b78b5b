using Governance.Domain.Metrics.Definitions;

namespace Governance.Domain.Incentives;

/// <summary>A balanced scorecard: weighted metrics under the four lenses.</summary>
public sealed record Scorecard(IReadOnlyList<ScorecardMetric> Metrics)
{
    /// <summary>Everything wrong with the scorecard; empty when it can be used.</summary>
    public IReadOnlyList<IncentiveProblem> Validate()
    {
        var problems = new List<IncentiveProblem>();
        if (Metrics.Count == 0)
        {
            problems.Add(new("metrics", "must hold at least one metric"));
            return problems;
        }

        for (var i = 0; i < Metrics.Count; i++)
        {
            var metric = Metrics[i];
            var at = $"metrics[{i}]";
            if (string.IsNullOrWhiteSpace(metric.MetricKey))
            {
                problems.Add(new($"{at}.metricKey", "must name a metric"));
            }
            else if (Metrics.Take(i).Any(m => m.MetricKey == metric.MetricKey))
            {
                problems.Add(new($"{at}.metricKey", $"'{metric.MetricKey}' is on the scorecard twice"));
            }

            if (metric.Weight <= 0 || metric.Weight > 1)
            {
                problems.Add(new($"{at}.weight", "must be more than 0 and at most 1"));
            }

            if (metric.Cap < 1)
            {
                problems.Add(new($"{at}.cap", "must be at least 1 (100 % attainment)"));
            }

            if (metric.Targets.Count == 0)
            {
                problems.Add(new($"{at}.targets", "must hold at least one target"));
            }

            for (var t = 0; t < metric.Targets.Count; t++)
            {
                var step = metric.Targets[t];
                if (metric.Targets.Take(t).Any(s => s.From == step.From))
                {
                    problems.Add(new($"{at}.targets[{t}].from", $"two targets start on {step.From:yyyy-MM-dd}"));
                }

                if (step.Target <= 0)
                {
                    problems.Add(new($"{at}.targets[{t}].target", "must be more than 0"));
                }

                var thresholdOnWrongSide = metric.Direction == Direction.HigherIsBetter
                    ? step.Threshold > step.Target
                    : step.Threshold < step.Target;
                if (step.Threshold < 0 || thresholdOnWrongSide)
                {
                    problems.Add(new($"{at}.targets[{t}].threshold", metric.Direction == Direction.HigherIsBetter
                        ? "must be between 0 and the target"
                        : "must be at least the target (lower is better)"));
                }
            }
        }

        var total = Metrics.Sum(m => m.Weight);
        if (total != 1m)
        {
            problems.Add(new("metrics", $"weights add up to {total}, not 1"));
        }

        return problems;
    }
}
