using System.Text.Json.Nodes;
using Governance.Abstractions.Security;
using Governance.Api.Findings;
using Governance.Api.Jobs;
using Governance.Api.Tests.Incentives;
using Governance.Api.Tests.Infrastructure;
using Governance.Api.Tests.Metrics;
using Microsoft.Extensions.DependencyInjection;
using static Governance.Api.Tests.Metrics.MetricFacts;

namespace Governance.Api.Tests.Findings;

/// <summary>Reconciliation of two sources' MRR and of a batch's control totals, through the API and the job as the scheduler runs it.</summary>
[Collection(ApiCollection.Name)]
public sealed class DataControlTests(ApiFixture fixture)
{
    private GovernanceHost Host => fixture.Host;

    private MetricValueApi Api => new(fixture.Host);

    private static string Month(int monthsAgo) => DateTime.UtcNow.AddMonths(-monthsAgo).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    private static object CrmMrr(string account, string externalId, string movement, decimal amount, string day) => new
    {
        source = "crm", externalId, accountId = account, occurredAt = day + "T00:00:00Z", mrrChanged = new { movement, amount, currency = "USD" },
    };

    private async Task<JsonArray> FindingsAsync(string token, string kind)
    {
        var response = await Host.GraphQLAsync(token, "query($k: String) { findings(kind: $k) { kind scope period source summary evidence detectedBy } }", new { k = kind });
        response.AssertNoErrors();
        return response.Data!["findings"]!.AsArray();
    }

    [Fact]
    public async Task ShouldRaiseABreakPerAccountAndMonthWhereTwoSourcesDisagreeBeyondTheTolerance()
    {
        var tenant = ApiFixture.NewTenantId("rec");
        var integration = await Host.NewTenantTokenAsync(tenant);
        var (m3, m2) = (Month(3), Month(2));
        await Api.IngestAsync(integration,
            Created("r-a", $"{m3}-01"), Created("r-b", $"{m3}-01"),
            Mrr("r-a", "b-a-1", "NEW", 1_000m, $"{m3}-05"), CrmMrr("r-a", "c-a-1", "NEW", 1_000m, $"{m3}-06"),
            Mrr("r-a", "b-a-2", "EXPANSION", 200m, $"{m2}-10"), CrmMrr("r-a", "c-a-2", "EXPANSION", 190m, $"{m2}-12"),
            Mrr("r-b", "b-b-1", "NEW", 500m, $"{m3}-05"), CrmMrr("r-b", "c-b-1", "NEW", 505m, $"{m3}-07"));
        var owner = await Host.NewRoleTokenAsync(tenant, Roles.DataOwner);
        var rule = await Host.GraphQLAsync(owner, """
            mutation { setReconciliationRule(name: "mrr-billing-crm", leftSource: "billing", rightSource: "crm", relativeTolerance: 0.005, absoluteTolerance: 5, reason: "CRM must match billing") { name version active } }
            """);
        rule.AssertNoErrors();

        var runner = Host.Services.GetRequiredService<TenantJobRunner>();
        await Task.WhenAll(runner.RunAsync(ReconciliationJob.JobName, tenant, CancellationToken.None), runner.RunAsync(ReconciliationJob.JobName, tenant, CancellationToken.None));
        await runner.RunAsync(ReconciliationJob.JobName, tenant, CancellationToken.None);

        // r-a: 1,200 vs 1,190 from its expansion month on: 10 > max(5, 0.005 × 1,200 = 6). r-b: 500 vs 505, within 5. Months up to the last ended one.
        var breaks = await FindingsAsync(owner, "reconciliation");
        var expected = Enumerable.Range(1, 2).Select(Month).Order().ToArray();
        Assert.Equal(expected, breaks.Select(b => b!["period"]!.GetValue<string>()).Order().ToArray());
        Assert.All(breaks, b => Assert.Equal("account:r-a", b!["scope"]!.GetValue<string>()));
        var evidence = JsonNode.Parse(breaks[0]!["evidence"]!.GetValue<string>())!;
        Assert.Equal((1_200m, 1_190m, 6m), (evidence["left"]!.GetValue<decimal>(), evidence["right"]!.GetValue<decimal>(), evidence["allowed"]!.GetValue<decimal>()));
        Assert.Equal("job:reconciliation", breaks[0]!["detectedBy"]!.GetValue<string>());

        Assert.Equal("INVALID_INPUT", MetricValueApi.Code(await Host.GraphQLAsync(owner, """
            mutation { setReconciliationRule(name: "x", leftSource: "crm", rightSource: "crm", relativeTolerance: 0, absoluteTolerance: 0, reason: "r") { name } }
            """)));
        var otherTenant = ApiFixture.NewTenantId("rec-o");
        await Host.CreateTenantAsync(otherTenant);
        var other = await Host.NewRoleTokenAsync(otherTenant, Roles.DataOwner);
        var theirs = await Host.GraphQLAsync(other, "query { reconciliationRules { name } findings(open: false) { summary } }");
        theirs.AssertNoErrors();
        Assert.Empty(theirs.Data!["reconciliationRules"]!.AsArray());
        Assert.Empty(theirs.Data!["findings"]!.AsArray());
    }

    [Fact]
    public async Task ShouldRaiseABreakWhenABatchDoesNotMatchItsControlTotals()
    {
        var tenant = ApiFixture.NewTenantId("ctl");
        var integration = await Host.NewTenantTokenAsync(tenant);
        const string Ingest = """
            mutation($input: IngestFactsInput!) { ingestFacts(input: $input) { batchId accepted } }
            """;
        var facts = new object[] { Created("t-a", "2026-01-01"), Mrr("t-a", "t-a-1", "NEW", 1_000m, "2026-01-05") };

        var matching = await Host.GraphQLAsync(integration, Ingest, new { input = new { facts, controlTotals = new { factCount = 2, mrrAmount = 1_000m } } });
        var breaking = await Host.GraphQLAsync(integration, Ingest, new
        {
            input = new { facts = new object[] { Mrr("t-a", "t-a-2", "EXPANSION", 250m, "2026-02-05") }, controlTotals = new { factCount = 2, mrrAmount = 500m } },
        });

        matching.AssertNoErrors();
        breaking.AssertNoErrors();
        Assert.Equal(1, breaking.Data!["ingestFacts"]!["accepted"]!.GetValue<int>()); // stored all the same
        var owner = await Host.NewRoleTokenAsync(tenant, Roles.DataOwner);
        var found = Assert.Single(await FindingsAsync(owner, "reconciliation"))!;
        Assert.Contains("1 facts arrived, 2 declared", found["summary"]!.GetValue<string>());
        Assert.Contains("MRR amounts 250.00 arrived, 500.00 declared", found["summary"]!.GetValue<string>());
        Assert.Contains(breaking.Data!["ingestFacts"]!["batchId"]!.GetValue<string>(), found["summary"]!.GetValue<string>());
    }
}
