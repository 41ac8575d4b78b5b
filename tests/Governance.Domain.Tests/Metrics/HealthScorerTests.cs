using Governance.Domain.Metrics.Definitions;
using Governance.Domain.Metrics.Values;

namespace Governance.Domain.Tests.Metrics;

public sealed class HealthScorerTests
{
    private static readonly HealthComponent Grr = new() { MetricKey = "gross_revenue_retention", Weight = 3, Worst = 0.8m, Best = 1m };
    private static readonly HealthComponent Nps = new() { MetricKey = "net_promoter_score", Weight = 2, Worst = -50, Best = 50 };
    private static readonly HealthComponent Ttr = new() { MetricKey = "average_resolution_time", Weight = 1, Worst = 48, Best = 4 };

    private static HealthProfile Profile(MissingInputRule missing, decimal minCoverage = 0.5m, string? segment = null) => new()
    {
        Segment = segment,
        Components = [Grr, Nps, Ttr],
        RedBelow = 40,
        GreenFrom = 70,
        Missing = missing,
        MinCoverage = minCoverage,
    };

    [Fact]
    public void ShouldWeighEachComponentsPlaceBetweenWorstAndBest()
    {
        // GRR 0.95 → (0.95 − 0.8) / 0.2 = 75 points; NPS 10 → 60 / 100 = 60; 26 hours → (26 − 48) / (4 − 48) = 50.
        // (3 × 75 + 2 × 60 + 1 × 50) / 6 = 395 / 6 = 65.833… → 65.83, yellow.
        var result = HealthScorer.Score(Profile(MissingInputRule.Renormalize), [In(Grr, 0.95m), In(Nps, 10), In(Ttr, 26)]);

        Assert.Equal(65.83m, result.Score);
        Assert.Equal(HealthBand.Yellow, result.Band);
        Assert.Equal([75m, 60m, 50m], result.Components.Select(c => c.Points!.Value));
        Assert.Equal(1m, result.Coverage);
    }

    [Fact]
    public void ShouldClampValuesOutsideWorstAndBest()
    {
        var result = HealthScorer.Score(Profile(MissingInputRule.Renormalize), [In(Grr, 1.2m), In(Nps, 90), In(Ttr, 1)]);

        Assert.Equal(100m, result.Score);
        Assert.Equal(HealthBand.Green, result.Band);
    }

    [Fact]
    public void ShouldRenormalizeOverPresentInputsWhenTheyCarryEnoughWeight()
    {
        // NPS missing: (3 × 75 + 1 × 50) / 4 = 68.75 over 4 / 6 of the weight.
        var result = HealthScorer.Score(Profile(MissingInputRule.Renormalize), [In(Grr, 0.95m), Missing(Nps), In(Ttr, 26)]);

        Assert.Equal(68.75m, result.Score);
        Assert.Equal(4m / 6m, result.Coverage);
        Assert.Equal("zero denominator: nps_responses", result.Components[1].MissingReason);
    }

    [Fact]
    public void ShouldGiveNoScoreWhenPresentInputsCarryTooLittleWeight()
    {
        // Only the resolution time (1 / 6 of the weight) is there; the profile needs half.
        var result = HealthScorer.Score(Profile(MissingInputRule.Renormalize), [Missing(Grr), Missing(Nps), In(Ttr, 26)]);

        Assert.Null(result.Score);
        Assert.Null(result.Band);
        Assert.Contains("need", result.NullReason);
    }

    [Fact]
    public void ShouldCountAMissingInputAsZeroUnderTheZeroRule()
    {
        // (3 × 75 + 0 + 1 × 50) / 6 = 45.833… → 45.83.
        var result = HealthScorer.Score(Profile(MissingInputRule.Zero), [In(Grr, 0.95m), Missing(Nps), In(Ttr, 26)]);

        Assert.Equal(45.83m, result.Score);
        Assert.Equal(HealthBand.Yellow, result.Band);
    }

    [Fact]
    public void ShouldGiveNoScoreForAnyMissingInputUnderTheNoScoreRule()
    {
        var result = HealthScorer.Score(Profile(MissingInputRule.NoScore), [In(Grr, 0.95m), Missing(Nps), In(Ttr, 26)]);

        Assert.Null(result.Score);
        Assert.Contains("net_promoter_score", result.NullReason);
    }

    [Theory]
    [InlineData(39.99, HealthBand.Red)]
    [InlineData(40, HealthBand.Yellow)]
    [InlineData(69.99, HealthBand.Yellow)]
    [InlineData(70, HealthBand.Green)]
    public void ShouldBandAtTheProfilesBoundaries(decimal score, HealthBand band) =>
        Assert.Equal(band, HealthScorer.BandOf(Profile(MissingInputRule.Zero), score));

    [Fact]
    public void ShouldPickTheSegmentsProfileOrTheDefault()
    {
        var spec = new HealthSpec { Profiles = [Profile(MissingInputRule.Zero), Profile(MissingInputRule.NoScore, segment: "enterprise")] };

        Assert.Equal("enterprise", HealthScorer.ProfileFor(spec, "enterprise").Segment);
        Assert.Null(HealthScorer.ProfileFor(spec, "smb").Segment);
        Assert.Null(HealthScorer.ProfileFor(spec, null).Segment);
    }

    private static ComponentInput In(HealthComponent component, decimal value) => new(component, 1, value, null);

    private static ComponentInput Missing(HealthComponent component) =>
        new(component, 1, null, $"zero denominator: {(component == Nps ? "nps_responses" : "x")}");
}
