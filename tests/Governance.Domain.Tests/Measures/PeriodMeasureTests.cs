using Governance.Domain.Facts;
using Governance.Domain.Measures;
using static Governance.Domain.Tests.Examples;

namespace Governance.Domain.Tests.Measures;

/// <summary>Measures over a quarter or year are computed over the whole period, not summed from its months.</summary>
public sealed class PeriodMeasureTests
{
    private static readonly int Jan = MonthKey.Of(2025, 1);
    private static readonly int Feb = MonthKey.Of(2025, 2);
    private static readonly int Q1 = Period.Quarter(2025, 1).Key;
    private static readonly int Year = Period.OfYear(2025).Key;

    private readonly LedgerFacts _facts = new();

    [Fact]
    public void ShouldCountAUserActiveInTwoMonthsOnceInTheQuarter()
    {
        var ledger = Ledger(_facts.Usage("u1", At(2025, 1, 5), "reports"), _facts.Usage("u1", At(2025, 2, 5)), _facts.Usage("u2", At(2025, 3, 5)));

        Assert.Equal(1, ledger.Export(Jan)[(int)Measure.ActiveUsers]);
        Assert.Equal(1, ledger.Export(Feb)[(int)Measure.ActiveUsers]);
        Assert.Equal(2, ledger.Export(Q1)[(int)Measure.ActiveUsers]);
        Assert.Equal(1, ledger.Export(Q1)[(int)Measure.FeatureUsers]);
        Assert.Equal(3, ledger.Export(Q1)[(int)Measure.UsageEvents]);
        Assert.Equal(1, ledger.Export(Q1)[(int)Measure.AccountsActive]);
    }

    [Fact]
    public void ShouldRetainOverTheQuarterMrrLostInOneMonthAndWonBackInTheNext()
    {
        var ledger = Ledger(
            _facts.Mrr(MrrMovement.New, 100m, At(2024, 12, 1)),
            _facts.Mrr(MrrMovement.Contraction, 40m, At(2025, 1, 10)),
            _facts.Mrr(MrrMovement.Expansion, 60m, At(2025, 2, 10)));

        // January fell 40; over the quarter MRR rose 20, so nothing was lost: min(start 100, end 120) = 100.
        Assert.Equal(400_000, ledger.Export(Jan)[(int)Measure.MrrDecrease]);
        Assert.Equal(0, ledger.Export(Q1)[(int)Measure.MrrDecrease]);
        Assert.Equal(1, ledger.Export(Q1)[(int)Measure.CustomersDowngraded]);
    }

    [Fact]
    public void ShouldNotCountACustomerAcquiredAndLostInTheSameQuarterAsLost()
    {
        var ledger = Ledger(_facts.Mrr(MrrMovement.New, 100m, At(2025, 1, 10)), _facts.Mrr(MrrMovement.Churn, 100m, At(2025, 2, 10)));

        // February alone: the customer was there at its start and is gone at its end.
        Assert.Equal(1, ledger.Export(Feb)[(int)Measure.CustomersLost]);
        Assert.Equal(0, ledger.Export(Q1)[(int)Measure.CustomersLost]);
        Assert.Equal(1, ledger.Export(Q1)[(int)Measure.CustomersChurnedNew]);
        Assert.Equal(0, ledger.Export(Q1)[(int)Measure.MrrDecrease]);
    }

    [Fact]
    public void ShouldNotCountACustomerWhoLeftAndCameBackInTheQuarterAsLost()
    {
        var ledger = Ledger(
            _facts.Mrr(MrrMovement.New, 100m, At(2024, 11, 1)),
            _facts.Mrr(MrrMovement.Churn, 100m, At(2025, 1, 10)),
            _facts.Mrr(MrrMovement.Reactivation, 80m, At(2025, 3, 10)));

        Assert.Equal(1, ledger.Export(Jan)[(int)Measure.CustomersLost]);
        Assert.Equal(0, ledger.Export(Q1)[(int)Measure.CustomersLost]);
        // Came back for 80 of the 100: 20 is the quarter's decrease.
        Assert.Equal(200_000, ledger.Export(Q1)[(int)Measure.MrrDecrease]);
    }

    [Fact]
    public void ShouldPutTimeToValueInItsBucketInTheMonthQuarterAndYearOfFirstValue()
    {
        var ledger = Ledger(_facts.Created(At(2025, 1, 1)), _facts.Milestone(Milestones.FirstValue, At(2025, 1, 13)));

        // 12 days: bucket (10, 14], the tenth bound.
        foreach (var period in new[] { Jan, Q1, Year })
        {
            var values = ledger.Export(period);
            Assert.Equal(12, values[(int)Measure.TimeToValueDaysSum]);
            Assert.Equal(1, values[(int)Measure.TtvBucket9]);
            Assert.Equal(1, values[(int)Measure.AccountsCreated]);
        }

        Assert.Equal(Measure.TtvBucket0, TimeToValueBuckets.BucketOf(0));
        Assert.Equal(Measure.TtvBucket17, TimeToValueBuckets.BucketOf(366));
    }

    [Fact]
    public void ShouldMoveTheAccountsLevelsWithItWhenItChangesPortfolioMidQuarter()
    {
        var ledger = Ledger(
            _facts.Created(At(2024, 12, 1), owner: "a"),
            _facts.Mrr(MrrMovement.New, 100m, At(2024, 12, 1)),
            _facts.Assigned("b", new DateOnly(2025, 2, 15), At(2025, 2, 15)),
            _facts.Mrr(MrrMovement.Expansion, 30m, At(2025, 3, 1)));

        var sums = new Dictionary<string, MonthlyMeasures>();
        foreach (var period in ledger.PeriodsWithData())
        {
            foreach (var (target, values) in ledger.Contributions(period))
            {
                if (!sums.TryGetValue(target, out var measures))
                {
                    sums[target] = measures = new MonthlyMeasures();
                }

                measures.Add(period, values);
            }
        }

        var a = sums["portfolio/a"];
        var b = sums["portfolio/b"];
        var q1 = Period.Quarter(2025, 1);
        // The quarter belongs to b, who holds the account at its end: b starts it with the 100, a with nothing.
        Assert.Equal((1_000_000, 1_300_000), (b.Read(q1).MrrStart, b.Read(q1).MrrEnd));
        Assert.Equal((0L, 0L), (a.Read(q1).MrrStart, a.Read(q1).MrrEnd));
        Assert.Equal(300_000, b.Read(q1)[Measure.MrrExpansion]);
        Assert.Equal((1L, 1L), (b.Read(q1).CustomersStart, b.Read(q1).CustomersEnd));
        // January is still a's, February b's.
        Assert.Equal(1_000_000, a.Read(Period.Month(2025, 1)).MrrEnd);
        Assert.Equal((0L, 0L), (a.Read(Period.Month(2025, 2)).MrrStart, a.Read(Period.Month(2025, 2)).MrrEnd));
        Assert.Equal((1_000_000, 1_000_000), (b.Read(Period.Month(2025, 2)).MrrStart, b.Read(Period.Month(2025, 2)).MrrEnd));
        // The tenant never sees the move.
        Assert.Equal((1_000_000, 1_300_000), (sums["all"].Read(q1).MrrStart, sums["all"].Read(q1).MrrEnd));
        Assert.Equal((0L, 1_300_000), (b.Read(Period.OfYear(2025)).MrrStart - 1_000_000, b.Read(Period.OfYear(2025)).MrrEnd));
    }

    [Theory]
    [InlineData("2026", "2026", PeriodGrain.Year)]
    [InlineData("2026-Q3", "2026-Q3", PeriodGrain.Quarter)]
    [InlineData("2026-03", "2026-03", PeriodGrain.Month)]
    public void ShouldParseAndPrintPeriods(string text, string printed, PeriodGrain grain)
    {
        Assert.True(Period.TryParse(text, out var period));
        Assert.Equal(grain, period.Grain);
        Assert.Equal(printed, period.ToString());
        Assert.Equal(period, Period.FromKey(period.Key));
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-Q5")]
    [InlineData("26")]
    [InlineData("1999")]
    [InlineData("2026-q1")]
    [InlineData("")]
    public void ShouldRefuseMalformedPeriods(string text) => Assert.False(Period.TryParse(text, out _));

    [Fact]
    public void ShouldStepBackAcrossYearBoundaries()
    {
        Assert.Equal(Period.Quarter(2025, 4), Period.Quarter(2026, 1).Previous);
        Assert.Equal(Period.Month(2025, 12), Period.Month(2026, 1).Previous);
        Assert.Equal(new DateOnly(2026, 4, 1), Period.Quarter(2026, 1).End);
    }

    private static AccountLedger Ledger(params StoredFact[] facts)
    {
        var ledger = new AccountLedger();
        foreach (var fact in facts)
        {
            ledger.Apply(fact);
        }

        return ledger;
    }
}
