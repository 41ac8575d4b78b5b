namespace Governance.Domain.Metrics.Definitions;

/// <summary>The stage of the customer journey a metric speaks about (seed catalog).</summary>
public enum JourneyStage
{
    Onboarding,
    Adoption,
    ValueRealization,
    Advocacy,
}
