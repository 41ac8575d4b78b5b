using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Definitions;
using GraphQL.Types;

namespace Governance.Api.Metrics;

// The domain enums of metric definitions as GraphQL enums (values in CONSTANT_CASE). Type names carry
// "Metric" where the bare word would be too general for one schema.

public sealed class MetricUnitType : EnumerationGraphType<Unit>
{
    public MetricUnitType()
    {
        Name = "MetricUnit";
        Description = "What a value counts: money in currency units, counts, ratios as fractions (1.05 is 105 %), durations in hours, scores as indices.";
    }
}

public sealed class MetricDirectionType : EnumerationGraphType<Direction>
{
    public MetricDirectionType()
    {
        Name = "MetricDirection";
        Description = "Which way the metric should move.";
    }
}

public sealed class FocusAreaType : EnumerationGraphType<FocusArea>
{
    public FocusAreaType()
    {
        Name = "FocusArea";
        Description = "The focus area of the KPI catalog a metric belongs to.";
    }
}

public sealed class JourneyStageType : EnumerationGraphType<JourneyStage>
{
    public JourneyStageType()
    {
        Name = "JourneyStage";
        Description = "The customer-journey stage a metric speaks about.";
    }
}

public sealed class MetricIndicatorType : EnumerationGraphType<Indicator>
{
    public MetricIndicatorType()
    {
        Name = "MetricIndicator";
        Description = "Leading (predicts outcomes) or lagging (records them).";
    }
}

public sealed class MetricDefinitionStatusType : EnumerationGraphType<DefinitionStatus>
{
    public MetricDefinitionStatusType()
    {
        Name = "MetricDefinitionStatus";
        Description = "DRAFT until approved; APPROVED versions can govern periods; RETIRED versions (withdrawn drafts or approved versions taken out of force) never change again.";
    }
}

public sealed class MetricDefinitionKindType : EnumerationGraphType<DefinitionKind>
{
    public MetricDefinitionKindType()
    {
        Name = "MetricDefinitionKind";
        Description = "FORMULA: computed by a formula over measures. HEALTH_SCORE: a weighted composite of formula metrics, 0 to 100, with bands.";
    }
}

public sealed class MissingInputRuleType : EnumerationGraphType<MissingInputRule>
{
    public MissingInputRuleType()
    {
        Name = "HealthMissingInputRule";
        Description = "What a health score does when a component has no value: RENORMALIZE over the present components (if they carry minCoverage of the weight), count it as ZERO, or give NO_SCORE.";
    }
}
