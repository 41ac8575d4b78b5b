using Governance.Domain.Incentives;
using Governance.Domain.Measures;
using Governance.Domain.Metrics.Definitions;

namespace Governance.Domain.Tests.Incentives;

public sealed class PayoutCalculatorTests
{
    private static readonly DateOnly Jan = new(2026, 1, 1);

    private static readonly PayoutCurve Curve = new(CurveKind.Linear, [new(0.8m, 0.5m), new(1m, 1m), new(1.5m, 2m)]);

    private static Scorecard Card(decimal target = 1m) =>
        new([new ScorecardMetric(Lens.Financial, "nrr", 1m, Direction.HigherIsBetter, 1.5m, [new TargetStep(Jan, 0.8m, target)])]);

    private static PlanTerms Plan(decimal pay = 30_000m, decimal share = 0.6m, IReadOnlyList<Gate>? gates = null, PayoutCurve? curve = null) =>
        new(pay, "EUR", share, PeriodGrain.Quarter, curve ?? Curve, gates ?? [],
            [new VestingTranche(0, 0.3333m), new VestingTranche(12, 0.3333m), new VestingTranche(24, 0.3334m)], null);

    [Theory]
    [InlineData("0.79", "0")]     // below the curve's first point
    [InlineData("0.8", "0.5")]
    [InlineData("0.9", "0.75")]   // halfway from (0.8, 0.5) to (1, 1)
    [InlineData("1", "1")]
    [InlineData("1.2", "1.4")]    // 1 + 0.2 × (2 − 1) / 0.5
    [InlineData("1.5", "2")]
    [InlineData("3", "2")]        // flat above the last point
    public void ShouldInterpolateALinearCurve(string attainment, string multiplier) =>
        Assert.Equal(D(multiplier), Curve.MultiplierAt(D(attainment)));

    [Theory]
    [InlineData("0.79", "0")]
    [InlineData("0.9", "0.5")]
    [InlineData("1.49", "1")]
    [InlineData("1.5", "2")]
    public void ShouldStepThroughTiers(string attainment, string multiplier) =>
        Assert.Equal(D(multiplier), (Curve with { Kind = CurveKind.Tiers }).MultiplierAt(D(attainment)));

    [Fact]
    public void ShouldPayTheCurveTimesTheScorecardShareOfPayAtTargetRoundedOnceToCents()
    {
        // NRR 1.07 → attainment 1.07 → multiplier 1 + 0.07 × 2 = 1.14; 30,000 × 0.6 × 1.14 = 20,520.00.
        var result = PayoutCalculator.Compute(Period.Quarter(2026, 1), [new(1, Jan, Card())], [new(1, Jan, Plan())], _ => 1.07m);

        Assert.Empty(result.Problems);
        Assert.Equal(20_520.00m, result.Total);
        Assert.Equal("EUR", result.Currency);
        Assert.Equal(1.14m, result.Segments.Single().Multiplier);
    }

    [Fact]
    public void ShouldRoundHalfAwayFromZeroAndLetTheLastTrancheTakeTheRemainder()
    {
        // Pay at target 10,000.10 × 0.25 = 2,500.025 at multiplier 1 → 2,500.03 (half away from zero, not to even).
        var plan = Plan(pay: 10_000.10m, share: 0.25m);
        var result = PayoutCalculator.Compute(Period.Quarter(2026, 1), [new(1, Jan, Card())], [new(1, Jan, plan)], _ => 1m);

        Assert.Equal(2_500.03m, result.Total);
        // Tranches: 2,500.03 × 0.3333 = 833.26 (833.259…), again 833.26, then the rest 833.51: they add up to the total.
        Assert.Equal([833.26m, 833.26m, 833.51m], result.Tranches.Select(t => t.Amount));
        Assert.Equal(result.Total, result.Tranches.Sum(t => t.Amount));
        Assert.Equal([new DateOnly(2026, 4, 1), new DateOnly(2027, 4, 1), new DateOnly(2028, 4, 1)], result.Tranches.Select(t => t.DueOn));
    }

    [Fact]
    public void ShouldPayNothingWhenAGateFailsOrItsMetricHasNoValue()
    {
        var gated = Plan(gates: [new Gate("grr", Comparison.AtLeast, 0.85m)]);
        decimal? Values(string key, decimal? grr) => key == "grr" ? grr : 1.2m;

        var below = PayoutCalculator.Compute(Period.Quarter(2026, 1), [new(1, Jan, Card())], [new(1, Jan, gated)], k => Values(k, 0.84m));
        var at = PayoutCalculator.Compute(Period.Quarter(2026, 1), [new(1, Jan, Card())], [new(1, Jan, gated)], k => Values(k, 0.85m));
        var missing = PayoutCalculator.Compute(Period.Quarter(2026, 1), [new(1, Jan, Card())], [new(1, Jan, gated)], k => Values(k, null));

        Assert.Equal(0m, below.Total);
        Assert.False(below.Segments.Single().GatesHold);
        Assert.Equal([0m, 0m, 0m], below.Tranches.Select(t => t.Amount));
        Assert.Equal(25_200m, at.Total); // 18,000 × 1.4
        Assert.Equal(0m, missing.Total);
    }

    [Fact]
    public void ShouldApplyAPlanChangeFromItsEffectiveDateProRataByDays()
    {
        // Q1 2026 has 90 days. Plan v1 (pay 30,000) from January 1st, v2 (pay 36,000) from March 1st:
        // 59 days under v1, 31 under v2. Attainment 1 → multiplier 1; share 0.6.
        // 18,000 × 59 / 90 + 21,600 × 31 / 90 = 11,800 + 7,440 = 19,240.00.
        var result = PayoutCalculator.Compute(Period.Quarter(2026, 1), [new(1, Jan, Card())],
            [new(1, Jan, Plan()), new(2, new DateOnly(2026, 3, 1), Plan(pay: 36_000m))], _ => 1m);

        Assert.Equal([59, 31], result.Segments.Select(s => s.Days));
        Assert.Equal([1, 2], result.Segments.Select(s => s.PlanVersion));
        Assert.Equal(19_240.00m, result.Total);
        Assert.Equal(2, result.GoverningPlanVersion);
    }

    [Fact]
    public void ShouldApplyAScorecardChangeMidPeriodToItsOwnDays()
    {
        // Target 1.00 until February 15th (45 days: attainment 1.1 → 1.2), then 1.10 (45 days: attainment 1 → 1).
        // 18,000 × (1.2 × 45 + 1 × 45) / 90 = 18,000 × 1.1 = 19,800.00.
        var result = PayoutCalculator.Compute(Period.Quarter(2026, 1),
            [new(1, Jan, Card()), new(2, new DateOnly(2026, 2, 15), Card(target: 1.1m))], [new(1, Jan, Plan())], _ => 1.1m);

        Assert.Equal([45, 45], result.Segments.Select(s => s.Days));
        Assert.Equal(19_800.00m, result.Total);
    }

    [Fact]
    public void ShouldPayOnlyTheDaysAPlanStartedMidPeriodCovers()
    {
        // Plan from March 1st: 31 of 90 days at 18,000 → 6,200.00.
        var result = PayoutCalculator.Compute(Period.Quarter(2026, 1), [new(1, Jan, Card())], [new(1, new DateOnly(2026, 3, 1), Plan())], _ => 1m);

        Assert.Equal(6_200.00m, result.Total);
        Assert.Null(result.Segments[0].PlanVersion);
    }

    [Fact]
    public void ShouldRefuseToComputeOnAMissingValueOrAMismatchedPeriod()
    {
        var missing = PayoutCalculator.Compute(Period.Quarter(2026, 1), [new(1, Jan, Card())], [new(1, Jan, Plan())], _ => null);
        var yearly = PayoutCalculator.Compute(Period.OfYear(2026), [new(1, Jan, Card())], [new(1, Jan, Plan())], _ => 1m);
        var noCard = PayoutCalculator.Compute(Period.Quarter(2026, 1), [], [new(1, Jan, Plan())], _ => 1m);

        Assert.Equal("metrics.nrr", Assert.Single(missing.Problems).Field);
        Assert.Empty(missing.Tranches);
        Assert.Equal("period", Assert.Single(yearly.Problems).Field);
        Assert.Equal("scorecard", Assert.Single(noCard.Problems).Field);
    }

    [Fact]
    public void ShouldAnswerWhatIfFromTheCurveAlone()
    {
        Assert.Equal(13_500.00m, PayoutCalculator.PayAt(Plan(), 0.9m));
        Assert.Equal(36_000.00m, PayoutCalculator.PayAt(Plan(), 2m));
        Assert.Equal(0m, PayoutCalculator.PayAt(Plan(), 1.2m, gatesHold: false));
    }

    [Fact]
    public void ShouldNameEveryProblemOfAPlan()
    {
        var plan = new PlanTerms(-1m, "eur", 1.5m, PeriodGrain.Month, new PayoutCurve(CurveKind.Linear, [new(1m, 1m), new(0.5m, -1m)]), [new Gate("", Comparison.AtLeast, 1m)],
            [new VestingTranche(12, 0.5m), new VestingTranche(12, 0.4m)], new ClawbackProvision("nrr", Breach.Below, 0.9m, 0, 2m));

        Assert.Equal(
            ["variablePayAtTarget", "currency", "scorecardShare", "periodGrain", "curve.points[1].multiplier", "curve.points[1].attainment",
             "gates[0].metricKey", "vesting[1].monthsAfterPeriodEnd", "vesting", "clawback.withinMonths", "clawback.shareRecovered"],
            plan.Validate().Select(p => p.Field));
        Assert.Empty(Plan().Validate());
    }

    private static decimal D(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class IncentiveJsonTests
{
    [Fact]
    public void ShouldRoundTripAComputationAsStoredInAStatement()
    {
        var jan = new DateOnly(2026, 1, 1);
        var card = new Scorecard([new ScorecardMetric(Lens.Financial, "nrr", 1m, Direction.HigherIsBetter, 1.5m, [new TargetStep(jan, 0.8m, 1m)])]);
        var plan = new PlanTerms(1_000m, "EUR", 1m, PeriodGrain.Quarter, new PayoutCurve(CurveKind.Linear, [new(0m, 0m), new(1m, 1m)]),
            [new Gate("grr", Comparison.AtLeast, 0.5m)], [new VestingTranche(0, 1m)], new ClawbackProvision("nrr", Breach.Below, 0.9m, 12, 0.5m));
        var computation = PayoutCalculator.Compute(Period.Quarter(2026, 1), [new(1, jan, card)], [new(1, jan, plan)], _ => 0.9m);

        var back = IncentiveJson.Deserialize<PayoutComputation>(IncentiveJson.Serialize(computation));

        Assert.Equal(IncentiveJson.Serialize(computation), IncentiveJson.Serialize(back));
        Assert.Equal(plan, IncentiveJson.Deserialize<PlanTerms>(IncentiveJson.Serialize(plan)) with { Curve = plan.Curve, Gates = plan.Gates, Vesting = plan.Vesting });
    }
}
