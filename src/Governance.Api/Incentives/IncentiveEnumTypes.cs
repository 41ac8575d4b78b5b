using Governance.Domain.Incentives;
using Governance.Domain.Measures;
using GraphQL.Types;

namespace Governance.Api.Incentives;

public sealed class LensType : EnumerationGraphType<Lens>
{
    public LensType()
    {
        Name = "ScorecardLens";
        Description = "The four perspectives of a balanced scorecard.";
    }
}

public sealed class AttainmentNoteType : EnumerationGraphType<AttainmentNote>
{
    public AttainmentNoteType() => Name = "AttainmentNote";
}

public sealed class CurveKindType : EnumerationGraphType<CurveKind>
{
    public CurveKindType()
    {
        Name = "PayoutCurveKind";
        Description = "LINEAR interpolates between points; TIERS pays the multiplier of the highest point reached.";
    }
}

public sealed class ComparisonType : EnumerationGraphType<Comparison>
{
    public ComparisonType() => Name = "GateComparison";
}

public sealed class BreachType : EnumerationGraphType<Breach>
{
    public BreachType() => Name = "ClawbackBreach";
}

public sealed class PlanPeriodType : EnumerationGraphType<PeriodGrain>
{
    public PlanPeriodType()
    {
        Name = "PlanPeriod";
        Description = "How often a plan pays: QUARTER or YEAR (MONTH is refused).";
    }
}

public sealed class PayoutStatusType : EnumerationGraphType<PayoutStatus>
{
    public PayoutStatusType() => Name = "PayoutStatus";
}

public sealed class TrancheStatusType : EnumerationGraphType<TrancheStatus>
{
    public TrancheStatusType() => Name = "TrancheStatus";
}

public sealed class ClawbackStatusType : EnumerationGraphType<ClawbackStatus>
{
    public ClawbackStatusType() => Name = "ClawbackStatus";
}
