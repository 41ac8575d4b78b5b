using Governance.Abstractions.Security;
using Governance.Api.Tests.Infrastructure;
using static Governance.Api.Tests.Metrics.MetricFacts;

namespace Governance.Api.Tests.Metrics;

/// <summary>Values are live: a late fact or a correction moves them at once. Each test has its own tenant.</summary>
[Collection(ApiCollection.Name)]
public sealed class MetricValueChangeTests(ApiFixture fixture)
{
    private MetricValueApi Api => new(fixture.Host);

    private async Task<(string Integration, string Owner)> NewTenantAsync(string prefix)
    {
        var tenant = ApiFixture.NewTenantId(prefix);
        var integration = await fixture.Host.NewTenantTokenAsync(tenant);
        return (integration, await fixture.Host.NewRoleTokenAsync(tenant, Roles.DataOwner));
    }

    [Fact]
    public async Task ShouldCountALateFactInAClosedMonthInTheQuartersValue()
    {
        var (integration, owner) = await NewTenantAsync("late");
        var scope = new { executive = "exec-late" };
        await Api.IngestAsync(integration,
            Created("late-a", "2024-11-01", "exec-late"), Mrr("late-a", "late-a-new", "NEW", 1_000m, "2024-12-01"),
            Created("late-b", "2024-11-01", "exec-late"), Mrr("late-b", "late-b-new", "NEW", 500m, "2024-12-01"));

        // Before: 1,500 at the start of Q1, nothing moved: everything kept, nobody lost.
        Assert.Equal(1m, (await Api.ValueAsync(owner, "net_revenue_retention", scope, "2025-Q1")).Number());
        Assert.Equal(0m, (await Api.ValueAsync(owner, "customer_churn_rate", scope, "2025-Q1")).Number());

        await Api.ClosePeriodAsync(owner, "2025-01-31");
        var late = await Api.IngestAsync(integration, Mrr("late-b", "late-b-churn", "CHURN", 500m, "2025-01-20"));

        Assert.Equal((1, 1), (late["accepted"]!.GetValue<int>(), late["late"]!.GetValue<int>()));
        // After: b's 500 churned in January. NRR = GRR = (1,500 − 500) / 1,500; churn 1 of 2 customers.
        var nrr = await Api.ValueAsync(owner, "net_revenue_retention", scope, "2025-Q1");
        Assert.Equal(1_000m / 1_500m, nrr.Number());
        Assert.Contains(("mrr_churned_existing", (decimal?)500m), nrr.Measures());
        Assert.Equal(1_000m / 1_500m, (await Api.ValueAsync(owner, "gross_revenue_retention", scope, "2025-Q1")).Number());
        Assert.Equal(0.5m, (await Api.ValueAsync(owner, "customer_churn_rate", scope, "2025-Q1")).Number());
        // January itself (closed) moves too; February starts from a's 1,000 and keeps it.
        Assert.Equal(0.5m, (await Api.ValueAsync(owner, "customer_churn_rate", scope, "2025-01")).Number());
        var february = await Api.ValueAsync(owner, "net_revenue_retention", scope, "2025-02");
        Assert.Equal((1m, ("mrr_start", (decimal?)1_000m)), (february.Number()!.Value, february.Measures()[0]));
    }

    [Fact]
    public async Task ShouldComputeACorrectedFactAsIfTheOriginalNeverHappened()
    {
        var (integration, owner) = await NewTenantAsync("fix");
        // corr-a expands 200 in February; the correction says it really contracted 100 in April.
        // corr-b only ever had the corrected history: its portfolio is what corr-a's must become.
        await Api.IngestAsync(integration,
            Created("corr-a", "2024-10-01", "exec-a"), Mrr("corr-a", "corr-a-new", "NEW", 1_000m, "2024-12-01"),
            Mrr("corr-a", "corr-a-up", "EXPANSION", 200m, "2025-02-10"),
            Created("corr-b", "2024-10-01", "exec-b"), Mrr("corr-b", "corr-b-new", "NEW", 1_000m, "2024-12-01"),
            Mrr("corr-b", "corr-b-down", "CONTRACTION", 100m, "2025-04-05"));
        var a = new { executive = "exec-a" };
        var b = new { executive = "exec-b" };

        // Before: Q1 (1,000 + 200) / 1,000 = 1.2; Q2 starts from 1,200 and keeps it.
        Assert.Equal(1.2m, (await Api.ValueAsync(owner, "net_revenue_retention", a, "2025-Q1")).Number());
        Assert.Equal(1_200m, (await Api.ValueAsync(owner, "net_revenue_retention", a, "2025-Q2")).Measures()[0].Value);

        await Api.IngestAsync(integration, Mrr("corr-a", "corr-a-up-fix", "CONTRACTION", 100m, "2025-04-05", supersedes: "corr-a-up"));

        // After: Q1 nothing moved (1,000 / 1,000 = 1); Q2 starts from 1,000 and contracts 100: 900 / 1,000 = 0.9.
        var q1 = await Api.ValueAsync(owner, "net_revenue_retention", a, "2025-Q1");
        var q2 = await Api.ValueAsync(owner, "net_revenue_retention", a, "2025-Q2");
        Assert.Equal(1m, q1.Number());
        Assert.Equal([("mrr_start", 1_000m), ("mrr_expansion_existing", 0m), ("mrr_reactivated_existing", 0m), ("mrr_contraction_existing", 0m), ("mrr_churned_existing", 0m)], q1.Measures());
        Assert.Equal(0.9m, q2.Number());
        Assert.Equal(("mrr_start", (decimal?)1_000m), q2.Measures()[0]);
        Assert.Equal(0.9m, (await Api.ValueAsync(owner, "gross_revenue_retention", a, "2025-Q2")).Number());
        // No expansion is left in Q1: no account expanded.
        Assert.Equal("zero denominator: customers_expanded", (await Api.ValueAsync(owner, "average_revenue_per_expansion_account", a, "2025-Q1")).Text("nullReason"));
        // Every metric of every grain is what the never-corrected history gives.
        foreach (var period in new[] { "2025-02", "2025-04", "2025-Q1", "2025-Q2", "2025" })
        {
            var corrected = await Api.ValuesAsync(owner, a, period);
            var original = await Api.ValuesAsync(owner, b, period);
            Assert.Equal(
                original.Select(v => (period, v!.Text("key"), v.Number(), v.Text("nullReason"))),
                corrected.Select(v => (period, v!.Text("key"), v.Number(), v.Text("nullReason"))));
        }
    }

    [Fact]
    public async Task ShouldGiveAQuarterWithTheAccountsStartingLevelToWhoeverHoldsItAtItsEnd()
    {
        var (integration, owner) = await NewTenantAsync("move");
        // mv-a pays 1,000 from November 2024 in the CRO's portfolio, moves to the CCO from February 15th and churns on March 10th.
        // mv-b stays with the CRO, paying 500 from November, untouched.
        await Api.IngestAsync(integration,
            Created("mv-a", "2024-10-01", "cro"), Mrr("mv-a", "mv-a-new", "NEW", 1_000m, "2024-11-01"),
            Created("mv-b", "2024-10-01", "cro"), Mrr("mv-b", "mv-b-new", "NEW", 500m, "2024-11-01"),
            new
            {
                source = "crm", externalId = "mv-a-move", accountId = "mv-a", occurredAt = "2025-02-15T00:00:00Z",
                accountAssigned = new { executiveId = "cco", effectiveFrom = "2025-02-15" },
            },
            Mrr("mv-a", "mv-a-churn", "CHURN", 1_000m, "2025-03-10"));
        var cro = new { executive = "cro" };
        var cco = new { executive = "cco" };

        // Q1 belongs to the CCO, who holds mv-a at its end, with its 1,000 at the start: all of it churned.
        var ccoQ1 = await Api.ValueAsync(owner, "net_revenue_retention", cco, "2025-Q1");
        Assert.Equal((0m, ("mrr_start", (decimal?)1_000m)), (ccoQ1.Number()!.Value, ccoQ1.Measures()[0]));
        Assert.Equal(1m, (await Api.ValueAsync(owner, "customer_churn_rate", cco, "2025-Q1")).Number());
        // The CRO keeps mv-b only: 500 kept of 500, nobody lost.
        var croQ1 = await Api.ValueAsync(owner, "net_revenue_retention", cro, "2025-Q1");
        Assert.Equal((1m, ("mrr_start", (decimal?)500m)), (croQ1.Number()!.Value, croQ1.Measures()[0]));
        Assert.Equal(0m, (await Api.ValueAsync(owner, "customer_churn_rate", cro, "2025-Q1")).Number());
        // By month: January the CRO's (1,500 kept); February, whole, the CCO's (1,000 kept); March the CCO's (all lost).
        Assert.Equal(("mrr_start", (decimal?)1_500m), (await Api.ValueAsync(owner, "net_revenue_retention", cro, "2025-01")).Measures()[0]);
        Assert.Equal(("mrr_start", (decimal?)500m), (await Api.ValueAsync(owner, "net_revenue_retention", cro, "2025-02")).Measures()[0]);
        Assert.Equal(1m, (await Api.ValueAsync(owner, "net_revenue_retention", cco, "2025-02")).Number());
        Assert.Equal(0m, (await Api.ValueAsync(owner, "net_revenue_retention", cco, "2025-03")).Number());
        // The tenant sees both throughout: (1,500 − 1,000) / 1,500.
        Assert.Equal(500m / 1_500m, (await Api.ValueAsync(owner, "net_revenue_retention", new { tenant = true }, "2025-Q1")).Number());
    }
}
