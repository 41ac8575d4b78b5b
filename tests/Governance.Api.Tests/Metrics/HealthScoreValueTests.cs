using System.Text.Json.Nodes;
using Governance.Abstractions.Security;
using Governance.Api.Tests.Infrastructure;
using static Governance.Api.Tests.Metrics.MetricFacts;

namespace Governance.Api.Tests.Metrics;

/// <summary>
/// The built-in <c>customer_health_score</c> (BuiltInMetrics.HealthScore) over two accounts of one tenant,
/// scored by hand from its profiles: each component's points are (value − worst) / (best − worst) × 100,
/// clamped to 0–100; the score is the weighted mean over the components with a value (renormalised),
/// rounded to 2 decimals; red below 40, green from 70.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HealthScoreValueTests(ApiFixture fixture)
{
    private const string Key = "customer_health_score";

    private static readonly SharedSetup<string> Shared = new(SetUpAsync);

    private MetricValueApi Api => new(fixture.Host);

    /// <summary>
    /// h-ent (segment "enterprise") pays 1,000 from July 2024. Q4 2024: contracts 100, NPS 10 and 6,
    /// u1 uses a named feature. Q1 2025: expands 200, NPS 10, 9 and 8, u1 uses a named feature and u2 none.
    /// h-smb (segment "smb") pays 500 from July 2024; nothing in Q4 2024. Q1 2025: contracts 50, u1 is
    /// active without a named feature, four tickets resolved, three of them in one contact.
    /// </summary>
    private static async Task<string> SetUpAsync(GovernanceHost host)
    {
        var tenant = ApiFixture.NewTenantId("hlt");
        await new MetricValueApi(host).IngestAsync(await host.NewTenantTokenAsync(tenant),
            Created("h-ent", "2024-07-01", "exec-h", "enterprise"),
            Mrr("h-ent", "h-ent-new", "NEW", 1_000m, "2024-07-01"),
            Mrr("h-ent", "h-ent-down", "CONTRACTION", 100m, "2024-11-10"),
            Nps("h-ent", "h-ent-nps-1", 10, "2024-11-12"), Nps("h-ent", "h-ent-nps-2", 6, "2024-11-12"),
            Usage("h-ent", "h-ent-use-1", "u1", "2024-11-05", "reports"),
            Mrr("h-ent", "h-ent-up", "EXPANSION", 200m, "2025-02-01"),
            Nps("h-ent", "h-ent-nps-3", 10, "2025-02-15"), Nps("h-ent", "h-ent-nps-4", 9, "2025-02-15"), Nps("h-ent", "h-ent-nps-5", 8, "2025-02-15"),
            Usage("h-ent", "h-ent-use-2", "u1", "2025-01-10", "reports"), Usage("h-ent", "h-ent-use-3", "u2", "2025-02-10"),
            Created("h-smb", "2024-07-01", "exec-h", "smb"),
            Mrr("h-smb", "h-smb-new", "NEW", 500m, "2024-07-01"),
            Mrr("h-smb", "h-smb-down", "CONTRACTION", 50m, "2025-01-15"),
            Usage("h-smb", "h-smb-use-1", "u1", "2025-02-10"),
            Resolved("h-smb", "t1", "2025-02-03", 1), Resolved("h-smb", "t2", "2025-02-04", 1),
            Resolved("h-smb", "t3", "2025-03-03", 1), Resolved("h-smb", "t4", "2025-03-04", 2));
        return tenant;
    }

    private async Task<string> ReaderAsync() => await fixture.Host.NewRoleTokenAsync(await Shared.GetAsync(fixture.Host), Roles.CommitteeMember);

    private static (string Key, int? Version, decimal Weight, decimal? Value, decimal? Points, string? Missing)[] Components(JsonNode value) =>
        value["health"]!["components"]!.AsArray().Select(c => (c!.Text("metricKey")!, c.Int("version"), c.Number("weight")!.Value, c.Number("value"), c.Number("points"), c.Text("missingReason"))).ToArray();

    [Fact]
    public async Task ShouldScoreAnEnterpriseAccountWithTheEnterpriseProfile()
    {
        var reader = await ReaderAsync();

        var q1 = await Api.ValueAsync(reader, Key, new { account = "h-ent" }, "2025-Q1");

        // Enterprise profile: GRR 40 (0.85 → 1), NRR 20 (0.9 → 1.2), NPS 20 (−20 → 50), engagement 20 (20 → 80).
        // Q1 2025, from 900 at the start: GRR 900 / 900 = 1 → 100 points; NRR (900 + 200) / 900 = 1.22… → 100 (clamped);
        // NPS 100 × (2 − 0) / 3 = 66.67 → 100 (clamped); engagement 100 × (0.5 × 1 active of 1 + 0.5 × 1 feature user of 2 active) = 75
        // → (75 − 20) / 60 = 91.67 points. Score (40 × 100 + 20 × 100 + 20 × 100 + 20 × 91.666…) / 100 = 98.333… → 98.33, green.
        Assert.Equal((98.33m, 1, 1), (q1.Number()!.Value, q1.Int("version"), q1.Int("inForceVersion")));
        var health = q1["health"]!;
        Assert.Equal(("GREEN", "enterprise", 1m), (health.Text("band"), health.Text("segment"), health.Number("coverage")));
        Assert.Equal(
            [("gross_revenue_retention", 1, 40m, 1m, 100m, null), ("net_revenue_retention", 1, 20m, 1_100m / 900m, 100m, null),
             ("net_promoter_score", 1, 20m, 200m / 3m, 100m, null), ("customer_engagement_score", 1, 20m, 75m, 5_500m / 60m, null)],
            Components(q1));
        Assert.Empty(q1["measures"]!.AsArray());

        // Q4 2024, from 1,000: GRR 900 / 1,000 = 0.9 → (0.9 − 0.85) / 0.15 = 33.33 points; NRR 0.9 → 0;
        // NPS 100 × (1 − 1) / 2 = 0 → 20 / 70 = 28.57; engagement 100 → 100 (clamped).
        // Score (40 × 33.333… + 20 × 0 + 20 × 28.571… + 20 × 100) / 100 = 39.0476… → 39.05, red; change 98.33 − 39.05 = 59.28.
        var trend = q1["trend"]!;
        Assert.Equal(("2024-Q4", 39.05m, "RED", 59.28m, "UP"),
            (trend.Text("previousPeriod"), trend.Number("previousScore"), trend.Text("previousBand"), trend.Number("change"), trend.Text("direction")));
        var q4 = await Api.ValueAsync(reader, Key, new { account = "h-ent" }, "2024-Q4");
        Assert.Equal((39.05m, "RED"), (q4.Number()!.Value, q4["health"]!.Text("band")));
    }

    [Fact]
    public async Task ShouldScoreAnSmbAccountWithTheDefaultProfileLeavingOutWhatHasNoValue()
    {
        var reader = await ReaderAsync();

        var q1 = await Api.ValueAsync(reader, Key, new { account = "h-smb" }, "2025-Q1");

        // Default profile: GRR 30 (0.8 → 1), engagement 25 (20 → 80), NPS 20 (−20 → 50), first contact resolution 10 (0.5 → 0.9),
        // churn risk 15 (60 → 10, lower is better).
        // Q1 2025, from 500: GRR 450 / 500 = 0.9 → 50 points; engagement 100 × (0.5 × 1 + 0.5 × 0) = 50 → 50;
        // no NPS answer → left out; FCR 3 / 4 = 0.75 → 62.5; churn risk 100 × (0.4 × 1 downgraded of 1 + 0.3 × 0 + 0.3 × (1 − 1)) = 40
        // → (40 − 60) / (10 − 60) = 40 points. Present weight 80 of 100 (at least the profile's 0.5):
        // (30 × 50 + 25 × 50 + 10 × 62.5 + 15 × 40) / 80 = 3,975 / 80 = 49.6875 → 49.69, yellow.
        Assert.Equal(49.69m, q1.Number());
        var health = q1["health"]!;
        Assert.Equal(("YELLOW", null, 0.8m), (health.Text("band"), health.Text("segment"), health.Number("coverage")));
        Assert.Equal(
            [("gross_revenue_retention", 1, 30m, 0.9m, 50m, null), ("customer_engagement_score", 1, 25m, 50m, 50m, null),
             ("net_promoter_score", 1, 20m, null, null, "zero denominator: nps_responses"), ("first_contact_resolution", 1, 10m, 0.75m, 62.5m, null),
             ("churn_risk_score", 1, 15m, 40m, 40m, null)],
            Components(q1));

        // Q4 2024: GRR 1 → 100; engagement 0 (nobody active) → 0; no NPS; no ticket resolved → left out;
        // churn risk 100 × 0.3 × (1 − 0) = 30 → 60 points. (30 × 100 + 25 × 0 + 15 × 60) / 70 = 55.714… → 55.71, yellow.
        var trend = q1["trend"]!;
        Assert.Equal(("2024-Q4", 55.71m, "YELLOW", 49.69m - 55.71m, "DOWN"),
            (trend.Text("previousPeriod"), trend.Number("previousScore"), trend.Text("previousBand"), trend.Number("change"), trend.Text("direction")));
    }

    [Fact]
    public async Task ShouldScoreASegmentWithItsProfileAndAPortfolioWithTheDefault()
    {
        var reader = await ReaderAsync();

        var segment = await Api.ValueAsync(reader, Key, new { segment = "enterprise" }, "2025-Q1");
        var portfolio = await Api.ValueAsync(reader, Key, new { executive = "exec-h" }, "2025-Q1");

        // The enterprise segment is h-ent alone: the same score.
        Assert.Equal((98.33m, "enterprise"), (segment.Number()!.Value, segment["health"]!.Text("segment")));
        Assert.Null(portfolio["health"]!.Text("segment"));
        Assert.Equal(["gross_revenue_retention", "customer_engagement_score", "net_promoter_score", "first_contact_resolution", "churn_risk_score"],
            Components(portfolio).Select(c => c.Key));
    }
}
