namespace Governance.Domain.Metrics.Definitions;

/// <summary>The five focus areas of the seed's KPI tables; every metric belongs to one.</summary>
public enum FocusArea
{
    RetentionAndChurn,
    HealthAndEngagement,
    ExpansionAndGrowth,
    AdvocacyAndReferrals,
    OperationalEfficiency,
}
