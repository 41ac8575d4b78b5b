using System.Text.Json.Nodes;
using Governance.Abstractions.Security;
using Governance.Api.Tests.Infrastructure;
using Governance.Api.Tests.Metrics;
using Npgsql;
using static Governance.Api.Tests.Metrics.MetricFacts;

namespace Governance.Api.Tests.Lineage;

/// <summary>
/// Run-scoped lineage: a pin explained as it was computed then, over the retention story (account A's
/// 2025-Q1 NRR of 1.15: MRR 1,000 at the start, expansion 200, contraction 50, from l-a-new, l-a-up and
/// l-a-down), each test in a tenant of its own.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class PinnedLineageApiTests(ApiFixture fixture)
{
    private const string Key = "net_revenue_retention";

    private const string PinnedQuery = """
        query($pinId: ID!, $first: Int, $after: Long) {
          pinnedLineage(pinId: $pinId, first: $first, after: $after) {
            pin { pinId key version scope period value pinnedBy pinnedAt digest factCount measuresRecorded measures { measure period value } }
            formula
            facts { items { factId externalId kind supersedesFactId correctedByFactId } endCursor hasNextPage }
          }
        }
        """;

    private const string LineageQuery = """
        query($key: String!, $scope: MetricScopeInput!, $period: String!) {
          metricLineage(key: $key, scope: $scope, period: $period, first: 200) {
            value measures { measure value }
            facts { items { factId externalId supersedesFactId correctedByFactId } }
          }
        }
        """;

    private const string PinMutation = """
        mutation($key: String!, $scope: MetricScopeInput!, $period: String!, $reason: String!) {
          pinMetricValue(key: $key, scope: $scope, period: $period, reason: $reason) { pinId value digest pinnedAt measuresRecorded measures { measure value } }
        }
        """;

    private static readonly object ScopeA = new { account = "l-a" };

    private MetricValueApi Api => new(fixture.Host);

    private GovernanceHost Host => fixture.Host;

    [Fact]
    public async Task ShouldExplainAPinAsComputedThenAfterACorrectionAndANewFactChangedTheValue()
    {
        var (_, integration, auditor) = await StoryAsync("pl");
        var pinned = await Host.GraphQLAsync(auditor, PinMutation, new { key = Key, scope = ScopeA, period = "2025-Q1", reason = "Q1 bonus basis" });
        pinned.AssertNoErrors();
        var pinId = pinned.Data!["pinMetricValue"]!["pinId"]!.GetValue<string>();
        Assert.True(pinned.Data["pinMetricValue"]!["measuresRecorded"]!.GetValue<bool>());

        // The contraction is corrected (50 → 80) and a new expansion of 100 arrives: NRR is 1.22 now.
        await Api.IngestAsync(integration,
            Mrr("l-a", "l-a-down-fix", "CONTRACTION", 80m, "2025-02-10", supersedes: "l-a-down"),
            Mrr("l-a", "l-a-more", "EXPANSION", 100m, "2025-03-01"));

        var now = await Host.GraphQLAsync(auditor, LineageQuery, new { key = Key, scope = ScopeA, period = "2025-Q1" });
        now.AssertNoErrors();
        var current = now.Data!["metricLineage"]!;
        Assert.Equal(1.22m, current["value"]!.GetValue<decimal>());
        Assert.Equal(["l-a-new", "l-a-up", "l-a-down", "l-a-down-fix", "l-a-more"], ExternalIds(current["facts"]!["items"]));
        Assert.Equal(300m, Measure(current, "mrr_expansion_existing"));
        var fixId = FactId(current["facts"]!["items"], "l-a-down-fix");

        // The pin still answers the run it recorded: its value, its measures, its three facts, page by page.
        var first = await PinnedAsync(auditor, new { pinId, first = 2 });
        var pin = first["pin"]!;
        Assert.Equal((Key, 1, "account:l-a", "2025-Q1", 1.15m), (pin["key"]!.GetValue<string>(), pin["version"]!.GetValue<int>(),
            pin["scope"]!.GetValue<string>(), pin["period"]!.GetValue<string>(), pin["value"]!.GetValue<decimal>()));
        Assert.Equal(pinned.Data["pinMetricValue"]!["digest"]!.GetValue<string>(), pin["digest"]!.GetValue<string>());
        Assert.Equal(pinned.Data["pinMetricValue"]!["pinnedAt"]!.GetValue<string>(), pin["pinnedAt"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(pin["pinnedBy"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(first["formula"]!.GetValue<string>()));
        Assert.Equal(3, pin["factCount"]!.GetValue<int>());
        Assert.True(pin["measuresRecorded"]!.GetValue<bool>());
        Assert.Equal((1_000m, 200m, 50m), (Measure(pin, "mrr_start"), Measure(pin, "mrr_expansion_existing"), Measure(pin, "mrr_contraction_existing")));
        Assert.All(pin["measures"]!.AsArray(), m => Assert.Equal("2025-Q1", m!["period"]!.GetValue<string>()));
        Assert.Equal(["l-a-new", "l-a-up"], ExternalIds(first["facts"]!["items"]));
        Assert.True(first["facts"]!["hasNextPage"]!.GetValue<bool>());

        var second = await PinnedAsync(auditor, new { pinId, first = 2, after = first["facts"]!["endCursor"]!.GetValue<long>() });
        var down = Assert.Single(second["facts"]!["items"]!.AsArray())!;
        Assert.False(second["facts"]!["hasNextPage"]!.GetValue<bool>());
        // The superseded contraction, exactly as the run read it, marked as corrected since.
        Assert.Equal("l-a-down", down["externalId"]!.GetValue<string>());
        Assert.Null(down["supersedesFactId"]);
        Assert.Equal(fixId, down["correctedByFactId"]!.GetValue<long>());
    }

    [Fact]
    public async Task ShouldAnswerAPinMadeBeforeMeasuresWereKeptWithNoMeasures()
    {
        var (tenant, _, auditor) = await StoryAsync("plo");
        var lineage = await Host.GraphQLAsync(auditor, LineageQuery, new { key = Key, scope = ScopeA, period = "2025-Q1" });
        lineage.AssertNoErrors();
        var factIds = lineage.Data!["metricLineage"]!["facts"]!["items"]!.AsArray().Select(f => f!["factId"]!.GetValue<long>()).ToArray();

        // As migration 0014 stored it: no measures column value.
        var pinId = Guid.NewGuid();
        await using (var connection = fixture.Database.Open())
        await using (var insert = new NpgsqlCommand(
            """
            insert into metric_pins (tenant_id, pin_id, key, version, scope, period, value, fact_ids, digest, pinned_by, pinned_at, reason)
            values ($1, $2, $3, 1, 'account:l-a', '2025-Q1', 1.15, $4, $5, 'before-0015', now(), 'old pin')
            """, connection))
        {
            insert.Parameters.Add(new() { Value = tenant });
            insert.Parameters.Add(new() { Value = pinId });
            insert.Parameters.Add(new() { Value = Key });
            insert.Parameters.Add(new() { Value = factIds });
            insert.Parameters.Add(new() { Value = new byte[32] });
            await insert.ExecuteNonQueryAsync();
        }

        var old = await PinnedAsync(auditor, new { pinId = pinId.ToString() });
        Assert.False(old["pin"]!["measuresRecorded"]!.GetValue<bool>());
        Assert.Empty(old["pin"]!["measures"]!.AsArray());
        Assert.Equal(["l-a-new", "l-a-up", "l-a-down"], ExternalIds(old["facts"]!["items"]));
    }

    [Fact]
    public async Task ShouldHideAnotherTenantsPinAndNameTheBadArgument()
    {
        var (_, _, auditor) = await StoryAsync("plx");
        var pinned = await Host.GraphQLAsync(auditor, PinMutation, new { key = Key, scope = ScopeA, period = "2025-Q1", reason = "cross-tenant" });
        pinned.AssertNoErrors();
        var pinId = pinned.Data!["pinMetricValue"]!["pinId"]!.GetValue<string>();
        var otherTenant = ApiFixture.NewTenantId("plx2");
        await Host.NewTenantTokenAsync(otherTenant);
        var other = await Host.NewRoleTokenAsync(otherTenant, Roles.Auditor);

        var foreign = await Host.GraphQLAsync(other, PinnedQuery, new { pinId });
        var unknown = await Host.GraphQLAsync(auditor, PinnedQuery, new { pinId = Guid.NewGuid().ToString() });
        var badId = await Host.GraphQLAsync(auditor, PinnedQuery, new { pinId = "not-a-pin" });
        var tooMany = await Host.GraphQLAsync(auditor, PinnedQuery, new { pinId, first = 201 });
        var none = await Host.GraphQLAsync(auditor, PinnedQuery, new { pinId, first = 0 });

        Assert.Equal("NOT_FOUND", MetricValueApi.Code(foreign));
        Assert.Equal("NOT_FOUND", MetricValueApi.Code(unknown));
        Assert.Equal(("INVALID_INPUT", "pinId"), (MetricValueApi.Code(badId), MetricValueApi.ErrorField(badId)));
        Assert.Equal(("INVALID_INPUT", "first"), (MetricValueApi.Code(tooMany), MetricValueApi.ErrorField(tooMany)));
        Assert.Equal(("INVALID_INPUT", "first"), (MetricValueApi.Code(none), MetricValueApi.ErrorField(none)));
    }

    private async Task<(string Tenant, string Integration, string Auditor)> StoryAsync(string prefix)
    {
        var tenant = ApiFixture.NewTenantId(prefix);
        var integration = await Host.NewTenantTokenAsync(tenant);
        await Api.IngestAsync(integration, RetentionStory("l-", "exec-l", "mid"));
        return (tenant, integration, await Host.NewRoleTokenAsync(tenant, Roles.Auditor));
    }

    private async Task<JsonNode> PinnedAsync(string token, object variables)
    {
        var response = await Host.GraphQLAsync(token, PinnedQuery, variables);
        response.AssertNoErrors();
        return response.Data!["pinnedLineage"]!;
    }

    private static string[] ExternalIds(JsonNode? facts) => facts!.AsArray().Select(f => f!["externalId"]!.GetValue<string>()).ToArray();

    private static long FactId(JsonNode? facts, string externalId) =>
        facts!.AsArray().Single(f => f!["externalId"]!.GetValue<string>() == externalId)!["factId"]!.GetValue<long>();

    private static decimal? Measure(JsonNode value, string measure) =>
        value["measures"]!.AsArray().Single(m => m!["measure"]!.GetValue<string>() == measure)!["value"]?.GetValue<decimal>();
}
