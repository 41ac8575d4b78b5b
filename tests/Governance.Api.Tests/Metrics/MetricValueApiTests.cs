using System.Net;
using Governance.Abstractions.Security;
using Governance.Api.Tests.Infrastructure;
using Governance.Domain.Metrics.Catalog;
using static Governance.Api.Tests.Metrics.MetricFacts;

namespace Governance.Api.Tests.Metrics;

/// <summary>
/// Metric values through the API over the retention story (<see cref="MetricFacts.RetentionStory"/>),
/// in one tenant every test of this class only reads. Amounts are in USD.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class MetricValueApiTests(ApiFixture fixture)
{
    private const string Executive = "exec-story";
    private const string Segment = "mid-market";
    private const string CustomKey = "churn_movement_rate";
    private const string LaterKey = "lost_of_end_rate";
    private const string DraftKey = "draft_rate";

    private static readonly object ExecutiveScope = new { executive = Executive };

    private static readonly SharedSetup<Story> Shared = new(SetUpAsync);

    private MetricValueApi Api => new(fixture.Host);

    /// <summary>
    /// The story's five accounts (s-a … s-e) in the executive's portfolio and segment "mid-market",
    /// plus s-f, in neither: segment "smb", no owner, paying 1,000 from December 2024 and nothing else.
    /// The tenant also has custom metrics: <see cref="CustomKey"/>, churn movements over customers at the
    /// start, approved and in force from 2024; <see cref="LaterKey"/>, approved, in force from 2025-04-01;
    /// <see cref="DraftKey"/>, proposed and never approved.
    /// </summary>
    private sealed record Story(string Tenant, string Reader);

    private static async Task<Story> SetUpAsync(GovernanceHost host)
    {
        var api = new MetricValueApi(host);
        var tenant = ApiFixture.NewTenantId("val");
        var integration = await host.NewTenantTokenAsync(tenant);
        await api.IngestAsync(integration,
        [
            .. RetentionStory("s-", Executive, Segment),
            Created("s-f", "2024-10-01", owner: null, segment: "smb"),
            Mrr("s-f", "s-f-new", "NEW", 1_000m, "2024-12-01"),
        ]);
        var owner = await host.NewRoleTokenAsync(tenant, Roles.DataOwner);
        var admin = await host.NewRoleTokenAsync(tenant, Roles.TenantAdmin);
        await api.ProposeAndApproveAsync(owner, admin, CustomKey, "customers_churned / customers_start else null", "2024-01-01", "churn movements, re-churns included");
        await api.ProposeAndApproveAsync(owner, admin, LaterKey, "customers_lost / customers_end else null", "2025-04-01", "from the second quarter");
        await api.ProposeAsync(owner, DraftKey, "customers_lost / customers_end else null", "2024-01-01", "not approved yet");
        return new Story(tenant, await host.NewRoleTokenAsync(tenant, Roles.Executive));
    }

    private Task<Story> StoryAsync() => Shared.GetAsync(fixture.Host);

    [Fact]
    public async Task ShouldComputeRetentionOfAnExecutivesPortfolioWithTheMeasuresUsed()
    {
        var story = await StoryAsync();

        var nrr = await Api.ValueAsync(story.Reader, "net_revenue_retention", ExecutiveScope, "2025-Q1");
        var grr = await Api.ValueAsync(story.Reader, "gross_revenue_retention", ExecutiveScope, "2025-Q1");
        var churn = await Api.ValueAsync(story.Reader, "customer_churn_rate", ExecutiveScope, "2025-Q1");

        // MRR at the start: A 1,000 + B 500 + E 100 = 1,600 (C not yet acquired, D churned in December).
        // Flows of those three: expansion A 200, returned E 100, contraction A 50, churned B 500 + E 100 = 600.
        // NRR = (1,600 + 200 + 100 − 50 − 600) / 1,600 = 1,250 / 1,600 = 0.78125: C's churn and D's return are not theirs.
        Assert.Equal(0.78125m, nrr.Number());
        Assert.Equal(
            [("mrr_start", 1_600m), ("mrr_expansion_existing", 200m), ("mrr_reactivated_existing", 100m), ("mrr_contraction_existing", 50m), ("mrr_churned_existing", 600m)],
            nrr.Measures());
        Assert.All(nrr["measures"]!.AsArray(), m => Assert.Equal("2025-Q1", m!["period"]!.GetValue<string>()));
        // Each account at most at its start: A min(1,000, 1,150), B 0, E min(100, 100) → 1,100 / 1,600 = 0.6875.
        Assert.Equal(0.6875m, grr.Number());
        Assert.Equal([("mrr_retained", 1_100m), ("mrr_start", 1_600m)], grr.Measures());
        // Customers at the start A, B, E; lost by the end: B only → 1 / 3.
        Assert.Equal(1m / 3m, churn.Number());
        Assert.Equal([("customers_lost", 1m), ("customers_start", 3m)], churn.Measures());
        foreach (var value in new[] { nrr, grr, churn })
        {
            Assert.Equal((1, 1, "APPROVED"), (value.Int("version"), value.Int("inForceVersion"), value.Text("versionStatus")));
            Assert.Equal(($"executive:{Executive}", "2025-Q1"), (value.Text("scope"), value.Text("period")));
            Assert.Null(value.Text("nullReason"));
            Assert.Null(value["restatement"]);
            Assert.Null(value["health"]);
        }
    }

    [Fact]
    public async Task ShouldComputeTheSegmentLikeThePortfolioAndTheTenantWithItsOtherAccount()
    {
        var story = await StoryAsync();
        var segment = new { segment = Segment };
        var tenant = new { tenant = true };

        // The segment holds exactly the portfolio's five accounts: the same numbers.
        Assert.Equal(0.78125m, (await Api.ValueAsync(story.Reader, "net_revenue_retention", segment, "2025-Q1")).Number());
        Assert.Equal(0.6875m, (await Api.ValueAsync(story.Reader, "gross_revenue_retention", segment, "2025-Q1")).Number());
        var segmentChurn = await Api.ValueAsync(story.Reader, "customer_churn_rate", segment, "2025-Q1");
        Assert.Equal((1m / 3m, $"segment:{Segment}", 1), (segmentChurn.Number(), segmentChurn.Text("scope"), segmentChurn.Int("inForceVersion")));

        // The tenant adds s-f: 1,000 at the start, kept whole, one more customer at the start.
        // NRR (2,600 + 200 + 100 − 50 − 600) / 2,600 = 2,250 / 2,600; GRR (2,600 − 500) / 2,600; churn 1 / 4.
        var nrr = await Api.ValueAsync(story.Reader, "net_revenue_retention", tenant, "2025-Q1");
        Assert.Equal(2_250m / 2_600m, nrr.Number());
        Assert.Equal(("mrr_start", 2_600m), nrr.Measures()[0]);
        Assert.Equal("tenant", nrr.Text("scope"));
        Assert.Equal(2_100m / 2_600m, (await Api.ValueAsync(story.Reader, "gross_revenue_retention", tenant, "2025-Q1")).Number());
        var churn = await Api.ValueAsync(story.Reader, "customer_churn_rate", tenant, "2025-Q1");
        Assert.Equal(0.25m, churn.Number());
        Assert.Equal([("customers_lost", 1m), ("customers_start", 4m)], churn.Measures());
    }

    [Fact]
    public async Task ShouldGiveNoValueWithAReasonForAnEmptyPeriodOrAnUnknownExecutive()
    {
        var story = await StoryAsync();

        // Nothing was paid before October 2024.
        var empty = await Api.ValueAsync(story.Reader, "net_revenue_retention", ExecutiveScope, "2024-Q2");
        var nobody = await Api.ValuesAsync(story.Reader, new { executive = "exec-nobody" }, "2025-Q1",
            "net_revenue_retention", "gross_revenue_retention", "customer_churn_rate");

        Assert.Null(empty.Number());
        Assert.Equal("zero denominator: mrr_start", empty.Text("nullReason"));
        Assert.Equal((1, 1), (empty.Int("version"), empty.Int("inForceVersion")));
        Assert.Contains(("mrr_start", (decimal?)0m), empty.Measures());
        // An executive nobody assigned has an empty portfolio: values without a number, not an error.
        Assert.Equal(
            [("net_revenue_retention", null, "zero denominator: mrr_start"), ("gross_revenue_retention", null, "zero denominator: mrr_start"), ("customer_churn_rate", null, "zero denominator: customers_start")],
            nobody.Select(v => (v!.Text("key"), v.Number(), v.Text("nullReason"))));
        Assert.All(nobody, v => Assert.Equal("executive:exec-nobody", v!.Text("scope")));
    }

    [Fact]
    public async Task ShouldAnswerNotFoundForAnAccountTheTenantDoesNotHave()
    {
        var story = await StoryAsync();

        var response = await Api.ValueResponseAsync(story.Reader, "net_revenue_retention", new { account = "s-nobody" }, "2025-Q1");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("NOT_FOUND", MetricValueApi.Code(response));
        Assert.Null(response.Data);
        Assert.Contains("'s-nobody'", MetricValueApi.ErrorMessage(response));
    }

    [Fact]
    public async Task ShouldLeaveACustomerAcquiredAndLostInTheQuarterAndAReturningOneOutOfChurn()
    {
        var story = await StoryAsync();

        // C was acquired in January and lost in February: not a customer at the quarter's start, not lost from it.
        var acquiredAndLost = await Api.ValueAsync(story.Reader, "customer_churn_rate", new { account = "s-c" }, "2025-Q1");
        // D churned in December (an earlier quarter) and came back in February: not a customer at the start either.
        var returning = await Api.ValueAsync(story.Reader, "customer_churn_rate", new { account = "s-d" }, "2025-Q1");
        // Within February, C was a customer at the start (since January) and gone at the end: churn of the month.
        var february = await Api.ValueAsync(story.Reader, "customer_churn_rate", new { account = "s-c" }, "2025-02");
        var portfolio = await Api.ValueAsync(story.Reader, "customer_churn_rate", ExecutiveScope, "2025-Q1");

        Assert.Null(acquiredAndLost.Number());
        Assert.Equal("zero denominator: customers_start", acquiredAndLost.Text("nullReason"));
        Assert.Equal([("customers_lost", 0m), ("customers_start", 0m)], acquiredAndLost.Measures());
        Assert.Equal("account:s-c", acquiredAndLost.Text("scope"));
        Assert.Null(returning.Number());
        Assert.Equal([("customers_lost", 0m), ("customers_start", 0m)], returning.Measures());
        Assert.Equal(1m, february.Number());
        // The portfolio: A, B and E at the start (not C, not D); only B lost. E left and came back within the quarter.
        Assert.Equal([("customers_lost", 1m), ("customers_start", 3m)], portfolio.Measures());
        Assert.Equal(1m / 3m, portfolio.Number());
    }

    [Fact]
    public async Task ShouldListEveryMetricInForceWithoutKeysAndOnlyThoseAskedWithKeys()
    {
        var story = await StoryAsync();

        var all = await Api.ValuesAsync(story.Reader, ExecutiveScope, "2025-Q1");
        var asked = await Api.ValuesAsync(story.Reader, ExecutiveScope, "2025-Q1", "customer_churn_rate", CustomKey, "net_revenue_retention");

        // The 39 built-ins (38 formulas and the health score) and the tenant's own metric, each at version 1.
        Assert.Equal(39, BuiltInMetrics.All.Count);
        Assert.Equal(BuiltInMetrics.All.Select(d => d.Key).Append(CustomKey).Order(), all.Select(v => v!.Text("key")).Order());
        Assert.All(all, v => Assert.Equal((1, 1), (v!.Int("version"), v.Int("inForceVersion"))));
        Assert.Equal(0.78125m, all.ByKey("net_revenue_retention").Number());
        Assert.Equal(0.6875m, all.ByKey("gross_revenue_retention").Number());
        Assert.NotNull(all.ByKey("customer_health_score")["health"]);
        // Churn movements of the quarter: B, C and E churned once each, over A, B and E at the start: 3 / 3.
        Assert.Equal(1m, all.ByKey(CustomKey).Number());
        Assert.Equal(["customer_churn_rate", CustomKey, "net_revenue_retention"], asked.Select(v => v!.Text("key")));
        Assert.Equal([1m / 3m, 1m, 0.78125m], asked.Select(v => v!.Number()));
    }

    [Fact]
    public async Task ShouldListOnlyMetricsWithAnApprovedVersionInForceForThePeriod()
    {
        var story = await StoryAsync();

        var q1 = await Api.ValuesAsync(story.Reader, ExecutiveScope, "2025-Q1");
        var q2 = await Api.ValuesAsync(story.Reader, ExecutiveScope, "2025-Q2");
        var later = await Api.ValueResponseAsync(story.Reader, LaterKey, ExecutiveScope, "2025-Q1");
        var draft = await Api.ValueResponseAsync(story.Reader, DraftKey, ExecutiveScope, "2025-Q2");
        var laterAskedByVersion = await Api.ValueAsync(story.Reader, LaterKey, ExecutiveScope, "2025-Q1", version: 1);

        Assert.DoesNotContain(q1, v => v!.Text("key") is LaterKey or DraftKey);
        Assert.Contains(q2, v => v!.Text("key") == LaterKey);
        Assert.DoesNotContain(q2, v => v!.Text("key") == DraftKey);
        // Asked for by name, a period no approved version governs is an error, not a value.
        Assert.Equal("NO_VERSION_IN_FORCE", MetricValueApi.Code(later));
        Assert.Equal("NO_VERSION_IN_FORCE", MetricValueApi.Code(draft));
        // Asked for with a version, it is computed, and says no version governs the period: lost B over A, D, E at the end, 1/3.
        Assert.Equal((1, null, 1m / 3m), (laterAskedByVersion.Int("version"), laterAskedByVersion.Int("inForceVersion"), laterAskedByVersion.Number()));
        Assert.Null(laterAskedByVersion["restatement"]);

        // A series starting before the metric governs anything: those periods have no value and no version, the rest do.
        var series = await Api.SeriesAsync(story.Reader, LaterKey, ExecutiveScope, "2025-Q1", "2025-Q2");
        Assert.Equal([("2025-Q1", (int?)null), ("2025-Q2", 1)], series.Select(v => (v!.Text("period"), v.Int("version"))));
        Assert.Null(series[0]!["value"]);
        Assert.Contains("no approved version", series[0]!.Text("nullReason"));
        Assert.NotNull(series[1]!["value"]);
    }

    [Fact]
    public async Task ShouldReadThePreviousPeriodForAFormulaThatComparesWithIt()
    {
        var story = await StoryAsync();

        var q2 = await Api.ValueAsync(story.Reader, "expansion_revenue_growth_rate", ExecutiveScope, "2025-Q2");
        var q1 = await Api.ValueAsync(story.Reader, "expansion_revenue_growth_rate", ExecutiveScope, "2025-Q1");

        // Q1 expanded 200 (A), Q2 nothing: (0 − 200) / 200 = −1. Q4 2024 expanded nothing: Q1 has no growth rate.
        Assert.Equal(-1m, q2.Number());
        Assert.Equal(
            [("mrr_expansion", "2025-Q2", 0m), ("mrr_expansion", "2025-Q1", 200m)],
            q2["measures"]!.AsArray().Select(m => (m!.Text("measure"), m.Text("period"), m.Number()!.Value)));
        Assert.Null(q1.Number());
        Assert.Equal("zero denominator: prev(mrr_expansion)", q1.Text("nullReason"));
    }

    [Fact]
    public async Task ShouldAnswerSeveralValuesOfOneRequestAsOneAtATime()
    {
        var story = await StoryAsync();
        string[] keys = ["net_revenue_retention", "gross_revenue_retention", "customer_churn_rate", "customer_retention_rate",
            "net_revenue_churn", "gross_revenue_churn_rate", "annual_recurring_revenue", "customer_downgrade_rate", CustomKey, "customer_health_score"];
        // Root fields of a query run concurrently, in one request.
        var query = "query($scope: MetricScopeInput!) { "
            + string.Concat(keys.Select((key, i) => $"v{i}: metricValue(key: \"{key}\", scope: $scope, period: \"2025-Q1\") {{ key value nullReason }} "))
            + "}";

        var together = await fixture.Host.GraphQLAsync(story.Reader, query, new { scope = ExecutiveScope });
        var alone = await Api.ValuesAsync(story.Reader, ExecutiveScope, "2025-Q1", keys);

        together.AssertNoErrors();
        Assert.Equal(
            alone.Select(v => (v!.Text("key"), v.Number(), v.Text("nullReason"))),
            keys.Select((_, i) => together.Data![$"v{i}"]!).Select(v => (v.Text("key"), v.Number(), v.Text("nullReason"))));
    }

    [Fact]
    public async Task ShouldShowAnotherTenantNoneOfThisTenantsAccountsPortfoliosOrMetrics()
    {
        var story = await StoryAsync();
        var other = ApiFixture.NewTenantId("other");
        await fixture.Host.CreateTenantAsync(other);
        var intruder = await fixture.Host.NewRoleTokenAsync(other, Roles.Auditor);

        var account = await Api.ValueResponseAsync(intruder, "net_revenue_retention", new { account = "s-a" }, "2025-Q1");
        var nobodysAccount = await Api.ValueResponseAsync(intruder, "net_revenue_retention", new { account = "s-never" }, "2025-Q1");
        var portfolio = await Api.ValueAsync(intruder, "net_revenue_retention", ExecutiveScope, "2025-Q1");
        var segment = await Api.ValueAsync(intruder, "net_revenue_retention", new { segment = Segment }, "2025-Q1");
        var custom = await Api.ValueResponseAsync(intruder, CustomKey, new { tenant = true }, "2025-Q1");
        var nobodysMetric = await Api.ValueResponseAsync(intruder, "never_defined", new { tenant = true }, "2025-Q1");

        // The same answers as for what nobody has: nothing says the first tenant holds them.
        Assert.Equal("NOT_FOUND", MetricValueApi.Code(account));
        Assert.Equal(MetricValueApi.ErrorMessage(nobodysAccount).Replace("s-never", "s-a", StringComparison.Ordinal), MetricValueApi.ErrorMessage(account));
        Assert.Equal("NOT_FOUND", MetricValueApi.Code(custom));
        Assert.Equal(MetricValueApi.ErrorMessage(nobodysMetric).Replace("never_defined", CustomKey, StringComparison.Ordinal), MetricValueApi.ErrorMessage(custom));
        // The executive id means the other tenant's own executive: an empty portfolio, never the first tenant's 0.78125.
        Assert.Equal((null, "zero denominator: mrr_start"), (portfolio.Number(), portfolio.Text("nullReason")));
        Assert.Equal([("mrr_start", 0m), ("mrr_expansion_existing", 0m), ("mrr_reactivated_existing", 0m), ("mrr_contraction_existing", 0m), ("mrr_churned_existing", 0m)],
            portfolio.Measures());
        Assert.Null(segment.Number());
        // And the first tenant still sees its own.
        Assert.Equal(0.78125m, (await Api.ValueAsync(story.Reader, "net_revenue_retention", ExecutiveScope, "2025-Q1")).Number());
    }

    public static TheoryData<string, object, string> BadInputs => new()
    {
        { "2025-13", ExecutiveScope, "period" },
        { "2025Q1", ExecutiveScope, "period" },
        { "2025-Q5", ExecutiveScope, "period" },
        { "25-01", ExecutiveScope, "period" },
        { "2025-Q1", new { executive = Executive, tenant = true }, "scope" },
        { "2025-Q1", new { account = "s-a", segment = Segment }, "scope" },
        { "2025-Q1", new { }, "scope" },
        { "2025-Q1", new { tenant = false }, "scope" },
        { "2025-Q1", new { executive = " " }, "scope.executive" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task ShouldRefuseAMalformedPeriodOrScopeNamingIt(string period, object scope, string field)
    {
        var story = await StoryAsync();

        var response = await Api.ValueResponseAsync(story.Reader, "net_revenue_retention", scope, period);
        var values = await fixture.Host.GraphQLAsync(story.Reader, MetricValueApi.Values, new { scope, period });

        foreach (var answer in new[] { response, values })
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal("INVALID_INPUT", MetricValueApi.Code(answer));
            Assert.Equal(field, MetricValueApi.ErrorField(answer));
            Assert.StartsWith($"{field}:", MetricValueApi.ErrorMessage(answer));
        }
    }

    [Fact]
    public async Task ShouldAnswerNotFoundForAnUnknownMetricOrVersion()
    {
        var story = await StoryAsync();

        var key = await Api.ValueResponseAsync(story.Reader, "no_such_metric", ExecutiveScope, "2025-Q1");
        var version = await Api.ValueResponseAsync(story.Reader, "net_revenue_retention", ExecutiveScope, "2025-Q1", version: 7);
        var inList = await fixture.Host.GraphQLAsync(story.Reader, MetricValueApi.Values, new { keys = new[] { "net_revenue_retention", "no_such_metric" }, scope = ExecutiveScope, period = "2025-Q1" });

        Assert.Equal("NOT_FOUND", MetricValueApi.Code(key));
        Assert.Contains("'no_such_metric'", MetricValueApi.ErrorMessage(key));
        Assert.Equal("NOT_FOUND", MetricValueApi.Code(version));
        // No version is numbered below 1: a malformed argument, as for metricDefinition.
        var zero = await Api.ValueResponseAsync(story.Reader, "net_revenue_retention", ExecutiveScope, "2025-Q1", version: 0);
        Assert.Equal(("INVALID_INPUT", "version"), (MetricValueApi.Code(zero), MetricValueApi.ErrorField(zero)));
        Assert.Equal("NOT_FOUND", MetricValueApi.Code(inList));
    }

    [Fact]
    public async Task ShouldLetEveryReaderRoleReadValuesButNotAnIntegration()
    {
        var story = await StoryAsync();
        string[] readers = [Roles.TenantAdmin, Roles.DataOwner, Roles.Executive, Roles.CsManager, Roles.Auditor, Roles.CommitteeMember];

        foreach (var role in readers)
        {
            var token = await fixture.Host.NewRoleTokenAsync(story.Tenant, role);
            Assert.Equal(0.78125m, (await Api.ValueAsync(token, "net_revenue_retention", ExecutiveScope, "2025-Q1")).Number());
        }

        var integration = await fixture.Host.NewRoleTokenAsync(story.Tenant, Roles.Integration);
        var value = await Api.ValueResponseAsync(integration, "net_revenue_retention", ExecutiveScope, "2025-Q1");
        var values = await fixture.Host.GraphQLAsync(integration, MetricValueApi.Values, new { scope = ExecutiveScope, period = "2025-Q1" });
        var series = await fixture.Host.GraphQLAsync(integration, MetricValueApi.Series,
            new { key = "net_revenue_retention", scope = ExecutiveScope, from = "2025-01", to = "2025-03" });

        foreach (var refused in new[] { value, values, series })
        {
            Assert.Equal((HttpStatusCode.Forbidden, "ACCESS_DENIED"), (refused.Status, refused.FirstErrorCode));
            Assert.Null(refused.Data);
        }
    }

    [Fact]
    public async Task ShouldStillListAMetricRetiredSinceForThePeriodsItGoverned()
    {
        var tenant = ApiFixture.NewTenantId("ret");
        await fixture.Host.CreateTenantAsync(tenant);
        var admin = await fixture.Host.NewRoleTokenAsync(tenant, Roles.TenantAdmin);
        var retired = await fixture.Host.GraphQLAsync(admin,
            "mutation { retireMetricDefinition(key: \"qbr_engagement_rate\", version: 1, reason: \"no more QBRs\") { status } }");
        retired.AssertNoErrors();

        // Version 1 governed 2025 (it was retired later, today): 2025-Q1 still has it, listed or asked for.
        var listed = await Api.ValuesAsync(admin, new { tenant = true }, "2025-Q1");
        var one = await Api.ValueAsync(admin, "qbr_engagement_rate", new { tenant = true }, "2025-Q1");

        Assert.Equal((1, 1, "RETIRED"), (one.Int("version"), one.Int("inForceVersion"), one.Text("versionStatus")));
        Assert.Equal(BuiltInMetrics.All.Select(d => d.Key).Order(), listed.Select(v => v!.Text("key")).Order());
        Assert.Equal("RETIRED", listed.ByKey("qbr_engagement_rate").Text("versionStatus"));
    }
}
