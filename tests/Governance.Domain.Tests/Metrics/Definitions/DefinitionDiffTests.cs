using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Definitions;
using static Governance.Domain.Tests.Metrics.Definitions.DefinitionExamples;

namespace Governance.Domain.Tests.Metrics.Definitions;

public sealed class DefinitionDiffTests
{
    [Fact]
    public void ShouldListOnlyTheFieldsThatDifferInAFixedOrder()
    {
        var before = Formula();
        var after = before with
        {
            Formula = "customers_retained / customers_start else 0",
            Unit = Unit.Ratio,
            Direction = Direction.LowerIsBetter,
            EffectiveFrom = new DateOnly(2026, 4, 1),
            Reason = "count churned-new customers out",
        };

        var changes = DefinitionDiff.Between(before, after);

        Assert.Equal(
            [
                new FieldChange("formula", "customers_retained / customers_start else null", "customers_retained / customers_start else 0"),
                new FieldChange("direction", "HigherIsBetter", "LowerIsBetter"),
                new FieldChange("effectiveFrom", "2026-01-01", "2026-04-01"),
                new FieldChange("reason", "first version", "count churned-new customers out"),
            ],
            changes);
    }

    [Fact]
    public void ShouldFindNoChangeBetweenEqualContents()
    {
        Assert.Empty(DefinitionDiff.Between(Formula(), Formula()));
    }

    [Fact]
    public void ShouldCompareTheVersionsContentNotItsLifecycle()
    {
        var approved = Version(1, new DateOnly(2026, 1, 1), approvedAt: At(2026, 1, 2));
        var retired = approved with { Status = DefinitionStatus.Retired, RetiredAt = At(2026, 3, 1), Version = 2 };

        Assert.Empty(DefinitionDiff.Between(approved, retired));
    }

    [Fact]
    public void ShouldShowAHealthSpecChangeAsItsJson()
    {
        var before = HealthScore(Profile());
        var after = HealthScore(Profile() with { RedBelow = 30m });

        var change = Assert.Single(DefinitionDiff.Between(before, after));

        Assert.Equal("health", change.Field);
        Assert.Contains("\"redBelow\":40", change.Before);
        Assert.Contains("\"redBelow\":30", change.After);
        Assert.Contains("\"missing\":\"Renormalize\"", change.After);
    }

    [Fact]
    public void ShouldShowAKindChangeWithTheFormulaAndHealthAppearingAndDisappearing()
    {
        var changes = DefinitionDiff.Between(Formula(), HealthScore());

        var fields = changes.Select(c => c.Field).ToList();
        Assert.Contains("kind", fields);
        Assert.Null(changes.Single(c => c.Field == "formula").After);
        Assert.Null(changes.Single(c => c.Field == "health").Before);
    }

    [Fact]
    public void ShouldRoundTripAHealthSpecThroughItsJson()
    {
        var spec = new HealthSpec { Profiles = [Profile(), Profile("enterprise") with { Missing = MissingInputRule.NoScore, MinCoverage = 0.75m }] };

        var read = HealthSpecJson.Deserialize(HealthSpecJson.Serialize(spec));

        Assert.Equal(HealthSpecJson.Serialize(spec), HealthSpecJson.Serialize(read));
        Assert.Equal("enterprise", read.Profiles[1].Segment);
        Assert.Equal(MissingInputRule.NoScore, read.Profiles[1].Missing);
        Assert.Equal(0.75m, read.Profiles[1].MinCoverage);
        Assert.Equal(spec.Profiles[0].Components, read.Profiles[0].Components);
    }
}
