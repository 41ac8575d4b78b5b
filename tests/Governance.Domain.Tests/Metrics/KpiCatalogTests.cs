using Governance.Domain.Facts;
using Governance.Domain.Measures;
using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Catalog;
using Governance.Domain.Metrics.Formulas;
using Governance.Domain.Metrics.Values;
using Governance.Domain.Tests.Measures;
using static Governance.Domain.Tests.Examples;

namespace Governance.Domain.Tests.Metrics;

/// <summary>
/// The built-in catalog's formulas over facts, against values worked out by hand. Scopes are summed
/// the way the roll-up grains sum them (each account's contributions to a target).
/// </summary>
public sealed class KpiCatalogTests
{
    private static readonly Period Q1 = Period.Quarter(2025, 1);
    private static readonly Period Q2 = Period.Quarter(2025, 2);
    private static readonly Period Q3 = Period.Quarter(2025, 3);

    /// <summary>
    /// Five customers of one portfolio over the first quarter of 2025 (amounts in currency units):
    /// A paid 1,000 from November, expanded 200 in January, contracted 50 in February;
    /// B paid 500 from December and churned in March;
    /// C was acquired for 300 in January and churned in February (acquired and lost in the quarter);
    /// D paid 400 from October, churned in December and came back for 250 in February (reactivation);
    /// E paid 100 from December, churned in January and came back for 100 in March (left and returned within the quarter).
    /// </summary>
    private static AccountLedger[] RetentionStory()
    {
        AccountLedger Account(params Func<LedgerFacts, StoredFact>[] facts)
        {
            var f = new LedgerFacts();
            return Ledger([f.Created(At(2024, 10, 1), owner: "exec"), .. facts.Select(make => make(f))]);
        }

        return
        [
            Account(f => f.Mrr(MrrMovement.New, 1_000m, At(2024, 11, 1)), f => f.Mrr(MrrMovement.Expansion, 200m, At(2025, 1, 10)), f => f.Mrr(MrrMovement.Contraction, 50m, At(2025, 2, 10))),
            Account(f => f.Mrr(MrrMovement.New, 500m, At(2024, 12, 1)), f => f.Mrr(MrrMovement.Churn, 500m, At(2025, 3, 10))),
            Account(f => f.Mrr(MrrMovement.New, 300m, At(2025, 1, 5)), f => f.Mrr(MrrMovement.Churn, 300m, At(2025, 2, 5))),
            Account(f => f.Mrr(MrrMovement.New, 400m, At(2024, 10, 1)), f => f.Mrr(MrrMovement.Churn, 400m, At(2024, 12, 15)), f => f.Mrr(MrrMovement.Reactivation, 250m, At(2025, 2, 20))),
            Account(f => f.Mrr(MrrMovement.New, 100m, At(2024, 12, 1)), f => f.Mrr(MrrMovement.Churn, 100m, At(2025, 1, 20)), f => f.Mrr(MrrMovement.Reactivation, 100m, At(2025, 3, 20))),
        ];
    }

    [Fact]
    public void ShouldComputeRevenueRetentionOverTheCustomersPayingAtTheStart()
    {
        var q1 = Sum(Q1, "portfolio/exec", RetentionStory());

        // Start: A 1,000 + B 500 + E 100 = 1,600 (C not yet acquired, D churned in December).
        Assert.Equal(1_600m, MetricMeasures.Catalog.Read("mrr_start", q1));
        // Kept: A 1,150 + B 0 + E 100 = 1,250; 1,250 / 1,600 = 0.78125. C's churn and D's return do not count.
        Assert.Equal(0.78125m, Value("net_revenue_retention", q1));
        Assert.Equal(0.21875m, Value("net_revenue_churn", q1));
        // Capped per account: A min(1,000, 1,150) = 1,000, B 0, E 100 → 1,100 / 1,600 = 0.6875.
        Assert.Equal(0.6875m, Value("gross_revenue_retention", q1));
        Assert.Equal(0.3125m, Value("gross_revenue_churn_rate", q1));
        // End: A 1,150 + D 250 + E 100 = 1,500.
        Assert.Equal(1_500m, MetricMeasures.Catalog.Read("mrr_end", q1));
        Assert.Equal(18_000m, Value("annual_recurring_revenue", q1));
    }

    [Fact]
    public void ShouldExcludeCustomersAcquiredInThePeriodFromChurn()
    {
        var q1 = Sum(Q1, "portfolio/exec", RetentionStory());

        // At the start: A, B, E. Lost by the end: B (C came and went, E left and came back, D was not there).
        Assert.Equal(3m, MetricMeasures.Catalog.Read("customers_start", q1));
        Assert.Equal(1m / 3m, Value("customer_churn_rate", q1));
        Assert.Equal(2m / 3m, Value("customer_retention_rate", q1));
        // Only A contracted.
        Assert.Equal(1m / 3m, Value("customer_downgrade_rate", q1));
    }

    [Fact]
    public void ShouldCountARenewedQuarterWithoutFactsAsFullyRetained()
    {
        var q2 = Sum(Q2, "portfolio/exec", RetentionStory());

        // Nothing happened in Q2: start = end = A 1,150 + D 250 + E 100 = 1,500.
        Assert.Equal(1_500m, MetricMeasures.Catalog.Read("mrr_start", q2));
        Assert.Equal(1m, Value("net_revenue_retention", q2));
        Assert.Equal(1m, Value("gross_revenue_retention", q2));
        Assert.Equal(0m, Value("customer_churn_rate", q2));
    }

    [Fact]
    public void ShouldGiveNoValueAndSayWhyForAnEmptyPeriod()
    {
        var empty = Sum(Q3, "portfolio/nobody", RetentionStory());

        var nrr = Evaluate("net_revenue_retention", empty);
        Assert.Null(nrr.Value);
        Assert.Equal("zero denominator: mrr_start", nrr.NullReason);
        Assert.Equal("zero denominator: nps_responses", Evaluate("net_promoter_score", empty).NullReason);
        Assert.Equal("zero denominator: tickets_resolved", Evaluate("average_resolution_time", empty).NullReason);
        Assert.Equal("no values", Evaluate("time_to_value", empty).NullReason);
        Assert.Equal(0m, Value("referral_driven_expansion_revenue", empty));
    }

    [Fact]
    public void ShouldReadEveryMeasureAFormulaUsesIntoItsLineage()
    {
        var q1 = Sum(Q1, "portfolio/exec", RetentionStory());

        var result = Evaluate("net_revenue_retention", q1);

        Assert.Equal(
            [("mrr_start", 1_600m), ("mrr_expansion_existing", 200m), ("mrr_reactivated_existing", 100m), ("mrr_contraction_existing", 50m), ("mrr_churned_existing", 600m)],
            result.Readings.Select(r => (r.Measure, r.Value!.Value)));
    }

    [Fact]
    public void ShouldComputeNpsAsPromotersMinusDetractors()
    {
        var f = new LedgerFacts();
        var ledger = Ledger([f.Created(At(2025, 1, 1)), .. new[] { 10, 10, 9, 7, 0 }.Select(score => f.Survey(SurveyType.Nps, score, At(2025, 2, 1)))]);

        // 3 promoters, 1 passive, 1 detractor: 60 % − 20 % = 40.
        Assert.Equal(40m, Value("net_promoter_score", Sum(Q1, "all", ledger)));
    }

    [Fact]
    public void ShouldComputeSupportKpisFromTickets()
    {
        var f = new LedgerFacts();
        var opened = At(2025, 2, 1);
        var ledger = Ledger(
            f.Created(At(2025, 1, 1)),
            f.Resolved("t1", opened, opened.AddHours(2), contacts: 1),
            f.Resolved("t2", opened, opened.AddHours(4), contacts: 1),
            f.Resolved("t3", opened, opened.AddHours(9), contacts: 3),
            f.Of(FactKind.SupportCost, new SupportCostPayload(300m, "USD", "staff"), At(2025, 2, 28)),
            f.Survey(SurveyType.Csat, 5, opened), f.Survey(SurveyType.Csat, 4, opened), f.Survey(SurveyType.Csat, 2, opened));
        var q1 = Sum(Q1, "all", ledger);

        // (2 + 4 + 9) / 3 = 5 hours; 2 of 3 in one contact; 300 / 3 = 100; 2 of 3 satisfied; (5 + 4 + 2) / 3.
        Assert.Equal(5m, Value("average_resolution_time", q1));
        Assert.Equal(2m / 3m, Value("first_contact_resolution", q1));
        Assert.Equal(100m, Value("cost_per_ticket", q1));
        Assert.Equal(2m / 3m, Value("customer_satisfaction_score", q1));
        Assert.Equal(11m / 3m, Value("average_csat", q1));
    }

    [Fact]
    public void ShouldReportTimeToValueAsTheMedianOverAccounts()
    {
        var ledgers = new[] { 3, 5, 12 }.Select(days =>
        {
            var f = new LedgerFacts();
            return Ledger(f.Created(At(2025, 1, 1)), f.Milestone(Milestones.FirstValue, At(2025, 1, 1).AddDays(days)));
        }).ToArray();

        // Median of 3, 5 and 12 days is 5 days = 120 hours (exact: buckets are one day wide up to a week).
        Assert.Equal(120m, Value("time_to_value", Sum(Q1, "all", ledgers)));
    }

    [Fact]
    public void ShouldComputeAdoptionRatesOverDistinctUsersOfThePeriod()
    {
        var f = new LedgerFacts();
        var ledger = Ledger(
            f.Created(At(2025, 1, 1)),
            f.Mrr(MrrMovement.New, 100m, At(2024, 12, 1)),
            f.Usage("u1", At(2025, 1, 5), "reports"), f.Usage("u1", At(2025, 2, 5), "reports"),
            f.Usage("u2", At(2025, 2, 5)), f.Usage("u3", At(2025, 3, 5)), f.Usage("u4", At(2025, 3, 6), "exports"),
            f.Milestone(Milestones.Activated, At(2025, 1, 6), "u1"),
            f.Milestone(Milestones.OnboardingCompleted, At(2025, 1, 20)));
        var q1 = Sum(Q1, "all", ledger);

        // 4 distinct users over the quarter, 2 of them used a named feature, 1 activated.
        Assert.Equal(0.5m, Value("feature_adoption_rate", q1));
        Assert.Equal(0.25m, Value("activation_rate", q1));
        // Created in the quarter (January 1st) and completed onboarding in it.
        Assert.Equal(1m, Value("onboarding_completion_rate", q1));
        // 2 distinct features over the 1 account using features.
        Assert.Equal(2m, Value("breadth_of_use", q1));
        // 100 × (0.5 × active share 1 + 0.5 × feature share 0.5) = 75.
        Assert.Equal(75m, Value("customer_engagement_score", q1));
    }

    [Fact]
    public void ShouldCompareExpansionWithThePreviousPeriod()
    {
        var f = new LedgerFacts();
        var ledger = Ledger(f.Created(At(2024, 10, 1)), f.Mrr(MrrMovement.New, 1_000m, At(2024, 10, 1)),
            f.Mrr(MrrMovement.Expansion, 100m, At(2024, 11, 1)), f.Mrr(MrrMovement.Expansion, 150m, At(2025, 2, 1)));

        // Q4 2024 expanded 100, Q1 2025 150: (150 − 100) / 100 = 0.5.
        Assert.Equal(0.5m, Value("expansion_revenue_growth_rate", Sum(Q1, "all", ledger), Sum(Q1.Previous, "all", ledger)));
    }

    [Fact]
    public void ShouldCompileEveryBuiltInWithItsDeclaredUnit()
    {
        foreach (var definition in BuiltInMetrics.All.Where(d => d.Kind == Governance.Domain.Metrics.Definitions.DefinitionKind.Formula))
        {
            var result = FormulaCompiler.Compile(definition.Formula!, definition.Unit, MetricMeasures.Catalog);
            Assert.True(result.IsValid, $"{definition.Key}: {string.Join("; ", result.Errors.Select(e => e.Message))}");
        }
    }

    private static decimal? Value(string key, PeriodMeasures current, PeriodMeasures? previous = null) => Evaluate(key, current, previous).Value;

    private static MetricResult Evaluate(string key, PeriodMeasures current, PeriodMeasures? previous = null)
    {
        var definition = BuiltInMetrics.All.Single(d => d.Key == key);
        var formula = FormulaCompiler.Compile(definition.Formula!, definition.Unit, MetricMeasures.Catalog).Formula!;
        return MetricEvaluator.Evaluate(formula, current, previous);
    }

    /// <summary>What a roll-up of <paramref name="target"/> holds for the period: every account's contributions, summed.</summary>
    private static PeriodMeasures Sum(Period period, string target, params AccountLedger[] ledgers)
    {
        var sums = new MonthlyMeasures();
        foreach (var ledger in ledgers)
        {
            foreach (var key in ledger.PeriodsWithData())
            {
                if (ledger.Contributions(key).TryGetValue(target, out var values))
                {
                    sums.Add(key, values);
                }
            }
        }

        return sums.Read(period);
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
