using Governance.Domain.Measures;

namespace Governance.Domain.Incentives;

/// <summary>Whether a gate held for the period, with the value it read.</summary>
public sealed record GateResult(Gate Gate, decimal? Value, bool Holds);

/// <summary>
/// The days of a period under one scorecard version and one plan version (null plan: no plan in force,
/// nothing earned). <see cref="Amount"/> is unrounded: pay at target × multiplier × days / period days.
/// </summary>
public sealed record PayoutSegment(DateOnly From, DateOnly To, int Days, int? ScorecardVersion, int? PlanVersion,
    ScorecardScore? Score, IReadOnlyList<GateResult> Gates, decimal Multiplier, decimal Amount)
{
    public bool GatesHold => Gates.All(g => g.Holds);
}

/// <summary>A vesting tranche of a computed payout.</summary>
public sealed record TrancheAmount(int Index, DateOnly DueOn, decimal Share, decimal Amount);

/// <summary>A payout as computed for a period; when <see cref="Problems"/> is not empty it cannot be proposed.</summary>
public sealed record PayoutComputation(Period Period, int PeriodDays, IReadOnlyList<PayoutSegment> Segments, decimal Total, string? Currency,
    IReadOnlyList<TrancheAmount> Tranches, IReadOnlyList<IncentiveProblem> Problems)
{
    /// <summary>The plan version whose vesting and clawback provisions apply: the one in force on the period's last day.</summary>
    public int? GoverningPlanVersion => Segments.LastOrDefault()?.PlanVersion;
}

/// <summary>
/// Computes what an executive earns for a period (docs/incentives.md). A change of plan or scorecard
/// within the period applies from its effective date, pro rata by days: each run of days under one pair
/// of versions earns its share of that plan's pay at target × the curve's multiplier at that scorecard's
/// attainment, zero if a gate fails. The total is rounded once to cents; tranches are rounded too and
/// the last one takes the remainder, so they always add up to the total.
/// </summary>
public static class PayoutCalculator
{
    public static PayoutComputation Compute(Period period, IReadOnlyList<Versioned<Scorecard>> scorecards, IReadOnlyList<Versioned<PlanTerms>> plans,
        Func<string, decimal?> valueOf)
    {
        var periodDays = period.End.DayNumber - period.Start.DayNumber;
        var problems = new List<IncentiveProblem>();
        var segments = new List<PayoutSegment>();
        foreach (var (from, to) in Runs(period, scorecards.Select(s => s.EffectiveFrom).Concat(plans.Select(p => p.EffectiveFrom))))
        {
            var days = to.DayNumber - from.DayNumber;
            var plan = Versioned<PlanTerms>.InForce(plans, from);
            var scorecard = Versioned<Scorecard>.InForce(scorecards, from);
            if (plan is null)
            {
                segments.Add(new(from, to, days, scorecard?.Version, null, null, [], 0m, 0m));
                continue;
            }

            if (plan.Value.PeriodGrain != period.Grain)
            {
                problems.Add(new("period", $"plan version {plan.Version} pays per {plan.Value.PeriodGrain.ToString().ToLowerInvariant()}, not per {period.Grain.ToString().ToLowerInvariant()}"));
                continue;
            }

            if (scorecard is null)
            {
                problems.Add(new("scorecard", $"no scorecard is in force on {from:yyyy-MM-dd}"));
                continue;
            }

            var score = ScorecardScore.Of(scorecard.Value, period, valueOf);
            foreach (var metric in score.Metrics.Where(m => m.Attainment is null))
            {
                problems.Add(new($"metrics.{metric.Metric.MetricKey}", metric.Note == AttainmentNote.NoTarget
                    ? $"scorecard version {scorecard.Version} has no target for {period}"
                    : $"has no value for {period}"));
            }

            var gates = plan.Value.Gates.Select(g => { var v = valueOf(g.MetricKey); return new GateResult(g, v, g.Holds(v)); }).ToList();
            var multiplier = score.Overall is { } overall && gates.All(g => g.Holds) ? plan.Value.Curve.MultiplierAt(overall) : 0m;
            var amount = plan.Value.ScorecardPayAtTarget * multiplier * days / periodDays;
            segments.Add(new(from, to, days, scorecard.Version, plan.Version, score, gates, multiplier, amount));
        }

        var governing = Versioned<PlanTerms>.InForce(plans, period.End.AddDays(-1));
        if (governing is null || problems.Count > 0)
        {
            return new(period, periodDays, segments, 0m, governing?.Value.Currency, [], problems);
        }

        var currencies = segments.Where(s => s.PlanVersion is not null).Select(s => plans.Single(p => p.Version == s.PlanVersion).Value.Currency).Distinct().ToList();
        if (currencies.Count > 1)
        {
            return new(period, periodDays, segments, 0m, null, [], [new("currency", $"plan versions in the period pay in {string.Join(" and ", currencies)}")]);
        }

        var total = PayMoney.Round(segments.Sum(s => s.Amount));
        return new(period, periodDays, segments, total, governing.Value.Currency, Tranches(period, governing.Value.Vesting, total), []);
    }

    /// <summary>What a plan pays for a whole period at <paramref name="attainment"/>, gates held or not: the what-if of the curve.</summary>
    public static decimal PayAt(PlanTerms plan, decimal attainment, bool gatesHold = true) =>
        PayMoney.Round(gatesHold ? plan.ScorecardPayAtTarget * plan.Curve.MultiplierAt(attainment) : 0m);

    public static IReadOnlyList<TrancheAmount> Tranches(Period period, IReadOnlyList<VestingTranche> vesting, decimal total)
    {
        var tranches = new List<TrancheAmount>();
        for (var i = 0; i < vesting.Count; i++)
        {
            var amount = i == vesting.Count - 1 ? total - tranches.Sum(t => t.Amount) : PayMoney.Round(total * vesting[i].Share);
            tranches.Add(new(i, period.End.AddMonths(vesting[i].MonthsAfterPeriodEnd), vesting[i].Share, amount));
        }

        return tranches;
    }

    /// <summary>The period cut at every effective date inside it.</summary>
    private static IEnumerable<(DateOnly From, DateOnly To)> Runs(Period period, IEnumerable<DateOnly> effectiveDates)
    {
        var cuts = effectiveDates.Where(d => d > period.Start && d < period.End).Append(period.Start).Append(period.End).Distinct().Order().ToList();
        for (var i = 0; i < cuts.Count - 1; i++)
        {
            yield return (cuts[i], cuts[i + 1]);
        }
    }
}
