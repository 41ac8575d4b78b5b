using Governance.Domain.Facts;
using Governance.Domain.Metrics;

namespace Governance.Domain.Tests.Metrics;

public sealed class MeasureSourcesTests
{
    [Fact]
    public void ShouldGiveEveryFormulaMeasureKnownFactKinds()
    {
        var measures = MetricMeasures.Catalog.All.Select(m => m.Name).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(measures, MeasureSources.Measures.Order(StringComparer.Ordinal).ToList());
        Assert.All(measures, m =>
        {
            Assert.NotEmpty(MeasureSources.KindsOf(m));
            Assert.All(MeasureSources.KindsOf(m), k => Assert.True(FactKinds.TryParse(k, out _), $"{m}: unknown kind {k}"));
        });
    }

    [Fact]
    public void ShouldReadHistoryForLevelsOnly()
    {
        Assert.True(MeasureSources.ReadsHistory("mrr_start"));
        Assert.True(MeasureSources.ReadsHistory("customers_retained"));
        Assert.False(MeasureSources.ReadsHistory("mrr_new"));
        Assert.False(MeasureSources.ReadsHistory("nps_promoters"));
        Assert.Equal(["survey.responded"], MeasureSources.KindsOf("nps_promoters"));
    }
}
