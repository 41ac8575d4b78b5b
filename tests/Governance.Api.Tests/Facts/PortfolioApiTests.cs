using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Facts;

[Collection(ApiCollection.Name)]
public sealed class PortfolioApiTests(ApiFixture fixture)
{
    private const string Ingest = "mutation($input: IngestFactsInput!) { ingestFacts(input: $input) { accepted } }";

    private const string Rollups = """
        query($exec: ID!) {
          portfolio(executiveId: $exec) { scope accounts months(from: "2026-01", to: "2026-04") { month measures { measure value } } }
          tenantRollup { accounts months(from: "2026-01", to: "2026-04") { month measures { measure value } } }
        }
        """;

    private GovernanceHost Host => fixture.Host;

    private static object Created(string account, string? owner) => new
    {
        source = "crm", externalId = $"c-{account}", accountId = account, occurredAt = "2026-01-02T00:00:00Z",
        accountCreated = new { name = account, ownerExecutiveId = owner },
    };

    private static object NewMrr(string account, decimal amount, string month) => new
    {
        source = "billing", externalId = $"m-{account}-{month}", accountId = account, occurredAt = $"{month}-15T00:00:00Z",
        mrrChanged = new { movement = month == "2026-01" ? "NEW" : "EXPANSION", amount, currency = "EUR" },
    };

    private static Dictionary<string, decimal> Mrr(System.Text.Json.Nodes.JsonNode rollup) =>
        rollup["months"]!.AsArray().ToDictionary(
            m => m!["month"]!.GetValue<string>(),
            m => m!["measures"]!.AsArray().Where(x => x!["measure"]!.GetValue<string>() is "MRR_NEW" or "MRR_EXPANSION").Sum(x => x!["value"]!.GetValue<decimal>()));

    [Fact]
    public async Task ShouldSumAPortfolioByOwnerMonthByMonthAcrossAReassignment()
    {
        var token = await Host.NewTenantTokenAsync(ApiFixture.NewTenantId());
        (await Host.GraphQLAsync(token, Ingest, new { input = new { facts = new[]
        {
            Created("a", "cro"), Created("b", "cro"), Created("c", null),
            NewMrr("a", 100m, "2026-01"), NewMrr("b", 50m, "2026-01"), NewMrr("c", 10m, "2026-01"),
            NewMrr("a", 1m, "2026-02"), NewMrr("b", 2m, "2026-03"), NewMrr("a", 4m, "2026-04"),
        } } })).AssertNoErrors();

        // b moves to the CCO from mid-March: March and April are no longer the CRO's.
        (await Host.GraphQLAsync(token, Ingest, new { input = new { facts = new object[]
        {
            new { source = "crm", externalId = "move-b", accountId = "b", occurredAt = "2026-03-16T00:00:00Z",
                  accountAssigned = new { executiveId = "cco", effectiveFrom = "2026-03-16" } },
        } } })).AssertNoErrors();

        var cro = await Host.GraphQLAsync(token, Rollups, new { exec = "cro" });
        var cco = await Host.GraphQLAsync(token, Rollups, new { exec = "cco" });

        cro.AssertNoErrors();
        cco.AssertNoErrors();
        Assert.Equal(new Dictionary<string, decimal> { ["2026-01"] = 150m, ["2026-02"] = 1m, ["2026-03"] = 0m, ["2026-04"] = 4m }, Mrr(cro.Data!["portfolio"]!));
        Assert.Equal(new Dictionary<string, decimal> { ["2026-01"] = 0m, ["2026-02"] = 0m, ["2026-03"] = 2m, ["2026-04"] = 0m }, Mrr(cco.Data!["portfolio"]!));
        Assert.Equal(new Dictionary<string, decimal> { ["2026-01"] = 160m, ["2026-02"] = 1m, ["2026-03"] = 2m, ["2026-04"] = 4m }, Mrr(cro.Data["tenantRollup"]!));
        Assert.Equal(3, cro.Data["tenantRollup"]!["accounts"]!.GetValue<int>());
    }

    [Fact]
    public async Task ShouldShowAnotherTenantNothingOfThisTenantsPortfolios()
    {
        var first = await Host.NewTenantTokenAsync(ApiFixture.NewTenantId("a"));
        var second = await Host.NewTenantTokenAsync(ApiFixture.NewTenantId("b"));
        (await Host.GraphQLAsync(first, Ingest, new { input = new { facts = new[] { Created("a", "cro"), NewMrr("a", 100m, "2026-01") } } })).AssertNoErrors();

        var seen = await Host.GraphQLAsync(second, Rollups, new { exec = "cro" });

        seen.AssertNoErrors();
        Assert.Equal(0, seen.Data!["portfolio"]!["accounts"]!.GetValue<int>());
        Assert.All(Mrr(seen.Data["portfolio"]!).Values, v => Assert.Equal(0m, v));
        Assert.All(Mrr(seen.Data["tenantRollup"]!).Values, v => Assert.Equal(0m, v));
    }
}
