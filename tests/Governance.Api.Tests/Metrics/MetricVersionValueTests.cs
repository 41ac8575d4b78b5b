using System.Text.Json.Nodes;
using Governance.Abstractions.Security;
using Governance.Api.Tests.Infrastructure;
using static Governance.Api.Tests.Metrics.MetricFacts;

namespace Governance.Api.Tests.Metrics;

/// <summary>
/// A definition changed in the middle of a quarter: the retention story (<see cref="MetricFacts.RetentionStory"/>)
/// in one tenant whose <c>customer_churn_rate</c> has a version 2, effective 2025-02-15, that also counts
/// the customers who came or came back during the period in the denominator:
/// <c>customers_lost / (customers_start + customers_new + customers_reactivated) else null</c>.
/// </summary>
/// <remarks>
/// Hand-computed, by month (customers at the start; lost; new; reactivated → v1, v2):
/// January A B E; E; C; — → 1/3, 1/4. February A B C; C; —; D → 1/3, 1/4. March A B D; B; —; E → 1/3, 1/4.
/// April to June A D E; nobody → 0, 0. Q1: A B E; B; C; D and E → v1 1/3, v2 1 / (3 + 1 + 2) = 1/6.
/// </remarks>
[Collection(ApiCollection.Name)]
public sealed class MetricVersionValueTests(ApiFixture fixture)
{
    private const string Key = "customer_churn_rate";
    private const string V2Formula = "customers_lost / (customers_start + customers_new + customers_reactivated) else null";

    private static readonly object Scope = new { executive = "exec-v" };

    private static readonly SharedSetup<Tenant> Shared = new(SetUpAsync);

    private MetricValueApi Api => new(fixture.Host);

    /// <summary>The tenant, a data owner who proposed version 2, and the tenant admin who approved it.</summary>
    private sealed record Tenant(string Id, string Owner, string Admin);

    private static async Task<Tenant> SetUpAsync(GovernanceHost host)
    {
        var api = new MetricValueApi(host);
        var tenant = ApiFixture.NewTenantId("ver");
        await api.IngestAsync(await host.NewTenantTokenAsync(tenant), RetentionStory("v-", "exec-v", "mid-market"));
        var owner = await host.NewRoleTokenAsync(tenant, Roles.DataOwner);
        var admin = await host.NewRoleTokenAsync(tenant, Roles.TenantAdmin);
        await api.ProposeAndApproveAsync(owner, admin, Key, V2Formula, "2025-02-15", "customers who came during the period could leave too");
        return new Tenant(tenant, owner, admin);
    }

    private Task<Tenant> TenantAsync() => Shared.GetAsync(fixture.Host);

    private static (int? Version, int? InForce, decimal? Value) Of(JsonNode value) => (value.Int("version"), value.Int("inForceVersion"), value.Number());

    [Fact]
    public async Task ShouldComputeEachPeriodUnderTheVersionInForceOnItsFirstDayAndRestateOnlyClosedPeriods()
    {
        var tenant = await TenantAsync();
        var history = await fixture.Host.GraphQLAsync(tenant.Owner, "query { metricDefinitionHistory(key: \"customer_churn_rate\") { version status formula effectiveFrom } }");
        history.AssertNoErrors();

        // Q1 began under version 1: version 2 only takes effect on February 15th.
        var q1 = await Api.ValueAsync(tenant.Owner, Key, Scope, "2025-Q1");
        Assert.Equal((1, 1, 1m / 3m), Of(q1));
        Assert.Equal([("customers_lost", 1m), ("customers_start", 3m)], q1.Measures());
        Assert.Null(q1["restatement"]);
        // February began before the 15th: version 1 (C lost of A, B, C). March began after: version 2 (B lost of A, B, D and E back).
        Assert.Equal((1, 1, 1m / 3m), Of(await Api.ValueAsync(tenant.Owner, Key, Scope, "2025-02")));
        var march = await Api.ValueAsync(tenant.Owner, Key, Scope, "2025-03");
        Assert.Equal((2, 2, 0.25m), Of(march));
        Assert.Equal([("customers_lost", 1m), ("customers_start", 3m), ("customers_new", 0m), ("customers_reactivated", 1m)], march.Measures());
        // Q2 began under version 2: nobody lost of A, D, E.
        Assert.Equal((2, 2, 0m), Of(await Api.ValueAsync(tenant.Owner, Key, Scope, "2025-Q2")));

        // Q1 under version 2 on request: 1 / (3 + C new + D and E back) = 1/6. Open: no restatement.
        var asked = await Api.ValueAsync(tenant.Owner, Key, Scope, "2025-Q1", version: 2);
        Assert.Equal((2, 1, 1m / 6m), Of(asked));
        Assert.Null(asked["restatement"]);

        // Two of its three months closed: still open.
        await Api.ClosePeriodAsync(tenant.Owner, "2025-01-01");
        await Api.ClosePeriodAsync(tenant.Admin, "2025-02-28");
        Assert.Null((await Api.ValueAsync(tenant.Owner, Key, Scope, "2025-Q1", version: 2))["restatement"]);

        // All three closed: the version 2 value comes with the original, difference 1/6 − 1/3.
        await Api.ClosePeriodAsync(tenant.Owner, "2025-03-15");
        var restated = await Api.ValueAsync(tenant.Owner, Key, Scope, "2025-Q1", version: 2);
        Assert.Equal((2, 1, 1m / 6m), Of(restated));
        var restatement = restated["restatement"]!;
        Assert.Equal(1, restatement.Int("originalVersion"));
        Assert.Equal(1m / 3m, restatement.Number("originalValue"));
        Assert.Null(restatement.Text("originalNullReason"));
        Assert.Equal((1m / 6m) - (1m / 3m), restatement.Number("difference"));
        // A closed month the other way round: March asked under version 1 is restated against its version 2 value.
        var marchUnderV1 = await Api.ValueAsync(tenant.Owner, Key, Scope, "2025-03", version: 1);
        Assert.Equal((1, 2, 1m / 3m), Of(marchUnderV1));
        Assert.Equal((2, 0.25m, (1m / 3m) - 0.25m),
            (marchUnderV1["restatement"]!.Int("originalVersion"), marchUnderV1["restatement"]!.Number("originalValue"), marchUnderV1["restatement"]!.Number("difference")));
        // The version in force asked for by number is no restatement.
        Assert.Null((await Api.ValueAsync(tenant.Owner, Key, Scope, "2025-Q1", version: 1))["restatement"]);

        // Asking changed nothing: Q1 is still version 1 and its value, the definitions are as they were.
        var after = await Api.ValueAsync(tenant.Owner, Key, Scope, "2025-Q1");
        Assert.Equal((1, 1, 1m / 3m), Of(after));
        Assert.Null(after["restatement"]);
        var historyAfter = await fixture.Host.GraphQLAsync(tenant.Owner, "query { metricDefinitionHistory(key: \"customer_churn_rate\") { version status formula effectiveFrom } }");
        Assert.Equal(history.Body.ToJsonString(), historyAfter.Body.ToJsonString());
    }

    [Fact]
    public async Task ShouldGiveAMonthlySeriesEachMonthUnderItsOwnVersion()
    {
        var tenant = await TenantAsync();

        var series = await Api.SeriesAsync(tenant.Owner, Key, Scope, "2025-01", "2025-06");
        var underV2 = await Api.SeriesAsync(tenant.Owner, Key, Scope, "2025-01", "2025-06", version: 2);

        Assert.Equal(["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"], series.Select(v => v!.Text("period")));
        // January and February began before February 15th: version 1; from March on, version 2.
        Assert.Equal(
            [(1, 1, 1m / 3m), (1, 1, 1m / 3m), (2, 2, 0.25m), (2, 2, 0m), (2, 2, 0m), (2, 2, 0m)],
            series.Select(v => Of(v!)));
        // Version 2 throughout, each month still naming the version in force for it.
        Assert.Equal(
            [(2, 1, 0.25m), (2, 1, 0.25m), (2, 2, 0.25m), (2, 2, 0m), (2, 2, 0m), (2, 2, 0m)],
            underV2.Select(v => Of(v!)));
        // Every value of the series is the value asked for alone.
        Assert.Equal(Of(await Api.ValueAsync(tenant.Owner, Key, Scope, "2025-02")), Of(series[1]!));
    }

    [Fact]
    public async Task ShouldGiveAQuarterlySeries()
    {
        var tenant = await TenantAsync();

        var series = await Api.SeriesAsync(tenant.Owner, Key, Scope, "2024-Q4", "2025-Q2");

        Assert.Equal(["2024-Q4", "2025-Q1", "2025-Q2"], series.Select(v => v!.Text("period")));
        // Q4 2024: nobody paid on October 1st (D's first payment is that day, so at the end of September: 0).
        Assert.Equal([(1, 1, null), (1, 1, 1m / 3m), (2, 2, 0m)], series.Select(v => Of(v!)));
        Assert.Equal("zero denominator: customers_start", series[0]!.Text("nullReason"));
        var years = await Api.SeriesAsync(tenant.Owner, "net_revenue_retention", Scope, "2024", "2025");
        Assert.Equal(["2024", "2025"], years.Select(v => v!.Text("period")));
    }

    public static TheoryData<string, string, string> BadRanges => new()
    {
        { "2025-01", "2025-Q2", "to" },
        { "2025-Q1", "2025-06", "to" },
        { "2025", "2025-Q4", "to" },
        { "2025-06", "2025-01", "to" },
        { "2020-01", "2025-02", "to" },
        { "2025-1", "2025-02", "from" },
        { "2025-01", "2025-Q5", "to" },
    };

    [Theory]
    [MemberData(nameof(BadRanges))]
    public async Task ShouldRefuseASeriesOfMixedGrainsBackwardsOrTooLongNamingTheArgument(string from, string to, string field)
    {
        var tenant = await TenantAsync();

        var response = await fixture.Host.GraphQLAsync(tenant.Owner, MetricValueApi.Series, new { key = Key, scope = Scope, from, to });

        Assert.Equal("INVALID_INPUT", MetricValueApi.Code(response));
        Assert.Equal(field, MetricValueApi.ErrorField(response));
        Assert.StartsWith($"{field}:", MetricValueApi.ErrorMessage(response));
    }
}
