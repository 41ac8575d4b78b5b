namespace Governance.Domain.Metrics.Definitions;

/// <summary>Whether a metric predicts outcomes (leading) or records them (lagging).</summary>
public enum Indicator
{
    Leading,
    Lagging,
}
