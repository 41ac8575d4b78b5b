using Governance.Api.Metrics;
using Governance.Domain.Incentives;
using Governance.Domain.Measures;
using Governance.Domain.Metrics.Definitions;
using GraphQL.Types;

namespace Governance.Api.Incentives;

public sealed record TargetStepInput(DateOnly From, decimal Threshold, decimal Target);

public sealed record ScorecardMetricInput(Lens Lens, string MetricKey, decimal Weight, Direction? Direction, decimal Cap, IReadOnlyList<TargetStepInput> Targets);

public sealed record CurvePointInput(decimal Attainment, decimal Multiplier);

public sealed record CurveInput(CurveKind Kind, IReadOnlyList<CurvePointInput> Points);

public sealed record GateInput(string MetricKey, Comparison Comparison, decimal Bound);

public sealed record VestingTrancheInput(int MonthsAfterPeriodEnd, decimal Share);

public sealed record ClawbackInput(string MetricKey, Breach Breach, decimal Bound, int WithinMonths, decimal ShareRecovered);

public sealed record PlanInput(decimal VariablePayAtTarget, string Currency, decimal ScorecardShare, PeriodGrain Period, CurveInput Curve,
    IReadOnlyList<GateInput>? Gates, IReadOnlyList<VestingTrancheInput> Vesting, ClawbackInput? Clawback)
{
    public PlanTerms ToTerms() => new(VariablePayAtTarget, Currency, ScorecardShare, Period,
        new PayoutCurve(Curve.Kind, Curve.Points.Select(p => new CurvePoint(p.Attainment, p.Multiplier)).ToList()),
        (Gates ?? []).Select(g => new Gate(g.MetricKey, g.Comparison, g.Bound)).ToList(),
        Vesting.Select(v => new VestingTranche(v.MonthsAfterPeriodEnd, v.Share)).ToList(),
        Clawback is { } c ? new ClawbackProvision(c.MetricKey, c.Breach, c.Bound, c.WithinMonths, c.ShareRecovered) : null);
}

public sealed record MetricValueOverride(string MetricKey, decimal Value);

public sealed class TargetStepInputType : InputObjectGraphType<TargetStepInput>
{
    public TargetStepInputType()
    {
        Name = "TargetStepInput";
        Description = "A target in force from a date: for a period, the latest step starting on or before its first day.";
        Field(i => i.From, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(i => i.Threshold).Description("Below it (above it when lower is better) the metric earns nothing. In the metric's unit.");
        Field(i => i.Target).Description("Attainment 1 (100 %). In the metric's unit.");
    }
}

public sealed class ScorecardMetricInputType : InputObjectGraphType<ScorecardMetricInput>
{
    public ScorecardMetricInputType()
    {
        Name = "ScorecardMetricInput";
        Field(i => i.Lens, type: typeof(NonNullGraphType<LensType>));
        Field(i => i.MetricKey);
        Field(i => i.Weight).Description("Share of the whole scorecard; the weights add up to 1.");
        Field(i => i.Direction, type: typeof(MetricDirectionType)).Description("Left out: the metric definition's.");
        Field(i => i.Cap).Description("Attainment counted at most this (1.5 = 150 %); at least 1.");
        Field(i => i.Targets, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<TargetStepInputType>>>));
    }
}

public sealed class CurvePointInputType : InputObjectGraphType<CurvePointInput>
{
    public CurvePointInputType()
    {
        Name = "CurvePointInput";
        Field(i => i.Attainment);
        Field(i => i.Multiplier).Description("Times the pay at target tied to the scorecard.");
    }
}

public sealed class CurveInputType : InputObjectGraphType<CurveInput>
{
    public CurveInputType()
    {
        Name = "CurveInput";
        Field(i => i.Kind, type: typeof(NonNullGraphType<CurveKindType>));
        Field(i => i.Points, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<CurvePointInputType>>>)).Description("By rising attainment; below the first nothing is paid.");
    }
}

public sealed class GateInputType : InputObjectGraphType<GateInput>
{
    public GateInputType()
    {
        Name = "GateInput";
        Description = "When the metric of the executive's portfolio for the period is not on this side of the bound (or has no value), the plan pays nothing.";
        Field(i => i.MetricKey);
        Field(i => i.Comparison, type: typeof(NonNullGraphType<ComparisonType>));
        Field(i => i.Bound);
    }
}

public sealed class VestingTrancheInputType : InputObjectGraphType<VestingTrancheInput>
{
    public VestingTrancheInputType()
    {
        Name = "VestingTrancheInput";
        Field(i => i.MonthsAfterPeriodEnd).Description("0: due when the period ends (released once approved).");
        Field(i => i.Share).Description("The shares of all tranches add up to 1.");
    }
}

public sealed class ClawbackInputType : InputObjectGraphType<ClawbackInput>
{
    public ClawbackInputType()
    {
        Name = "ClawbackInput";
        Description = "E.g. net_revenue_retention BELOW 0.9 within 12 months after a tranche's release: a case may recover shareRecovered of it.";
        Field(i => i.MetricKey);
        Field(i => i.Breach, type: typeof(NonNullGraphType<BreachType>));
        Field(i => i.Bound);
        Field(i => i.WithinMonths);
        Field(i => i.ShareRecovered);
    }
}

public sealed class PlanInputType : InputObjectGraphType<PlanInput>
{
    public PlanInputType()
    {
        Name = "PlanInput";
        Field(i => i.VariablePayAtTarget).Description("The whole variable pay for one plan period at target, in currency units.");
        Field(i => i.Currency).Description("ISO 4217, e.g. EUR.");
        Field(i => i.ScorecardShare).Description("Share of the variable pay tied to the scorecard, more than 0 and at most 1.");
        Field(i => i.Period, type: typeof(NonNullGraphType<PlanPeriodType>));
        Field(i => i.Curve, type: typeof(NonNullGraphType<CurveInputType>));
        Field(i => i.Gates, type: typeof(ListGraphType<NonNullGraphType<GateInputType>>));
        Field(i => i.Vesting, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<VestingTrancheInputType>>>));
        Field(i => i.Clawback, type: typeof(ClawbackInputType));
    }
}

public sealed class MetricValueOverrideType : InputObjectGraphType<MetricValueOverride>
{
    public MetricValueOverrideType()
    {
        Name = "MetricValueOverride";
        Field(i => i.MetricKey);
        Field(i => i.Value);
    }
}
