using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Catalog;
using Governance.Domain.Metrics.Definitions;

namespace Governance.Domain.Tests.Metrics.Catalog;

public sealed class BuiltInMetricsTests
{
    [Fact]
    public void ShouldMeetTheRulesOfAProposal()
    {
        // Depends on the formula compiler: every built-in formula must compile for its unit.
        var problems = BuiltInMetrics.All.SelectMany(d => DefinitionValidator.Validate(d).Select(p => $"{d.Key}.{p.Field}: {p.Message}"));

        Assert.Empty(problems);
    }

    [Fact]
    public void ShouldHaveDistinctKeysEffectiveFrom2000()
    {
        Assert.Equal(BuiltInMetrics.All.Count, BuiltInMetrics.All.Select(d => d.Key).Distinct().Count());
        Assert.All(BuiltInMetrics.All, d => Assert.Equal(new DateOnly(2000, 1, 1), d.EffectiveFrom));
    }

    [Fact]
    public void ShouldDefineNetAndGrossRevenueRetention()
    {
        var nrr = BuiltInMetrics.All.Single(d => d.Key == "net_revenue_retention");
        var grr = BuiltInMetrics.All.Single(d => d.Key == "gross_revenue_retention");

        Assert.Equal("(mrr_start + mrr_expansion_existing + mrr_reactivated_existing - mrr_contraction_existing - mrr_churned_existing) / mrr_start else null", nrr.Formula);
        Assert.Equal("mrr_retained / mrr_start else null", grr.Formula);
        Assert.All([nrr, grr], d =>
        {
            Assert.Equal(Unit.Ratio, d.Unit);
            Assert.Equal(Direction.HigherIsBetter, d.Direction);
            Assert.Equal(FocusArea.RetentionAndChurn, d.FocusArea);
            Assert.Equal(JourneyStage.ValueRealization, d.JourneyStage);
            Assert.Equal(Indicator.Lagging, d.Indicator);
            Assert.Equal("Customer Success Operations", d.DataOwner);
        });
    }
}
