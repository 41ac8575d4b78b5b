namespace Governance.Domain.Metrics.Definitions;

/// <summary>How a metric's value is computed.</summary>
public enum DefinitionKind
{
    /// <summary>A formula over additive measures (<see cref="MetricDraft.Formula"/>).</summary>
    Formula,

    /// <summary>A weighted composite of other (formula) metrics with bands (<see cref="MetricDraft.Health"/>).</summary>
    HealthScore,
}
