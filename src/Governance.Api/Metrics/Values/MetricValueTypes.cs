using Governance.Domain.Metrics.Values;
using GraphQL.Types;

namespace Governance.Api.Metrics.Values;

public sealed class MetricValueType : ObjectGraphType<MetricValue>
{
    public MetricValueType()
    {
        Name = "MetricValue";
        Description = "A metric's value for a scope and period under one definition version, with the measures it was computed from.";
        Field<NonNullGraphType<StringGraphType>>("key").Resolve(c => c.Source.Definition.Key);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Definition.Name);
        Field<IntGraphType>("version").Description("The definition version that produced this value; null only in a series, for a period no approved version governs.")
            .Resolve(c => c.Source.Computed ? c.Source.Definition.Version : null);
        Field<NonNullGraphType<MetricDefinitionStatusType>>("versionStatus").Resolve(c => c.Source.Definition.Status);
        Field<IntGraphType>("inForceVersion").Description("The version that governs this period by default (in force on its first day); null when none is.").Resolve(c => c.Source.InForceVersion);
        Field<NonNullGraphType<MetricUnitType>>("unit").Resolve(c => c.Source.Definition.Unit);
        Field<NonNullGraphType<MetricDirectionType>>("direction").Resolve(c => c.Source.Definition.Direction);
        Field<NonNullGraphType<StringGraphType>>("scope").Description("'account:{id}', 'executive:{id}', 'segment:{name}' or 'tenant'.").Resolve(c => c.Source.Scope.ToString());
        Field<NonNullGraphType<StringGraphType>>("period").Description("yyyy, yyyy-Qn or yyyy-MM.").Resolve(c => c.Source.Period.ToString());
        Field<DecimalGraphType>("value").Description("Ratios as fractions (1.05 is 105 %), money in currency units, durations in hours, scores as they are. Null when there is no value: see nullReason.").Resolve(c => c.Source.Value);
        Field<StringGraphType>("nullReason").Description("Why there is no value, e.g. 'zero denominator: mrr_start'.").Resolve(c => c.Source.NullReason);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MeasureReadingType>>>>("measures")
            .Description("Every measure the formula reads, with its value for this scope (a distribution shows how many values it holds).")
            .Resolve(c => c.Source.Measures.Select(m => new MeasureReadingView(m, c.Source.Period)).ToList());
        Field<RestatementType>("restatement").Description("Set when a closed period is asked for under another version than the one in force for it.").Resolve(c => c.Source.Restatement);
        Field<HealthBreakdownType>("health").Description("For a health score: its band and components.").Resolve(c => c.Source.Health);
        Field<HealthTrendType>("trend").Description("For a health score: against the previous period.").Resolve(c => c.Source.Trend);
    }
}

public sealed record MeasureReadingView(MeasureReading Reading, Domain.Measures.Period Period);

public sealed class MeasureReadingType : ObjectGraphType<MeasureReadingView>
{
    public MeasureReadingType()
    {
        Name = "MeasureReading";
        Field<NonNullGraphType<StringGraphType>>("measure").Resolve(c => c.Source.Reading.Measure);
        Field<NonNullGraphType<StringGraphType>>("period").Description("The period it was read for: the value's own, or the one before for prev().")
            .Resolve(c => c.Source.Period.Shift(c.Source.Reading.PeriodOffset).ToString());
        Field<DecimalGraphType>("value").Resolve(c => c.Source.Reading.Value);
    }
}

public sealed class RestatementType : ObjectGraphType<Restatement>
{
    public RestatementType()
    {
        Name = "Restatement";
        Description = "The value the closed period had under the version in force for it, beside the value asked for.";
        Field(r => r.OriginalVersion);
        Field(r => r.OriginalValue, nullable: true);
        Field(r => r.OriginalNullReason, nullable: true);
        Field(r => r.Difference, nullable: true).Description("The value asked for minus the original.");
    }
}

public sealed class HealthBandType : EnumerationGraphType<HealthBand>
{
    public HealthBandType()
    {
        Name = "HealthBand";
    }
}

public sealed class HealthBreakdownType : ObjectGraphType<HealthResult>
{
    public HealthBreakdownType()
    {
        Name = "HealthBreakdown";
        Field<HealthBandType>("band").Resolve(c => c.Source.Band);
        Field(h => h.Segment, nullable: true).Description("The segment whose profile scored it; null for the default profile.");
        Field(h => h.Coverage).Description("Share of the profile's weight whose inputs had a value (0–1).");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<HealthComponentScoreType>>>>("components").Resolve(c => c.Source.Components);
    }
}

public sealed class HealthComponentScoreType : ObjectGraphType<ComponentScore>
{
    public HealthComponentScoreType()
    {
        Name = "HealthComponentScore";
        Field(c => c.MetricKey);
        Field(c => c.Version, nullable: true).Description("The version of the metric in force for the period.");
        Field(c => c.Weight);
        Field(c => c.Value, nullable: true);
        Field(c => c.Points, nullable: true).Description("0–100: the value placed between the component's worst and best.");
        Field(c => c.MissingReason, nullable: true);
    }
}

public sealed class HealthTrendType : ObjectGraphType<HealthTrend>
{
    public HealthTrendType()
    {
        Name = "HealthTrend";
        Field<NonNullGraphType<StringGraphType>>("previousPeriod").Resolve(c => c.Source.PreviousPeriod.ToString());
        Field(t => t.PreviousScore, nullable: true);
        Field<HealthBandType>("previousBand").Resolve(c => c.Source.PreviousBand);
        Field(t => t.Change, nullable: true);
        Field(t => t.Direction).Description("UP, DOWN, FLAT, or UNKNOWN when either score is missing.");
    }
}
