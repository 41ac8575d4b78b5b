namespace Governance.Domain.Incentives;

/// <summary>The four perspectives of a balanced scorecard (Kaplan and Norton), as the seed article names them.</summary>
public enum Lens
{
    Financial,
    Customer,
    InternalProcess,
    LearningAndGrowth,
}
