namespace Governance.Domain.Incentives;

/// <summary>
/// One version of an executive's incentive plan. <see cref="VariablePayAtTarget"/> is what the whole
/// variable pay for one plan period (<see cref="PeriodGrain"/>) is at target; <see cref="ScorecardShare"/>
/// of it is tied to the scorecard (the rest is governed elsewhere: base salary and other pay are untouched).
/// </summary>
public sealed record PlanTerms(
    decimal VariablePayAtTarget,
    string Currency,
    decimal ScorecardShare,
    Measures.PeriodGrain PeriodGrain,
    PayoutCurve Curve,
    IReadOnlyList<Gate> Gates,
    IReadOnlyList<VestingTranche> Vesting,
    ClawbackProvision? Clawback)
{
    /// <summary>The pay at target tied to the scorecard for one whole period.</summary>
    public decimal ScorecardPayAtTarget => VariablePayAtTarget * ScorecardShare;

    public IReadOnlyList<IncentiveProblem> Validate()
    {
        var problems = new List<IncentiveProblem>();
        if (VariablePayAtTarget <= 0)
        {
            problems.Add(new("variablePayAtTarget", "must be more than 0"));
        }

        if (Currency is not { Length: 3 } || !Currency.All(char.IsAsciiLetterUpper))
        {
            problems.Add(new("currency", "must be an ISO 4217 code such as EUR"));
        }

        if (ScorecardShare is <= 0 or > 1)
        {
            problems.Add(new("scorecardShare", "must be more than 0 and at most 1"));
        }

        if (PeriodGrain == Measures.PeriodGrain.Month)
        {
            problems.Add(new("periodGrain", "must be QUARTER or YEAR"));
        }

        problems.AddRange(Curve.Validate("curve"));
        for (var i = 0; i < Gates.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Gates[i].MetricKey))
            {
                problems.Add(new($"gates[{i}].metricKey", "must name a metric"));
            }
        }

        if (Vesting.Count == 0)
        {
            problems.Add(new("vesting", "must hold at least one tranche"));
        }

        for (var i = 0; i < Vesting.Count; i++)
        {
            if (Vesting[i].Share is <= 0 or > 1)
            {
                problems.Add(new($"vesting[{i}].share", "must be more than 0 and at most 1"));
            }

            if (Vesting[i].MonthsAfterPeriodEnd is < 0 or > 120)
            {
                problems.Add(new($"vesting[{i}].monthsAfterPeriodEnd", "must be 0 to 120"));
            }

            if (i > 0 && Vesting[i].MonthsAfterPeriodEnd <= Vesting[i - 1].MonthsAfterPeriodEnd)
            {
                problems.Add(new($"vesting[{i}].monthsAfterPeriodEnd", "must be later than the tranche before it"));
            }
        }

        if (Vesting.Count > 0 && Vesting.Sum(v => v.Share) != 1m)
        {
            problems.Add(new("vesting", $"shares add up to {Vesting.Sum(v => v.Share)}, not 1"));
        }

        if (Clawback is { } clawback)
        {
            if (string.IsNullOrWhiteSpace(clawback.MetricKey))
            {
                problems.Add(new("clawback.metricKey", "must name a metric"));
            }

            if (clawback.WithinMonths is < 1 or > 60)
            {
                problems.Add(new("clawback.withinMonths", "must be 1 to 60"));
            }

            if (clawback.ShareRecovered is <= 0 or > 1)
            {
                problems.Add(new("clawback.shareRecovered", "must be more than 0 and at most 1"));
            }
        }

        return problems;
    }
}
