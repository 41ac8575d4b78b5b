using Governance.Domain.Incentives;
using Governance.Domain.Measures;

namespace Governance.Domain.Tests.Incentives;

public sealed class ClawbackCheckTests
{
    private static readonly ClawbackProvision NrrBelow90In6 = new("nrr", Breach.Below, 0.9m, 6, 0.5m);

    private static readonly ReleasedTranche Released = new(0, new DateOnly(2026, 4, 10), 1_000.01m);

    [Fact]
    public void ShouldOpenWhenTheMetricBreachesWithinTheWindow()
    {
        // Released April 10th: the window is May to October. August NRR 0.85 < 0.9: half of 1,000.01 = 500.005 → 500.01.
        var values = new Dictionary<Period, decimal> { [Period.Month(2026, 8)] = 0.85m, [Period.Month(2026, 9)] = 0.95m };

        var finding = ClawbackCheck.Evaluate(NrrBelow90In6, [Released], m => values.TryGetValue(m, out var v) ? v : 1m, new DateOnly(2026, 11, 20));

        Assert.True(finding.Holds);
        Assert.Equal(Period.Month(2026, 8), Assert.Single(finding.Breaches).Month);
        Assert.Equal(500.01m, finding.Recover[0]);
    }

    [Fact]
    public void ShouldNotOpenWhenTheBreachIsOutsideTheWindowOrAtTheBound()
    {
        // April (the release month) and November (past six months) breach; May–October sit at 0.9 exactly, which is not below.
        var values = new Dictionary<Period, decimal> { [Period.Month(2026, 4)] = 0.5m, [Period.Month(2026, 11)] = 0.5m };

        var finding = ClawbackCheck.Evaluate(NrrBelow90In6, [Released], m => values.TryGetValue(m, out var v) ? v : 0.9m, new DateOnly(2026, 12, 31));

        Assert.False(finding.Holds);
        Assert.Equal(0m, finding.Total);
    }

    [Fact]
    public void ShouldReadOnlyMonthsThatHaveEndedAndSkipMonthsWithoutValue()
    {
        var finding = ClawbackCheck.Evaluate(NrrBelow90In6, [Released], m => m == Period.Month(2026, 6) ? 0.1m : null, new DateOnly(2026, 6, 30));

        Assert.False(finding.Holds); // June has not ended on June 30th

        var later = ClawbackCheck.Evaluate(NrrBelow90In6, [Released], m => m == Period.Month(2026, 6) ? 0.1m : null, new DateOnly(2026, 7, 1));
        Assert.True(later.Holds);
    }

    [Fact]
    public void ShouldBreachAboveForLowerIsBetterMetrics()
    {
        var churnAbove = new ClawbackProvision("churn", Breach.Above, 0.05m, 3, 1m);

        var finding = ClawbackCheck.Evaluate(churnAbove, [Released, new ReleasedTranche(1, new DateOnly(2027, 4, 1), 200m)],
            m => m == Period.Month(2026, 5) ? 0.06m : 0.05m, new DateOnly(2027, 12, 1));

        Assert.Equal([0], finding.Recover.Keys);
        Assert.Equal(1_000.01m, finding.Total);
    }
}
