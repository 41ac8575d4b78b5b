using Governance.Abstractions;
using Governance.Abstractions.Accounts;
using Governance.Abstractions.Facts;
using Governance.Abstractions.Portfolios;
using Governance.Domain.Facts;
using Governance.Domain.Measures;
using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Catalog;
using Governance.Domain.Metrics.Formulas;
using Governance.Domain.Metrics.Values;

namespace Governance.Grains.Tests.Portfolios;

/// <summary>
/// A portfolio's metric values, read from its roll-up grain, equal the same KPIs computed straight
/// from the raw facts of the accounts it holds at the end of each period, written here without the
/// ledger, the measures or the formula language: per account levels and flows, then the textbook
/// definitions (docs/metrics.md).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PortfolioMetricPropertyTests(ClusterFixture fixture)
{
    private static readonly string[] Executives = ["cro", "cco"];
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public async Task ShouldEqualTheKpisComputedOverTheUnionOfItsAccountsFacts(int seed)
    {
        var tenant = $"t{Guid.NewGuid():N}"[..20];
        var stored = new List<FactMessage>();
        foreach (var batch in RandomBatches(seed, accounts: 10))
        {
            var facts = await fixture.StoreAsync(tenant, batch);
            stored.AddRange(facts);
            await Task.WhenAll(facts.GroupBy(f => f.AccountId).Select(g =>
                fixture.Cluster.GrainFactory.GetGrain<IAccountGrain>(GrainKeys.Account(tenant, g.Key)).ApplyAsync(g.ToList())));
        }

        var effective = Effective(stored);
        var periods = new[] { Period.Quarter(2025, 1), Period.Quarter(2025, 2), Period.Quarter(2025, 3), Period.Quarter(2025, 4), Period.OfYear(2025), Period.Month(2025, 5), Period.Month(2025, 11) };
        foreach (var executive in Executives)
        {
            var rollup = fixture.Cluster.GrainFactory.GetGrain<IRollupGrain>(GrainKeys.Portfolio(tenant, executive));
            var snapshots = await rollup.GetPeriodsAsync(periods.Select(p => p.Key).ToList());
            foreach (var snapshot in snapshots)
            {
                var period = Period.FromKey(snapshot.Period);
                var measures = new PeriodMeasures(period, snapshot.Values, snapshot.MrrStart, snapshot.MrrEnd, snapshot.CustomersStart, snapshot.CustomersEnd);
                var expected = Oracle.Compute(effective, executive, period);
                var label = $"{executive} {period}";

                Assert.True(expected.Nrr == Value("net_revenue_retention", measures), $"{label} NRR: expected {expected.Nrr}, got {Value("net_revenue_retention", measures)}");
                Assert.True(expected.Grr == Value("gross_revenue_retention", measures), $"{label} GRR: expected {expected.Grr}, got {Value("gross_revenue_retention", measures)}");
                Assert.True(expected.ChurnRate == Value("customer_churn_rate", measures), $"{label} churn: expected {expected.ChurnRate}, got {Value("customer_churn_rate", measures)}");
                Assert.True(expected.Nps == Value("net_promoter_score", measures), $"{label} NPS: expected {expected.Nps}, got {Value("net_promoter_score", measures)}");
                Assert.True(expected.FeatureAdoption == Value("feature_adoption_rate", measures), $"{label} feature adoption: expected {expected.FeatureAdoption}, got {Value("feature_adoption_rate", measures)}");
                Assert.True(expected.MrrEnd == Value("annual_recurring_revenue", measures) / 12, $"{label} MRR at end");
            }
        }
    }

    private static decimal? Value(string key, PeriodMeasures measures)
    {
        var definition = BuiltInMetrics.All.Single(d => d.Key == key);
        var formula = FormulaCompiler.Compile(definition.Formula!, definition.Unit, MetricMeasures.Catalog).Formula!;
        return MetricEvaluator.Evaluate(formula, measures, null).Value;
    }

    /// <summary>The facts that count: every stored fact except those a later correction replaced.</summary>
    private static List<FactMessage> Effective(List<FactMessage> stored)
    {
        var superseded = stored.Where(f => f.Supersedes is not null).Select(f => f.Supersedes!.FactId).ToHashSet();
        return stored.Where(f => !superseded.Contains(f.FactId)).ToList();
    }

    private static List<List<FactDraft>> RandomBatches(int seed, int accounts)
    {
        var random = new Random(seed);
        var batches = new List<List<FactDraft>>
        {
            Enumerable.Range(0, accounts).Select(a => new FactDraft("crm", $"c{a}", $"acc-{a}", Start.AddDays(-200), null, FactKind.AccountCreated,
                new AccountCreatedPayload($"Customer {a}", null, Executives[random.Next(Executives.Length)]))).ToList(),
        };
        var mrrFacts = new List<(string Id, string Account, DateTimeOffset At)>();
        var n = 0;
        for (var b = 0; b < 6; b++)
        {
            var batch = new List<FactDraft>();
            for (var i = 0; i < 50; i++)
            {
                var account = $"acc-{random.Next(accounts)}";
                var at = Start.AddDays(random.Next(-180, 365));
                var id = $"f{seed}-{n++}";
                switch (random.Next(7))
                {
                    case 0 or 1:
                        batch.Add(new FactDraft("billing", id, account, at, null, FactKind.MrrChanged,
                            new MrrChangedPayload((MrrMovement)random.Next(5), random.Next(1, 2_000) + 0.25m, "USD")));
                        mrrFacts.Add((id, account, at));
                        break;
                    case 2:
                        batch.Add(new FactDraft("app", id, account, at, null, FactKind.UsageRecorded,
                            new UsageRecordedPayload($"u{random.Next(4)}", "login", random.Next(2) == 0 ? "reports" : null, 1)));
                        break;
                    case 3:
                        batch.Add(new FactDraft("surveys", id, account, at, null, FactKind.SurveyResponded, new SurveyRespondedPayload(SurveyType.Nps, random.Next(11), null)));
                        break;
                    case 4:
                        batch.Add(new FactDraft("crm", id, account, at, null, FactKind.AccountAssigned,
                            new AccountAssignedPayload(Executives[random.Next(Executives.Length)], DateOnly.FromDateTime(at.UtcDateTime))));
                        break;
                    case 5 when mrrFacts.Count > 0 && b > 0:
                        // A correction of an earlier MRR fact of a previous batch: another movement, amount and month.
                        var (originalId, originalAccount, _) = mrrFacts[random.Next(mrrFacts.Count)];
                        if (batches.Any(x => x.Any(f => f.Supersedes == originalId)) || batch.Any(f => f.Supersedes == originalId || f.ExternalId == originalId))
                        {
                            break;
                        }

                        batch.Add(new FactDraft("billing", id, originalAccount, at, originalId, FactKind.MrrChanged,
                            new MrrChangedPayload((MrrMovement)random.Next(5), random.Next(1, 2_000) + 0.5m, "USD")));
                        break;
                    default:
                        batch.Add(new FactDraft("app", id, account, at, null, FactKind.UsageRecorded, new UsageRecordedPayload($"u{random.Next(4)}", "view", null, 2)));
                        break;
                }
            }

            batches.Add(batch);
        }

        return batches;
    }

    /// <summary>The KPIs from raw facts, the long way.</summary>
    private static class Oracle
    {
        public sealed record Kpis(decimal? Nrr, decimal? Grr, decimal? ChurnRate, decimal? Nps, decimal? FeatureAdoption, decimal MrrEnd);

        public static Kpis Compute(List<FactMessage> facts, string executive, Period period)
        {
            var first = MonthKey.Start(period.FirstMonth);
            var end = MonthKey.Start(period.LastMonth + 1);
            decimal start = 0, kept = 0, retained = 0, endMrr = 0;
            long customersStart = 0, lost = 0, promoters = 0, detractors = 0, responses = 0, activeUsers = 0, featureUsers = 0;
            foreach (var account in facts.GroupBy(f => f.AccountId))
            {
                if (OwnerAt(account, period.LastMonth) != executive)
                {
                    continue;
                }

                var mrr = account.Where(f => f.Kind == "mrr.changed").Select(f => (f.OccurredAt, Payload: (MrrChangedPayload)Parse(f))).ToList();
                decimal Level(DateTimeOffset before) => mrr.Where(m => m.OccurredAt < before).Sum(m => Signed(m.Payload));
                long Customers(DateTimeOffset before) => mrr.Where(m => m.OccurredAt < before).Sum(m => m.Payload.Movement switch
                {
                    MrrMovement.New or MrrMovement.Reactivation => 1L,
                    MrrMovement.Churn => -1L,
                    _ => 0L,
                });

                var (s, e) = (Level(first), Level(end));
                start += s;
                endMrr += e;
                // Net revenue retention leaves new business out, even a NEW movement of a customer already paying.
                var newInPeriod = mrr.Where(m => m.OccurredAt >= first && m.OccurredAt < end && m.Payload.Movement == MrrMovement.New).Sum(m => m.Payload.Amount);
                // An account not paying at the start adds its start level to both sides: zero, or below zero
                // when its facts are inconsistent (churn without a sale), which the data-quality jobs flag.
                kept += s > 0 ? e - newInPeriod : s;
                retained += Math.Min(s, e);
                customersStart += Customers(first);
                lost += Math.Max(0, Customers(first) - Customers(end));

                var inPeriod = account.Where(f => f.OccurredAt >= first && f.OccurredAt < end).ToList();
                foreach (var survey in inPeriod.Where(f => f.Kind == "survey.responded").Select(f => (SurveyRespondedPayload)Parse(f)))
                {
                    responses++;
                    promoters += survey.Score >= 9 ? 1 : 0;
                    detractors += survey.Score <= 6 ? 1 : 0;
                }

                var usage = inPeriod.Where(f => f.Kind == "usage.recorded").Select(f => (UsageRecordedPayload)Parse(f)).ToList();
                activeUsers += usage.Select(u => u.UserId).Distinct().Count();
                featureUsers += usage.Where(u => u.Feature is not null).Select(u => u.UserId).Distinct().Count();
            }

            return new Kpis(
                start == 0 ? null : kept / start,
                start == 0 ? null : retained / start,
                customersStart == 0 ? null : (decimal)lost / customersStart,
                responses == 0 ? null : 100m * (promoters - detractors) / responses,
                activeUsers == 0 ? null : (decimal)featureUsers / activeUsers,
                endMrr);
        }

        /// <summary>The executive holding the account in a month: the latest assignment effective by then (ties: the later fact).</summary>
        private static string? OwnerAt(IEnumerable<FactMessage> account, int month) => account
            .Select(f => f.Kind switch
            {
                "account.created" when Parse(f) is AccountCreatedPayload { OwnerExecutiveId: { } owner } => (Owner: owner, Month: MonthKey.Of(f.OccurredAt), f.FactId),
                "account.assigned" when Parse(f) is AccountAssignedPayload assigned => (Owner: assigned.ExecutiveId, Month: MonthKey.Of(assigned.EffectiveFrom), f.FactId),
                _ => (Owner: (string?)null, Month: int.MaxValue, f.FactId),
            })
            .Where(a => a.Owner is not null && a.Month <= month)
            .OrderBy(a => a.Month).ThenBy(a => a.FactId)
            .LastOrDefault().Owner;

        private static decimal Signed(MrrChangedPayload p) => p.Movement is MrrMovement.Contraction or MrrMovement.Churn ? -p.Amount : p.Amount;

        private static FactPayload Parse(FactMessage fact) => FactPayloads.FromJson(FactKinds.Parse(fact.Kind), fact.PayloadJson);
    }
}
