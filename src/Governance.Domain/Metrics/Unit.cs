namespace Governance.Domain.Metrics;

/// <summary>
/// What a measure or metric value counts. Durations are in hours, ratios are fractions (1.05 is
/// 105 %), money is in the tenant's currency units, scores are dimensionless indices (NPS −100…100,
/// health 0…100).
/// </summary>
public enum Unit
{
    Money,
    Count,
    Ratio,
    Duration,
    Score,
}
