using Governance.Domain.Metrics.Definitions;
using Governance.Domain.Metrics.Formulas;
using GraphQL.Types;

namespace Governance.Api.Metrics;

public sealed class MetricDefinitionType : ObjectGraphType<MetricDefinition>
{
    public MetricDefinitionType()
    {
        Name = "MetricDefinition";
        Description = "One version of a metric definition of the caller's tenant. Its content never changes once stored; a change is a new version.";
        Field(d => d.Key).Description("Stable identity of the metric across versions (snake_case).");
        Field(d => d.Version).Description("1 for the first version of the key, one more for each proposal.");
        Field(d => d.Status, type: typeof(NonNullGraphType<MetricDefinitionStatusType>));
        Field(d => d.Name);
        Field(d => d.Description);
        Field(d => d.Kind, type: typeof(NonNullGraphType<MetricDefinitionKindType>));
        Field(d => d.Formula, nullable: true).Description("The formula over measures, for FORMULA metrics.");
        Field(d => d.Health, type: typeof(HealthSpecType)).Description("The composite, for HEALTH_SCORE metrics.");
        Field(d => d.Unit, type: typeof(NonNullGraphType<MetricUnitType>));
        Field(d => d.Direction, type: typeof(NonNullGraphType<MetricDirectionType>));
        Field(d => d.FocusArea, type: typeof(NonNullGraphType<FocusAreaType>));
        Field(d => d.JourneyStage, type: typeof(NonNullGraphType<JourneyStageType>));
        Field(d => d.Indicator, type: typeof(NonNullGraphType<MetricIndicatorType>));
        Field(d => d.DataOwner).Description("Who is accountable for the metric's data (a person or a team).");
        Field(d => d.EffectiveFrom).Description("First day this version may govern: a period is governed by the version in force on its first day.");
        Field(d => d.Reason).Description("Why this version was proposed.");
        Field(d => d.Author).Description("Subject of the token that proposed this version; 'system' for the built-in catalog.");
        Field(d => d.ProposedAt);
        Field(d => d.ApprovedBy, nullable: true).Description("Who approved it; never its author.");
        Field(d => d.ApprovedAt, nullable: true);
        Field(d => d.ApproveReason, nullable: true);
        Field(d => d.RetiredBy, nullable: true);
        Field(d => d.RetiredAt, nullable: true);
        Field(d => d.RetireReason, nullable: true);
    }
}

public sealed class HealthSpecType : ObjectGraphType<HealthSpec>
{
    public HealthSpecType()
    {
        Name = "HealthSpec";
        Description = "A health score: one profile per segment plus exactly one default profile (segment null).";
        Field(h => h.Profiles, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<HealthProfileType>>>));
    }
}

public sealed class HealthProfileType : ObjectGraphType<HealthProfile>
{
    public HealthProfileType()
    {
        Name = "HealthProfile";
        Description = "How the accounts of one segment are scored (0 to 100) and banded: red below redBelow, green from greenFrom, yellow between.";
        Field(p => p.Segment, nullable: true).Description("The segment scored by this profile; null for the default profile.");
        Field(p => p.Components, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<HealthComponentType>>>));
        Field(p => p.RedBelow);
        Field(p => p.GreenFrom);
        Field(p => p.Missing, type: typeof(NonNullGraphType<MissingInputRuleType>));
        Field(p => p.MinCoverage).Description("For RENORMALIZE: the share of the weight (0 to 1) whose inputs must be present, or there is no score.");
    }
}

public sealed class HealthComponentType : ObjectGraphType<HealthComponent>
{
    public HealthComponentType()
    {
        Name = "HealthComponent";
        Description = "A formula metric mapped linearly from worst (0 points) to best (100 points), clamped; best below worst means lower is better.";
        Field(c => c.MetricKey);
        Field(c => c.Weight);
        Field(c => c.Worst);
        Field(c => c.Best);
    }
}

public sealed class FieldChangeType : ObjectGraphType<FieldChange>
{
    public FieldChangeType()
    {
        Name = "MetricDefinitionFieldChange";
        Description = "A field that differs between two versions, each side as text: enums by their member name (HigherIsBetter), dates as yyyy-MM-dd, the health spec as JSON.";
        Field(c => c.Field).Description("The field's name as in MetricDefinition, e.g. formula, unit, effectiveFrom, health.");
        Field(c => c.Before, nullable: true);
        Field(c => c.After, nullable: true);
    }
}

public sealed record MetricDefinitionDiff(MetricDefinition From, MetricDefinition To, IReadOnlyList<FieldChange> Changes);

public sealed class MetricDefinitionDiffType : ObjectGraphType<MetricDefinitionDiff>
{
    public MetricDefinitionDiffType()
    {
        Name = "MetricDefinitionDiff";
        Description = "What changed from one version of a key to another.";
        Field(d => d.From, type: typeof(NonNullGraphType<MetricDefinitionType>));
        Field(d => d.To, type: typeof(NonNullGraphType<MetricDefinitionType>));
        Field(d => d.Changes, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<FieldChangeType>>>))
            .Description("The content fields that differ, in a fixed order; empty when none do.");
    }
}

public sealed class FormulaErrorType : ObjectGraphType<FormulaError>
{
    public FormulaErrorType()
    {
        Name = "FormulaError";
        Description = "A problem in a formula and where it is.";
        Field(e => e.Code).Description("SYNTAX, UNKNOWN_MEASURE, UNIT_MISMATCH, UNGUARDED_DIVISION, …");
        Field(e => e.Message);
        Field(e => e.Line).Description("1-based.");
        Field(e => e.Column).Description("1-based.");
        Field(e => e.Offset).Description("0-based offset in the formula text.");
        Field(e => e.Length).Description("How many characters the problem spans.");
    }
}

public sealed class FormulaCheckType : ObjectGraphType<FormulaResult>
{
    public FormulaCheckType()
    {
        Name = "FormulaCheck";
        Description = "Whether a formula compiles for a unit, and if not, why.";
        Field<NonNullGraphType<BooleanGraphType>>("valid").Resolve(c => c.Source.IsValid);
        Field(r => r.Errors, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<FormulaErrorType>>>));
    }
}
