using Governance.Api.Metrics;
using Governance.Api.Metrics.Values;
using Governance.Domain.Incentives;
using Governance.Storage.Incentives;
using GraphQL;
using GraphQL.Types;
using static Governance.Api.Incentives.IncentiveComplexity;

namespace Governance.Api.Incentives;

/// <summary>
/// The lists of scorecards, plans and payouts are short by construction (a handful of metrics, segments,
/// tranches and events), so their children count double rather than the default list multiplier.
/// </summary>
internal static class IncentiveComplexity
{
    public const double SmallList = 2;
}

/// <summary>A metric's attainment with, when read live, the metric value behind it (its definition version and measures: its lineage).</summary>
public sealed record AttainmentLine(MetricAttainment Attainment, MetricValue? Value);

/// <summary>A stored scorecard version with its document read back.</summary>
public sealed record ScorecardVersion(VersionRow Row, Scorecard Scorecard);

/// <summary>A stored plan version with its document read back.</summary>
public sealed record PlanVersion(VersionRow Row, PlanTerms Plan);

public sealed class TargetStepType : ObjectGraphType<TargetStep>
{
    public TargetStepType()
    {
        Name = "TargetStep";
        Field("from", t => t.From, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(t => t.Threshold);
        Field(t => t.Target);
    }
}

public sealed class ScorecardMetricType : ObjectGraphType<ScorecardMetric>
{
    public ScorecardMetricType()
    {
        Name = "ScorecardMetric";
        Field("lens", m => m.Lens, type: typeof(NonNullGraphType<LensType>));
        Field(m => m.MetricKey);
        Field(m => m.Weight);
        Field("direction", m => m.Direction, type: typeof(NonNullGraphType<MetricDirectionType>));
        Field(m => m.Cap);
        Field("targets", m => m.Targets, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<TargetStepType>>>))
            .WithComplexityImpact(1, SmallList);
    }
}

public sealed class TemplateMetricType : ObjectGraphType<TemplateMetric>
{
    public TemplateMetricType()
    {
        Name = "ScorecardTemplateMetric";
        Field("lens", m => m.Lens, type: typeof(NonNullGraphType<LensType>));
        Field(m => m.MetricKey);
        Field(m => m.Weight);
        Field("direction", m => m.Direction, type: typeof(NonNullGraphType<MetricDirectionType>));
        Field(m => m.Cap);
        Field(m => m.Threshold);
        Field(m => m.Target);
    }
}

public sealed class ScorecardTemplateType : ObjectGraphType<ScorecardTemplate>
{
    public ScorecardTemplateType()
    {
        Name = "ScorecardTemplate";
        Field(t => t.Name).Description("What adoptScorecardTemplate takes: cro, cpo, cco.");
        Field(t => t.Role);
        Field(t => t.Description);
        Field("metrics", t => t.Metrics, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<TemplateMetricType>>>))
            .WithComplexityImpact(1, SmallList);
    }
}

public sealed class ScorecardVersionType : ObjectGraphType<ScorecardVersion>
{
    public ScorecardVersionType()
    {
        Name = "ScorecardVersion";
        Field("executiveId", v => v.Row.ExecutiveId, type: typeof(NonNullGraphType<IdGraphType>));
        Field("version", v => v.Row.Version);
        Field("effectiveFrom", v => v.Row.EffectiveFrom, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field("template", v => v.Row.Tag, nullable: true).Description("The role template it was adopted from.");
        Field("author", v => v.Row.Author);
        Field("reason", v => v.Row.Reason);
        Field("recordedAt", v => new DateTimeOffset(v.Row.RecordedAt, TimeSpan.Zero));
        Field("metrics", v => v.Scorecard.Metrics, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<ScorecardMetricType>>>))
            .WithComplexityImpact(1, SmallList);
    }
}

public sealed class CurvePointType : ObjectGraphType<CurvePoint>
{
    public CurvePointType()
    {
        Name = "CurvePoint";
        Field(p => p.Attainment);
        Field(p => p.Multiplier);
    }
}

public sealed class GateType : ObjectGraphType<Gate>
{
    public GateType()
    {
        Name = "Gate";
        Field(g => g.MetricKey);
        Field("comparison", g => g.Comparison, type: typeof(NonNullGraphType<ComparisonType>));
        Field(g => g.Bound);
    }
}

public sealed class VestingTrancheType : ObjectGraphType<VestingTranche>
{
    public VestingTrancheType()
    {
        Name = "VestingTranche";
        Field(v => v.MonthsAfterPeriodEnd);
        Field(v => v.Share);
    }
}

public sealed class ClawbackProvisionType : ObjectGraphType<ClawbackProvision>
{
    public ClawbackProvisionType()
    {
        Name = "ClawbackProvision";
        Field(c => c.MetricKey);
        Field("breach", c => c.Breach, type: typeof(NonNullGraphType<BreachType>));
        Field(c => c.Bound);
        Field(c => c.WithinMonths);
        Field(c => c.ShareRecovered);
    }
}

public sealed class PlanVersionType : ObjectGraphType<PlanVersion>
{
    public PlanVersionType()
    {
        Name = "PlanVersion";
        Field("executiveId", v => v.Row.ExecutiveId, type: typeof(NonNullGraphType<IdGraphType>));
        Field("version", v => v.Row.Version);
        Field("effectiveFrom", v => v.Row.EffectiveFrom, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field("payeeUserId", v => v.Row.Tag!, type: typeof(NonNullGraphType<IdGraphType>)).Description("The person paid: never a voter on this plan's payouts.");
        Field("author", v => v.Row.Author);
        Field("reason", v => v.Row.Reason);
        Field("recordedAt", v => new DateTimeOffset(v.Row.RecordedAt, TimeSpan.Zero));
        Field("variablePayAtTarget", v => v.Plan.VariablePayAtTarget);
        Field("currency", v => v.Plan.Currency);
        Field("scorecardShare", v => v.Plan.ScorecardShare);
        Field("scorecardPayAtTarget", v => v.Plan.ScorecardPayAtTarget);
        Field("period", v => v.Plan.PeriodGrain, type: typeof(NonNullGraphType<PlanPeriodType>));
        Field("curveKind", v => v.Plan.Curve.Kind, type: typeof(NonNullGraphType<CurveKindType>));
        Field("curve", v => v.Plan.Curve.Points, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<CurvePointType>>>))
            .WithComplexityImpact(1, SmallList);
        Field("gates", v => v.Plan.Gates, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<GateType>>>))
            .WithComplexityImpact(1, SmallList);
        Field("vesting", v => v.Plan.Vesting, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<VestingTrancheType>>>))
            .WithComplexityImpact(1, SmallList);
        Field("clawback", v => v.Plan.Clawback, type: typeof(ClawbackProvisionType));
    }
}

public sealed class MetricAttainmentType : ObjectGraphType<AttainmentLine>
{
    public MetricAttainmentType()
    {
        Name = "MetricAttainment";
        Field("metricKey", l => l.Attainment.Metric.MetricKey);
        Field("lens", l => l.Attainment.Metric.Lens, type: typeof(NonNullGraphType<LensType>));
        Field("weight", l => l.Attainment.Metric.Weight);
        Field("direction", l => l.Attainment.Metric.Direction, type: typeof(NonNullGraphType<MetricDirectionType>));
        Field("threshold", l => l.Attainment.Target == null ? (decimal?)null : l.Attainment.Target.Threshold, nullable: true);
        Field("target", l => l.Attainment.Target == null ? (decimal?)null : l.Attainment.Target.Target, nullable: true);
        Field("cap", l => l.Attainment.Metric.Cap);
        Field("actual", l => l.Attainment.Actual, nullable: true).Description("The metric's value for the executive's portfolio and the period.");
        Field("attainment", l => l.Attainment.Attainment, nullable: true).Description("Exact, unrounded; null when there is no value or target.");
        Field("note", l => l.Attainment.Note, type: typeof(NonNullGraphType<AttainmentNoteType>));
        Field("contribution", l => l.Attainment.Contribution, nullable: true).Description("weight × attainment: its part of the overall attainment.");
        Field<MetricValueType>("value").Description("The metric value behind it (definition version, measures); metricLineage gives its facts. Null in stored statements: see values.")
            .Resolve(c => c.Source.Value);
    }
}

public sealed class LensAttainmentType : ObjectGraphType<LensAttainment>
{
    public LensAttainmentType()
    {
        Name = "LensAttainment";
        Field("lens", l => l.Lens, type: typeof(NonNullGraphType<LensType>));
        Field(l => l.Weight);
        Field(l => l.Attainment, nullable: true).Description("Weighted mean of its metrics' attainments.");
    }
}

public sealed class ScorecardType : ObjectGraphType<ScorecardView>
{
    public ScorecardType()
    {
        Name = "Scorecard";
        Field("executiveId", s => s.ExecutiveId, type: typeof(NonNullGraphType<IdGraphType>));
        Field("period", s => s.Score.Period.ToString());
        Field("version", s => s.Version.Version).Description("The scorecard version scored: the one in force on the period's first day unless asked.");
        Field("overall", s => s.Score.Overall, nullable: true).Description("Σ weight × attainment; null when a metric cannot be scored.");
        Field("lenses", s => s.Score.Lenses, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<LensAttainmentType>>>))
            .WithComplexityImpact(1, SmallList);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MetricAttainmentType>>>>("metrics")
            .Resolve(c => c.Source.Score.Metrics.Select(m => new AttainmentLine(m, c.Source.Values.GetValueOrDefault(m.Metric.MetricKey))).ToList())
            .WithComplexityImpact(1, SmallList);
    }
}

public sealed class GateResultType : ObjectGraphType<GateResult>
{
    public GateResultType()
    {
        Name = "GateResult";
        Field("metricKey", g => g.Gate.MetricKey);
        Field("comparison", g => g.Gate.Comparison, type: typeof(NonNullGraphType<ComparisonType>));
        Field("bound", g => g.Gate.Bound);
        Field(g => g.Value, nullable: true);
        Field(g => g.Holds);
    }
}

public sealed class PayoutSegmentType : ObjectGraphType<PayoutSegment>
{
    public PayoutSegmentType()
    {
        Name = "PayoutSegment";
        Description = "Days of the period under one scorecard version and one plan version.";
        Field("from", s => s.From, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field("to", s => s.To, type: typeof(NonNullGraphType<DateOnlyGraphType>)).Description("Exclusive.");
        Field(s => s.Days);
        Field(s => s.ScorecardVersion, nullable: true);
        Field(s => s.PlanVersion, nullable: true).Description("Null: no plan in force, nothing earned.");
        Field("overall", s => s.Score == null ? (decimal?)null : s.Score.Overall, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LensAttainmentType>>>>("lenses").Resolve(c => c.Source.Score?.Lenses ?? [])
            .WithComplexityImpact(1, SmallList);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MetricAttainmentType>>>>("metrics")
            .Resolve(c => (c.Source.Score?.Metrics ?? []).Select(m => new AttainmentLine(m, null)).ToList())
            .WithComplexityImpact(1, SmallList);
        Field("gates", s => s.Gates, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<GateResultType>>>))
            .WithComplexityImpact(1, SmallList);
        Field(s => s.Multiplier).Description("From the curve at the overall attainment; 0 when a gate fails.");
        Field(s => s.Amount).Description("Unrounded: scorecard pay at target × multiplier × days / period days.");
    }
}

public sealed class TrancheAmountType : ObjectGraphType<TrancheAmount>
{
    public TrancheAmountType()
    {
        Name = "TrancheAmount";
        Field(t => t.Index);
        Field("dueOn", t => t.DueOn, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(t => t.Share);
        Field(t => t.Amount);
    }
}

public sealed class IncentiveProblemType : ObjectGraphType<IncentiveProblem>
{
    public IncentiveProblemType()
    {
        Name = "IncentiveProblem";
        Field(p => p.Field);
        Field(p => p.Message);
    }
}

public sealed class PayoutComputationType : ObjectGraphType<PayoutComputation>
{
    public PayoutComputationType()
    {
        Name = "PayoutComputation";
        Field("period", c => c.Period.ToString());
        Field(c => c.PeriodDays);
        Field(c => c.Total).Description("Rounded once to cents, half away from zero.");
        Field(c => c.Currency, nullable: true);
        Field(c => c.GoverningPlanVersion, nullable: true).Description("The plan version in force on the period's last day: its vesting and clawback apply.");
        Field("segments", c => c.Segments, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<PayoutSegmentType>>>))
            .WithComplexityImpact(1, SmallList);
        Field("tranches", c => c.Tranches, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<TrancheAmountType>>>))
            .WithComplexityImpact(1, SmallList);
        Field("problems", c => c.Problems, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<IncentiveProblemType>>>)).Description("Why it cannot be proposed (e.g. a metric without value).")
            .WithComplexityImpact(1, SmallList);
    }
}

public sealed class StatementValueType : ObjectGraphType<StatementValue>
{
    public StatementValueType()
    {
        Name = "StatementValue";
        Description = "A metric value the payout read, pinned with its facts: verifyPinned / pinnedLineage explain it.";
        Field(v => v.MetricKey);
        Field(v => v.DefinitionVersion);
        Field("pinId", v => v.PinId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(v => v.Value, nullable: true);
        Field(v => v.NullReason, nullable: true);
    }
}

public sealed class PayoutEventType : ObjectGraphType<PayoutEventRow>
{
    public PayoutEventType()
    {
        Name = "PayoutEvent";
        Field(e => e.Seq);
        Field(e => e.Kind).Description("verified, verification_failed, approval, approved, rejected, tranche_released, tranche_held, clawback_opened, clawback_recovered, clawback_dismissed.");
        Field(e => e.Actor);
        Field(e => e.Reason, nullable: true);
        Field(e => e.Tranche, nullable: true);
        Field(e => e.Evidence, nullable: true).Description("JSON: what the step was decided on (the data gate's checks, the votes, the clawback breaches).");
        Field("at", e => new DateTimeOffset(e.At, TimeSpan.Zero));
    }
}

/// <summary>A tranche with where it stands.</summary>
public sealed record TrancheView(TrancheAmount Tranche, TrancheStatus Status);

public sealed class TrancheType : ObjectGraphType<TrancheView>
{
    public TrancheType()
    {
        Name = "Tranche";
        Field("index", t => t.Tranche.Index);
        Field("dueOn", t => t.Tranche.DueOn, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field("share", t => t.Tranche.Share);
        Field("amount", t => t.Tranche.Amount);
        Field("status", t => t.Status, type: typeof(NonNullGraphType<TrancheStatusType>));
    }
}

public sealed class PayoutType : ObjectGraphType<PayoutView>
{
    public PayoutType()
    {
        Name = "Payout";
        Field("id", p => p.Row.PayoutId, type: typeof(NonNullGraphType<IdGraphType>));
        Field("executiveId", p => p.Row.ExecutiveId, type: typeof(NonNullGraphType<IdGraphType>));
        Field("period", p => p.Row.Period);
        Field("payeeUserId", p => p.Row.PayeeUserId, type: typeof(NonNullGraphType<IdGraphType>));
        Field("status", p => p.State.Status, type: typeof(NonNullGraphType<PayoutStatusType>));
        Field("total", p => p.Row.Total);
        Field("currency", p => p.Row.Currency);
        Field("proposedBy", p => p.Row.ProposedBy);
        Field("proposedAt", p => new DateTimeOffset(p.Row.ProposedAt, TimeSpan.Zero));
        Field("reason", p => p.Row.Reason);
        Field("quorum", p => p.Quorum).Description("Approvals needed, as the tenant has it set now.");
        Field("approvals", p => p.State.Approvers, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>)).Description("Who approved, in order.")
            .WithComplexityImpact(1, SmallList);
        Field("statement", p => p.Statement.Computation, type: typeof(NonNullGraphType<PayoutComputationType>)).Description("Every number of the payout, as computed when proposed.");
        Field("values", p => p.Statement.Values, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<StatementValueType>>>))
            .WithComplexityImpact(1, SmallList);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TrancheType>>>>("tranches")
            .Resolve(c => c.Source.Statement.Computation.Tranches.Select(t => new TrancheView(t, c.Source.State.Tranches[t.Index])).ToList())
            .WithComplexityImpact(1, SmallList);
        Field("clawback", p => p.State.Clawback, type: typeof(NonNullGraphType<ClawbackStatusType>));
        Field("events", p => p.Events, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<PayoutEventType>>>))
            .WithComplexityImpact(1, SmallList);
    }
}

public sealed class ClawbackBreachType : ObjectGraphType<ClawbackBreach>
{
    public ClawbackBreachType()
    {
        Name = "ClawbackBreachMonth";
        Field(b => b.TrancheIndex);
        Field("month", b => b.Month.ToString());
        Field(b => b.Value);
    }
}

public sealed class ClawbackCheckType : ObjectGraphType<ClawbackCheckResult>
{
    public ClawbackCheckType()
    {
        Name = "ClawbackCheck";
        Field("holds", c => c.Finding.Holds).Description("Whether the plan's clawback condition holds now.");
        Field("opened", c => c.Opened).Description("Whether this check opened a case (none was open).");
        Field("breaches", c => c.Finding.Breaches, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<ClawbackBreachType>>>))
            .WithComplexityImpact(1, SmallList);
        Field("recoverable", c => c.Finding.Total).Description("What a case asks to recover, rounded to cents.");
        Field("payout", c => c.Payout, type: typeof(NonNullGraphType<PayoutType>));
    }
}
