using System.Text.Json.Nodes;
using Governance.Abstractions.Security;
using Governance.Api.Tests.Infrastructure;
using Governance.Api.Tests.Metrics;
using static Governance.Api.Tests.Metrics.MetricFacts;

namespace Governance.Api.Tests.Lineage;

/// <summary>Downstream from a fact (<c>factLineage</c>): the pins that recorded it, and the health scores built on what it feeds.</summary>
[Collection(ApiCollection.Name)]
public sealed class DownstreamLineageApiTests(ApiFixture fixture)
{
    private const string Nrr = "net_revenue_retention";
    private const string Health = "customer_health_score";

    private const string DownstreamQuery = """
        query($id: Long!) {
          factLineage(factId: $id) {
            fact { externalId }
            values { key version kind scope period measures components }
            pins { pinId key version scope period pinnedAt }
          }
        }
        """;

    private const string PinMutation = """
        mutation($key: String!, $scope: MetricScopeInput!, $period: String!) {
          pinMetricValue(key: $key, scope: $scope, period: $period, reason: "payout basis") { pinId }
        }
        """;

    private MetricValueApi Api => new(fixture.Host);

    private GovernanceHost Host => fixture.Host;

    [Fact]
    public async Task ShouldListThePinsThatRecordedAFactOldestFirst()
    {
        var tenant = ApiFixture.NewTenantId("dpin");
        var integration = await Host.NewTenantTokenAsync(tenant);
        await Api.IngestAsync(integration, [.. RetentionStory("l-", "exec-l", "mid"), Nps("l-a", "l-a-nps", 9, "2025-02-01")]);
        var auditor = await Host.NewRoleTokenAsync(tenant, Roles.Auditor);
        var account = await PinAsync(auditor, new { account = "l-a" });
        var portfolio = await PinAsync(auditor, new { executive = "exec-l" });
        await PinAsync(auditor, new { account = "l-b" });
        await Api.IngestAsync(integration, Mrr("l-a", "l-a-more", "EXPANSION", 100m, "2025-03-01"));
        var ids = await FactIdsAsync(tenant);

        var up = await DownstreamAsync(auditor, ids["l-a-up"]);
        var nps = await DownstreamAsync(auditor, ids["l-a-nps"]);
        var later = await DownstreamAsync(auditor, ids["l-a-more"]);

        // A's expansion is behind its own Q1 NRR and its portfolio's, not behind B's.
        var pins = up["pins"]!.AsArray();
        Assert.Equal([account, portfolio], pins.Select(p => p!["pinId"]!.GetValue<string>()));
        Assert.Equal(("account:l-a", "executive:exec-l"), (pins[0]!["scope"]!.GetValue<string>(), pins[1]!["scope"]!.GetValue<string>()));
        Assert.All(pins, p => Assert.Equal((Nrr, 1, "2025-Q1"), (p!["key"]!.GetValue<string>(), p["version"]!.GetValue<int>(), p["period"]!.GetValue<string>())));
        Assert.True(pins[0]!["pinnedAt"]!.GetValue<DateTimeOffset>() <= pins[1]!["pinnedAt"]!.GetValue<DateTimeOffset>());
        // An NPS answer feeds no NRR, and a fact that arrived after the pins is in none of them.
        Assert.Empty(nps["pins"]!.AsArray());
        Assert.Empty(later["pins"]!.AsArray());
    }

    [Fact]
    public async Task ShouldListTheHealthScoresWhoseProfileHasAComponentTheFactFeeds()
    {
        var tenant = ApiFixture.NewTenantId("dhlt");
        var integration = await Host.NewTenantTokenAsync(tenant);
        await Api.IngestAsync(integration,
            Created("d-ent", "2024-07-01", "exec-d", "enterprise"),
            Mrr("d-ent", "d-ent-new", "NEW", 1_000m, "2024-07-01"),
            Nps("d-ent", "d-ent-nps", 10, "2025-02-15"),
            Resolved("d-ent", "t1", "2025-02-03", 1));
        var reader = await Host.NewRoleTokenAsync(tenant, Roles.CommitteeMember);
        var ids = await FactIdsAsync(tenant);

        // NPS is a component of the enterprise profile (the account, the segment) and of the default one
        // (the portfolio, the tenant), where the churn risk score reads NPS detractors too.
        var nps = Healths(await DownstreamAsync(reader, ids["d-ent-nps"]));
        string[] enterprise = ["net_promoter_score"];
        string[] standard = ["net_promoter_score", "churn_risk_score"];
        foreach (var period in new[] { "2025-02", "2025-Q1", "2025" })
        {
            Assert.Equal(enterprise, nps[("account:d-ent", period)]);
            Assert.Equal(enterprise, nps[("segment:enterprise", period)]);
            Assert.Equal(standard, nps[("executive:exec-d", period)]);
            Assert.Equal(standard, nps[("tenant", period)]);
        }

        Assert.Equal(12, nps.Count);

        // First contact resolution is in the default profile only: a ticket of an enterprise account feeds
        // the health of its portfolio and of the tenant, not its own or its segment's.
        var ticket = await DownstreamAsync(reader, ids["resolved-t1"]);
        var ticketHealth = Healths(ticket);
        Assert.Equal(
            new[] { "executive:exec-d", "tenant" }.SelectMany(s => new[] { "2025-02", "2025-Q1", "2025" }.Select(p => (s, p))).Order(),
            ticketHealth.Keys.Order());
        Assert.All(ticketHealth.Values, components => Assert.Equal(["first_contact_resolution"], components));
        var one = ticket["values"]!.AsArray().First(v => v!["key"]!.GetValue<string>() == Health)!;
        Assert.Equal(("HEALTH_SCORE", 1), (one["kind"]!.GetValue<string>(), one["version"]!.GetValue<int>()));
        Assert.Contains("tickets_resolved_first_contact", one["measures"]!.AsArray().Select(m => m!.GetValue<string>()));
        var fcr = ticket["values"]!.AsArray().First(v => v!["key"]!.GetValue<string>() == "first_contact_resolution")!;
        Assert.Equal("FORMULA", fcr["kind"]!.GetValue<string>());
        Assert.Empty(fcr["components"]!.AsArray());
    }

    private static Dictionary<(string Scope, string Period), string[]> Healths(JsonNode lineage) =>
        lineage["values"]!.AsArray().Where(v => v!["key"]!.GetValue<string>() == Health).ToDictionary(
            v => (v!["scope"]!.GetValue<string>(), v["period"]!.GetValue<string>()),
            v => v!["components"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray());

    private async Task<string> PinAsync(string token, object scope)
    {
        var pinned = await Host.GraphQLAsync(token, PinMutation, new { key = Nrr, scope, period = "2025-Q1" });
        pinned.AssertNoErrors();
        return pinned.Data!["pinMetricValue"]!["pinId"]!.GetValue<string>();
    }

    private async Task<JsonNode> DownstreamAsync(string token, long factId)
    {
        var response = await Host.GraphQLAsync(token, DownstreamQuery, new { id = factId });
        response.AssertNoErrors();
        return response.Data!["factLineage"]!;
    }

    /// <summary>The tenant's fact ids by external id, read from the database (the API finds facts by value, not by name).</summary>
    private async Task<Dictionary<string, long>> FactIdsAsync(string tenant)
    {
        await using var connection = fixture.Database.Open();
        await using var command = new Npgsql.NpgsqlCommand("select external_id, fact_id from facts where tenant_id = $1", connection);
        command.Parameters.Add(new() { Value = tenant });
        var ids = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids[reader.GetString(0)] = reader.GetInt64(1);
        }

        return ids;
    }
}
