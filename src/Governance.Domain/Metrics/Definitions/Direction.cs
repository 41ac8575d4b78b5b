namespace Governance.Domain.Metrics.Definitions;

/// <summary>Which way a metric should move: scorecards and anomaly findings read good and bad from it.</summary>
public enum Direction
{
    HigherIsBetter,
    LowerIsBetter,
}
