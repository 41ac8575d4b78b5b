using System.Text.Json.Nodes;
using Governance.Abstractions.Security;
using Governance.Api.Tests.Incentives;
using Governance.Api.Tests.Infrastructure;
using Governance.Api.Tests.Metrics;
using Governance.Storage.Findings;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Api.Tests.Findings;

/// <summary>Stored findings block the data gate of the payouts they touch until a data owner resolves them.</summary>
[Collection(ApiCollection.Name)]
public sealed class FindingApiTests(ApiFixture fixture)
{
    private GovernanceHost Host => fixture.Host;

    private IncentiveApi Api => new(fixture.Host);

    private FindingStore Store => Host.Services.GetRequiredService<FindingStore>();

    private static NewFinding Anomaly(string scope, string period, string key = "net_revenue_retention") =>
        new("anomaly", $"anomaly:{key}:{scope}:{period}", scope, key, period, null, $"{key} of {scope} is unusual in {period}", """{"score": 5.1}""");

    [Fact]
    public async Task ShouldRaiseEachFindingOnceEvenFromTwoRunsAtOnce()
    {
        var tenant = ApiFixture.NewTenantId("fnd-o");
        await Host.CreateTenantAsync(tenant);
        var findings = new[] { Anomaly("executive:e1", "2025-02"), Anomaly("executive:e2", "2025-02") };

        var runs = await Task.WhenAll(Store.RaiseAsync(tenant, findings, "anomalies"), Store.RaiseAsync(tenant, findings, "anomalies"));

        Assert.Equal(2, runs.Sum(r => r.Count));
        Assert.Equal(2, (await Store.ListAsync(tenant, openOnly: false, null, 100)).Count);
        Assert.Empty(await Store.RaiseAsync(tenant, findings, "anomalies"));
    }

    [Fact]
    public async Task ShouldBlockAPayoutWhoseInputsAFindingTouchesUntilADataOwnerResolvesIt()
    {
        var story = await Api.StoryAsync("fnd-p");
        // A monthly anomaly of the portfolio's NRR in February touches the Q1 payout; one of another executive does not.
        await Store.RaiseAsync(story.Tenant, [Anomaly("executive:exec-p", "2025-02"), Anomaly("executive:other", "2025-02"), Anomaly("executive:exec-p", "2025-05")], "anomalies");
        var id = IncentiveApi.Payout(await Api.ProposeAsync(story.MemberA), "proposePayout")["id"]!.GetValue<string>();
        await Api.CloseQuarterAsync(story);

        var blocked = IncentiveApi.Payout(await Api.DecideAsync(story.DataOwner, "verifyPayout", id), "verifyPayout");
        Assert.Equal("PROPOSED", blocked["status"]!.GetValue<string>());
        var evidence = JsonNode.Parse(blocked["events"]!.AsArray().Last()!["evidence"]!.GetValue<string>())!;
        var blocking = Assert.Single(evidence["openFindings"]!.AsArray())!["findingId"]!.GetValue<string>();

        var list = await Host.GraphQLAsync(story.DataOwner, "query { findings { id kind scope metricKey period open summary evidence detectedBy } }");
        list.AssertNoErrors();
        Assert.Equal(3, list.Data!["findings"]!.AsArray().Count);
        Assert.Equal("INVALID_INPUT", MetricValueApi.Code(await Resolve(story.DataOwner, blocking, " ")));
        Assert.Equal("ACCESS_DENIED", MetricValueApi.Code(await Resolve(story.MemberA, blocking, "looks fine")));
        var resolved = await Resolve(story.DataOwner, blocking, "a large renewal, confirmed with billing");
        resolved.AssertNoErrors();
        Assert.False(resolved.Data!["resolveFinding"]!["open"]!.GetValue<bool>());
        Assert.Equal("CONFLICT", MetricValueApi.Code(await Resolve(story.DataOwner, blocking, "again")));

        Assert.Equal("VERIFIED", IncentiveApi.Payout(await Api.DecideAsync(story.DataOwner, "verifyPayout", id), "verifyPayout")["status"]!.GetValue<string>());
        var audit = await Host.GraphQLAsync(story.Auditor, """query { auditEntries(action: "finding.resolved") { actor reason } }""");
        audit.AssertNoErrors();
        Assert.Equal("a large renewal, confirmed with billing", audit.Data!["auditEntries"]![0]!["reason"]!.GetValue<string>());

        // Another tenant's data owner neither sees nor resolves it.
        var other = ApiFixture.NewTenantId("fnd-q");
        await Host.CreateTenantAsync(other);
        var outsider = await Host.NewRoleTokenAsync(other, Roles.DataOwner);
        var theirs = await Host.GraphQLAsync(outsider, "query { findings(open: false) { id } }");
        theirs.AssertNoErrors();
        Assert.Empty(theirs.Data!["findings"]!.AsArray());
        Assert.Equal("NOT_FOUND", MetricValueApi.Code(await Resolve(outsider, list.Data!["findings"]![0]!["id"]!.GetValue<string>(), "mine now")));
    }

    private Task<GraphQLResponse> Resolve(string token, string id, string reason) =>
        Host.GraphQLAsync(token, "mutation($id: ID!, $r: String!) { resolveFinding(findingId: $id, reason: $r) { id open resolvedBy resolveReason } }", new { id, r = reason });
}

/// <summary>Every tenant gets every per-tenant job as a recurring job of its own, visible on the dashboard.</summary>
[Collection(ApiCollection.Name)]
public sealed class TenantJobScheduleTests(ApiFixture fixture)
{
    [Fact]
    public async Task ShouldScheduleEveryTenantJobForANewTenant()
    {
        var tenant = ApiFixture.NewTenantId("sched");
        await fixture.Host.CreateTenantAsync(tenant);

        using var connection = fixture.Host.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection();
        var jobs = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection).Where(j => j.Id.EndsWith($":{tenant}", StringComparison.Ordinal)).ToList();

        Assert.Contains(jobs, j => j.Id == $"clawback-checks:{tenant}");
        Assert.All(jobs, j => Assert.Equal("TenantJobRunner", j.Job.Type.Name));
    }
}
