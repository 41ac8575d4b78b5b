using System.Text.Json.Nodes;
using Governance.Abstractions.Security;
using Governance.Api.Tests.Infrastructure;
using Governance.Api.Tests.Metrics;
using static Governance.Api.Tests.Metrics.MetricFacts;

namespace Governance.Api.Tests.Lineage;

/// <summary>
/// Upstream lineage and pins over the retention story (<see cref="MetricFacts.RetentionStory"/>), each
/// test in a tenant of its own. Account A's net revenue retention in 2025-Q1: MRR 1,000 at the start,
/// expansion 200, contraction 50 → 1.15, from three mrr.changed facts (its NEW of November, the level's
/// history, and the two movements of the quarter).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class LineageApiTests(ApiFixture fixture)
{
    private const string Key = "net_revenue_retention";

    private const string LineageQuery = """
        query($key: String!, $scope: MetricScopeInput!, $period: String!, $first: Int, $after: Long) {
          metricLineage(key: $key, scope: $scope, period: $period, first: $first, after: $after) {
            key version formula scope period value measures { measure period value }
            facts { items { factId source externalId accountId kind occurredAt batchId late supersedesFactId } endCursor hasNextPage }
          }
        }
        """;

    private const string PinMutation = """
        mutation($key: String!, $scope: MetricScopeInput!, $period: String!, $reason: String!) {
          pinMetricValue(key: $key, scope: $scope, period: $period, reason: $reason) { pinId key version scope period value factCount digest pinnedBy reason }
        }
        """;

    private const string VerifyQuery = """
        query($pinId: ID!) {
          verifyPinned(pinId: $pinId) {
            unchanged pinnedValue currentValue currentDigest
            addedFacts { factId externalId kind accountId late supersedesFactId }
            removedFacts { factId externalId kind accountId }
          }
        }
        """;

    private MetricValueApi Api => new(fixture.Host);

    private GovernanceHost Host => fixture.Host;

    private async Task<(string Tenant, string Integration, string Admin, string Auditor)> StoryAsync(string prefix)
    {
        var tenant = ApiFixture.NewTenantId(prefix);
        var integration = await Host.NewTenantTokenAsync(tenant);
        await Api.IngestAsync(integration, [.. RetentionStory("l-", "exec-l", "mid"), Nps("l-a", "l-a-nps", 9, "2025-02-01")]);
        return (tenant, integration, await Host.NewRoleTokenAsync(tenant, Roles.TenantAdmin), await Host.NewRoleTokenAsync(tenant, Roles.Auditor));
    }

    private static string[] ExternalIds(JsonNode? facts) => facts!.AsArray().Select(f => f!["externalId"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task ShouldListForAPortfolioOnlyTheAccountsItHeldAtThePeriodsEnd()
    {
        var tenant = ApiFixture.NewTenantId("linx");
        var integration = await Host.NewTenantTokenAsync(tenant);
        await Api.IngestAsync(integration,
            Created("lx-a", "2024-10-01", "cro"), Mrr("lx-a", "lx-a-new", "NEW", 1_000m, "2024-11-01"),
            Created("lx-b", "2024-10-01", "cro"), Mrr("lx-b", "lx-b-new", "NEW", 500m, "2024-11-01"),
            new
            {
                source = "crm", externalId = "lx-b-move", accountId = "lx-b", occurredAt = "2024-12-15T00:00:00Z",
                accountAssigned = new { executiveId = "cco", effectiveFrom = "2024-12-15" },
            },
            Mrr("lx-a", "lx-a-up", "EXPANSION", 100m, "2025-02-01"), Mrr("lx-b", "lx-b-up", "EXPANSION", 50m, "2025-02-01"));
        var auditor = await Host.NewRoleTokenAsync(tenant, Roles.Auditor);

        var cro = await Host.GraphQLAsync(auditor, LineageQuery, new { key = Key, scope = new { executive = "cro" }, period = "2025-Q1", first = 50 });
        var cco = await Host.GraphQLAsync(auditor, LineageQuery, new { key = Key, scope = new { executive = "cco" }, period = "2025-Q1", first = 50 });

        cro.AssertNoErrors();
        cco.AssertNoErrors();
        // lx-b left the CRO's portfolio in December: its facts explain the CCO's Q1, not the CRO's (1,100 / 1,000 and 550 / 500).
        Assert.Equal(["lx-a-new", "lx-a-up"], ExternalIds(cro.Data!["metricLineage"]!["facts"]!["items"]));
        Assert.Equal(1.1m, cro.Data["metricLineage"]!["value"]!.GetValue<decimal>());
        Assert.Equal(["lx-b-new", "lx-b-up"], ExternalIds(cco.Data!["metricLineage"]!["facts"]!["items"]));
        Assert.Equal(1.1m, cco.Data["metricLineage"]!["value"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task ShouldShowTheDefinitionMeasuresAndFactsBehindAValuePageByPage()
    {
        var (_, _, _, auditor) = await StoryAsync("lin");
        var scope = new { account = "l-a" };

        var first = await Host.GraphQLAsync(auditor, LineageQuery, new { key = Key, scope, period = "2025-Q1", first = 2 });
        first.AssertNoErrors();
        var lineage = first.Data!["metricLineage"]!;
        Assert.Equal((Key, 1, 1.15m), (lineage["key"]!.GetValue<string>(), lineage["version"]!.GetValue<int>(), lineage["value"]!.GetValue<decimal>()));
        Assert.False(string.IsNullOrEmpty(lineage["formula"]!.GetValue<string>()));
        Assert.Contains(lineage["measures"]!.AsArray(), m => m!["measure"]!.GetValue<string>() == "mrr_start" && m["value"]!.GetValue<decimal>() == 1_000m);
        var page = lineage["facts"]!;
        // The level reads A's NEW of November; the quarter's movements follow. Not the NPS answer, not account.created, not other accounts.
        Assert.Equal(["l-a-new", "l-a-up"], ExternalIds(page["items"]));
        Assert.True(page["hasNextPage"]!.GetValue<bool>());
        var item = page["items"]![0]!;
        Assert.Equal(("billing", "l-a", "mrr.changed", false), (item["source"]!.GetValue<string>(), item["accountId"]!.GetValue<string>(), item["kind"]!.GetValue<string>(), item["late"]!.GetValue<bool>()));
        Assert.NotNull(item["batchId"]);

        var second = await Host.GraphQLAsync(auditor, LineageQuery, new { key = Key, scope, period = "2025-Q1", first = 2, after = page["endCursor"]!.GetValue<long>() });
        second.AssertNoErrors();
        Assert.Equal(["l-a-down"], ExternalIds(second.Data!["metricLineage"]!["facts"]!["items"]));
        Assert.False(second.Data!["metricLineage"]!["facts"]!["hasNextPage"]!.GetValue<bool>());

        // A portfolio: the facts of all five accounts the quarter's NRR reads (every MRR fact up to the quarter's end).
        var portfolio = await Host.GraphQLAsync(auditor, LineageQuery, new { key = Key, scope = new { executive = "exec-l" }, period = "2025-Q1", first = 200 });
        portfolio.AssertNoErrors();
        Assert.Equal(13, portfolio.Data!["metricLineage"]!["facts"]!["items"]!.AsArray().Count);

        var tooMany = await Host.GraphQLAsync(auditor, LineageQuery, new { key = Key, scope, period = "2025-Q1", first = 201 });
        Assert.Equal("INVALID_INPUT", MetricValueApi.Code(tooMany));
    }

    [Fact]
    public async Task ShouldVerifyAPinAsUnchangedThenListALateFactAndACorrection()
    {
        var (_, integration, admin, auditor) = await StoryAsync("pin");
        var scope = new { account = "l-a" };

        var pinned = await Host.GraphQLAsync(auditor, PinMutation, new { key = Key, scope, period = "2025-Q1", reason = "Q1 bonus basis" });
        pinned.AssertNoErrors();
        var pin = pinned.Data!["pinMetricValue"]!;
        Assert.Equal((1.15m, 3, "account:l-a", "2025-Q1"), (pin["value"]!.GetValue<decimal>(), pin["factCount"]!.GetValue<int>(), pin["scope"]!.GetValue<string>(), pin["period"]!.GetValue<string>()));
        var pinId = pin["pinId"]!.GetValue<string>();

        var verified = await VerifyAsync(auditor, pinId);
        Assert.True(verified["unchanged"]!.GetValue<bool>());
        Assert.Equal(pin["digest"]!.GetValue<string>(), verified["currentDigest"]!.GetValue<string>());
        Assert.Empty(verified["addedFacts"]!.AsArray());

        // The pin is audited.
        var audit = await Host.GraphQLAsync(auditor, """query { auditEntries(action: "metric_value.pinned") { action subject reason } }""");
        audit.AssertNoErrors();
        Assert.Equal($"pin:{pinId}", audit.Data!["auditEntries"]![0]!["subject"]!.GetValue<string>());

        // A late expansion of 100 in closed February: the value moves to 1.25 and exactly that fact is added.
        await Api.ClosePeriodAsync(admin, "2025-02-01");
        var ingested = await Api.IngestAsync(integration, Mrr("l-a", "l-a-late", "EXPANSION", 100m, "2025-02-15"));
        Assert.Equal(1, ingested["late"]!.GetValue<int>());
        var afterLate = await VerifyAsync(auditor, pinId);
        Assert.False(afterLate["unchanged"]!.GetValue<bool>());
        Assert.Equal((1.15m, 1.25m), (afterLate["pinnedValue"]!.GetValue<decimal>(), afterLate["currentValue"]!.GetValue<decimal>()));
        Assert.Equal(["l-a-late"], ExternalIds(afterLate["addedFacts"]));
        Assert.True(afterLate["addedFacts"]![0]!["late"]!.GetValue<bool>());
        Assert.Empty(afterLate["removedFacts"]!.AsArray());

        // A correction of the contraction (50 → 80): the correcting fact is added, pointing at the one it
        // supersedes; the superseded fact stays in the set (facts are never removed), so nothing is removed.
        await Api.IngestAsync(integration, Mrr("l-a", "l-a-down-fix", "CONTRACTION", 80m, "2025-03-10", supersedes: "l-a-down"));
        var afterFix = await VerifyAsync(auditor, pinId);
        Assert.Equal(["l-a-late", "l-a-down-fix"], ExternalIds(afterFix["addedFacts"]));
        Assert.NotNull(afterFix["addedFacts"]![1]!["supersedesFactId"]);
        Assert.Empty(afterFix["removedFacts"]!.AsArray());
        Assert.Equal(1.22m, afterFix["currentValue"]!.GetValue<decimal>());

        // Another tenant sees no such pin.
        var otherTenant = ApiFixture.NewTenantId("pin2");
        await Host.NewTenantTokenAsync(otherTenant);
        var other = await Host.NewRoleTokenAsync(otherTenant, Roles.Auditor);
        var foreign = await Host.GraphQLAsync(other, VerifyQuery, new { pinId });
        Assert.Equal("NOT_FOUND", MetricValueApi.Code(foreign));
    }

    [Fact]
    public async Task ShouldListTheValuesAFactFeedsAndExportAPinAsOpenLineage()
    {
        var (tenant, _, _, auditor) = await StoryAsync("down");
        var lineage = await Host.GraphQLAsync(auditor, LineageQuery, new { key = Key, scope = new { account = "l-a" }, period = "2025-Q1", first = 200 });
        lineage.AssertNoErrors();
        var up = lineage.Data!["metricLineage"]!["facts"]!["items"]!.AsArray().Single(f => f!["externalId"]!.GetValue<string>() == "l-a-up")!;

        var down = await Host.GraphQLAsync(auditor, "query($id: Long!) { factLineage(factId: $id) { fact { externalId } values { key version scope period measures } } }",
            new { id = up["factId"]!.GetValue<long>() });
        down.AssertNoErrors();
        var values = down.Data!["factLineage"]!["values"]!.AsArray();
        var nrr = values.Where(v => v!["key"]!.GetValue<string>() == Key).Select(v => (v!["scope"]!.GetValue<string>(), v["period"]!.GetValue<string>())).ToHashSet();
        foreach (var scope in new[] { "account:l-a", "executive:exec-l", "segment:mid", "tenant" })
        {
            foreach (var period in new[] { "2025-01", "2025-Q1", "2025" })
            {
                Assert.Contains((scope, period), nrr);
            }
        }

        Assert.DoesNotContain(values, v => v!["key"]!.GetValue<string>() == "net_promoter_score");

        var pinned = await Host.GraphQLAsync(auditor, PinMutation, new { key = Key, scope = new { account = "l-a" }, period = "2025-Q1", reason = "export" });
        pinned.AssertNoErrors();
        var pinId = pinned.Data!["pinMetricValue"]!["pinId"]!.GetValue<string>();
        var exported = await Host.GraphQLAsync(auditor, "query($pinId: ID!) { openLineageEvent(pinId: $pinId) }", new { pinId });
        exported.AssertNoErrors();
        var json = JsonNode.Parse(exported.Data!["openLineageEvent"]!.GetValue<string>())!;
        Assert.Equal("COMPLETE", json["eventType"]!.GetValue<string>());
        Assert.Equal(("governance", Key), (json["job"]!["namespace"]!.GetValue<string>(), json["job"]!["name"]!.GetValue<string>()));
        Assert.Equal(pinId, json["run"]!["runId"]!.GetValue<string>());
        var facet = json["run"]!["facets"]!["governance_definitionVersion"]!;
        Assert.Equal((Key, 1), (facet["key"]!.GetValue<string>(), facet["version"]!.GetValue<int>()));
        Assert.False(string.IsNullOrEmpty(facet["formula"]!.GetValue<string>()));
        Assert.Equal(("governance/facts", tenant), (json["inputs"]![0]!["namespace"]!.GetValue<string>(), json["inputs"]![0]!["name"]!.GetValue<string>()));
        Assert.Equal($"metric/{Key}/account:l-a/2025-Q1", json["outputs"]![0]!["name"]!.GetValue<string>());
    }

    private async Task<JsonNode> VerifyAsync(string token, string pinId)
    {
        var response = await Host.GraphQLAsync(token, VerifyQuery, new { pinId });
        response.AssertNoErrors();
        return response.Data!["verifyPinned"]!;
    }
}
