using Governance.Domain.Incentives;
using Governance.Domain.Measures;
using Governance.Domain.Metrics.Definitions;

namespace Governance.Domain.Tests.Incentives;

public sealed class ScorecardScoreTests
{
    private static readonly DateOnly Jan = new(2026, 1, 1);

    private static ScorecardMetric Metric(string key, decimal weight, decimal threshold, decimal target, decimal cap = 1.5m, Lens lens = Lens.Financial,
        Direction direction = Direction.HigherIsBetter) =>
        new(lens, key, weight, direction, cap, [new TargetStep(Jan, threshold, target)]);

    [Theory]
    [InlineData("0.94", "0")]          // below the threshold 0.95: nothing
    [InlineData("0.95", "0.9047619047619047619047619048")] // at the threshold: counts, 0.95 / 1.05
    [InlineData("1.05", "1")]          // on target
    [InlineData("1.26", "1.2")]        // 1.26 / 1.05 = 1.2
    [InlineData("1.80", "1.5")]        // 1.714… capped at 1.5
    public void ShouldScoreHigherIsBetterAgainstThresholdTargetAndCap(string actual, string expected)
    {
        var result = ScorecardScore.Attain(Metric("nrr", 1m, 0.95m, 1.05m), new TargetStep(Jan, 0.95m, 1.05m), decimal.Parse(actual, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), result.Attainment);
    }

    [Theory]
    [InlineData("0.09", "0", AttainmentNote.BelowThreshold)]   // churn above the 0.08 threshold
    [InlineData("0.08", "0.5", AttainmentNote.Scored)]          // 0.04 / 0.08
    [InlineData("0.04", "1", AttainmentNote.Scored)]
    [InlineData("0.032", "1.25", AttainmentNote.Scored)]        // 0.04 / 0.032
    [InlineData("0.01", "1.5", AttainmentNote.Capped)]          // 4 capped at 1.5
    [InlineData("0", "1.5", AttainmentNote.Capped)]             // no churn at all: the cap, no division by zero
    public void ShouldScoreLowerIsBetterAsTargetOverActual(string actual, string expected, AttainmentNote note)
    {
        var churn = Metric("churn", 1m, 0.08m, 0.04m, direction: Direction.LowerIsBetter);

        var result = ScorecardScore.Attain(churn, churn.Targets[0], decimal.Parse(actual, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), result.Attainment);
        Assert.Equal(note, result.Note);
    }

    [Fact]
    public void ShouldWeighMetricsIntoLensesAndOverall()
    {
        // NRR 1.10 / 1.00 = 1.1 (weight 0.5), GRR 0.85 < 0.88 threshold = 0 (weight 0.2), NPS 45 / 30 = 1.5 (weight 0.3).
        // Financial = (0.5 × 1.1 + 0.2 × 0) / 0.7 = 0.7857…; customer = 1.5; overall = 0.55 + 0 + 0.45 = 1.00.
        var card = new Scorecard([Metric("nrr", 0.5m, 0.9m, 1m), Metric("grr", 0.2m, 0.88m, 0.92m), Metric("nps", 0.3m, 10m, 30m, cap: 2m, lens: Lens.Customer)]);
        var values = new Dictionary<string, decimal?> { ["nrr"] = 1.10m, ["grr"] = 0.85m, ["nps"] = 45m };

        var score = ScorecardScore.Of(card, Period.Quarter(2026, 1), k => values[k]);

        Assert.Equal(1.00m, score.Overall);
        Assert.Equal(0.55m / 0.7m, score.Lenses.Single(l => l.Lens == Lens.Financial).Attainment);
        Assert.Equal(0.7m, score.Lenses.Single(l => l.Lens == Lens.Financial).Weight);
        Assert.Equal(1.5m, score.Lenses.Single(l => l.Lens == Lens.Customer).Attainment);
        Assert.Equal(2, score.Lenses.Count);
    }

    [Fact]
    public void ShouldNotScoreWhenAMetricHasNoValue()
    {
        // An empty period (no customers at its start) gives NRR no value: pay is never computed on a missing number.
        var card = new Scorecard([Metric("nrr", 0.5m, 0.9m, 1m), Metric("grr", 0.5m, 0.88m, 0.92m)]);

        var score = ScorecardScore.Of(card, Period.Quarter(2026, 1), k => k == "nrr" ? null : 0.9m);

        Assert.Null(score.Overall);
        Assert.Equal(AttainmentNote.NoValue, score.Metrics[0].Note);
        Assert.Null(score.Lenses.Single().Attainment);
    }

    [Fact]
    public void ShouldUseTheProgressiveTargetInForceAtThePeriodsStart()
    {
        var nrr = new ScorecardMetric(Lens.Financial, "nrr", 1m, Direction.HigherIsBetter, 1.5m,
            [new TargetStep(Jan, 0.9m, 1.00m), new TargetStep(new DateOnly(2026, 4, 1), 0.95m, 1.05m), new TargetStep(new DateOnly(2026, 7, 1), 1m, 1.10m)]);

        Assert.Null(nrr.TargetFor(Period.Quarter(2025, 4)));
        Assert.Equal(1.00m, nrr.TargetFor(Period.Quarter(2026, 1))!.Target);
        Assert.Equal(1.05m, nrr.TargetFor(Period.Quarter(2026, 2))!.Target);
        Assert.Equal(1.10m, nrr.TargetFor(Period.Quarter(2026, 4))!.Target);
        Assert.Equal(1.00m, nrr.TargetFor(Period.OfYear(2026))!.Target);

        var q2 = ScorecardScore.Of(new Scorecard([nrr]), Period.Quarter(2026, 2), _ => 1.05m);
        Assert.Equal(1m, q2.Overall);
        var noTarget = ScorecardScore.Of(new Scorecard([nrr]), Period.Quarter(2025, 4), _ => 1.05m);
        Assert.Equal(AttainmentNote.NoTarget, noTarget.Metrics[0].Note);
    }

    [Fact]
    public void ShouldNameEveryProblemOfAScorecard()
    {
        var card = new Scorecard(
        [
            Metric("nrr", 0.6m, 1.1m, 1m),
            Metric("nrr", 0.3m, 0.9m, 1m, cap: 0.9m),
            new ScorecardMetric(Lens.Customer, "churn", 0m, Direction.LowerIsBetter, 1.5m, [new TargetStep(Jan, 0.01m, 0.04m)]),
        ]);

        var fields = card.Validate().Select(p => p.Field).ToList();

        Assert.Equal(["metrics[0].targets[0].threshold", "metrics[1].metricKey", "metrics[1].cap", "metrics[2].weight", "metrics[2].targets[0].threshold", "metrics"], fields);
        Assert.Empty(new Scorecard([Metric("nrr", 1m, 0.9m, 1m)]).Validate());
    }

    [Fact]
    public void ShouldOfferValidRoleTemplates()
    {
        Assert.Equal(["cro", "cpo", "cco"], ScorecardTemplates.All.Select(t => t.Name));
        foreach (var template in ScorecardTemplates.All)
        {
            Assert.Empty(template.ToScorecard(Jan).Validate());
        }

        Assert.Contains(ScorecardTemplates.Find("cpo")!.Metrics, m => m.MetricKey == "time_to_value" && m.Direction == Direction.LowerIsBetter);
    }
}
