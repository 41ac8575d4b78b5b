using System.Text.Json.Nodes;
using Governance.Abstractions.Security;
using Governance.Api.Incentives;
using Governance.Api.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Governance.Api.Tests.Infrastructure;
using Governance.Api.Tests.Metrics;
using static Governance.Api.Tests.Metrics.MetricFacts;

namespace Governance.Api.Tests.Incentives;

/// <summary>Clawback cases and the data gate's findings, on a host whose clock the test moves (<see cref="ClockFixture"/>).</summary>
[Collection(ClockCollection.Name)]
public sealed class ClawbackAndFindingTests(ClockFixture fixture)
{
    private const string Check = """
        mutation($id: ID!) { checkClawback(payoutId: $id) { holds opened recoverable breaches { trancheIndex month value } payout { clawback } } }
        """;

    private GovernanceHost Host => fixture.Host;

    private IncentiveApi Api => new(fixture.Host);

    private async Task<string> ApprovedAsync(Story story)
    {
        var id = IncentiveApi.Payout(await Api.ProposeAsync(story.MemberA), "proposePayout")["id"]!.GetValue<string>();
        await Api.CloseQuarterAsync(story);

        IncentiveApi.Payout(await Api.DecideAsync(story.DataOwner, "verifyPayout", id), "verifyPayout");
        IncentiveApi.Payout(await Api.DecideAsync(story.MemberA, "approvePayout", id), "approvePayout");
        Assert.Equal("APPROVED", IncentiveApi.Payout(await Api.DecideAsync(story.MemberB, "approvePayout", id), "approvePayout")["status"]!.GetValue<string>());
        return id;
    }

    [Fact]
    public async Task ShouldOpenAClawbackCaseOnlyWhenNrrFallsBelowTheBoundWithinTheWindow()
    {
        var story = await Api.StoryAsync("claw");
        var id = await ApprovedAsync(story);
        IncentiveApi.Payout(await Api.DecideAsync(story.MemberA, "releaseTranche", id, tranche: 0), "releaseTranche");
        var releasedOn = fixture.Clock.GetUtcNow();

        // Just released: no month of the window (the twelve after the release month) has ended yet.
        var early = await Host.GraphQLAsync(story.DataOwner, Check, new { id });
        early.AssertNoErrors();
        Assert.False(early.Data!["checkClawback"]!["holds"]!.GetValue<bool>());

        // Three months on, the portfolio kept its MRR: monthly NRR 1, not below 0.9. No case.
        fixture.Clock.Advance(TimeSpan.FromDays(100));
        var member = await Host.NewRoleTokenAsync(story.Tenant, Roles.CommitteeMember);
        var steady = await Host.GraphQLAsync(member, Check, new { id });
        steady.AssertNoErrors();
        Assert.Equal((false, false, "NONE"), (steady.Data!["checkClawback"]!["holds"]!.GetValue<bool>(), steady.Data["checkClawback"]!["opened"]!.GetValue<bool>(),
            steady.Data["checkClawback"]!["payout"]!["clawback"]!.GetValue<string>()));

        // Account A (1,150 of the portfolio's 1,500) churns in the second month after the release: that month's NRR is 350 / 1,500.
        var churnMonth = new DateTime(releasedOn.Year, releasedOn.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(2);
        var integration = await Host.NewRoleTokenAsync(story.Tenant, Roles.Integration);
        await Api.Metrics.IngestAsync(integration, Mrr("claw-a", "claw-a-gone", "CHURN", 1_150m, churnMonth.AddDays(9).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));

        // The daily job finds it; two runs at once open one case.
        var runner = Host.Services.GetRequiredService<TenantJobRunner>();
        await Task.WhenAll(runner.RunAsync(ClawbackCheckJob.JobName, story.Tenant, CancellationToken.None), runner.RunAsync(ClawbackCheckJob.JobName, story.Tenant, CancellationToken.None));
        var afterJob = IncentiveApi.Payout(await Host.GraphQLAsync(member, $$"""query($id: ID!) { payout(id: $id) { {{IncentiveApi.PayoutFields}} } }""", new { id }), "payout");
        Assert.Equal("OPEN", afterJob["clawback"]!.GetValue<string>());
        var openedEvent = Assert.Single(afterJob["events"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "clawback_opened")!;
        Assert.Equal("job:clawback-checks", openedEvent["actor"]!.GetValue<string>());

        // Asked by hand, the check shows what holds; the case is open already.
        var breached = await Host.GraphQLAsync(member, Check, new { id });
        breached.AssertNoErrors();
        var result = breached.Data!["checkClawback"]!;
        Assert.Equal((true, false, 3_574.22m, "OPEN"), (result["holds"]!.GetValue<bool>(), result["opened"]!.GetValue<bool>(), result["recoverable"]!.GetValue<decimal>(),
            result["payout"]!["clawback"]!.GetValue<string>())); // half of 7,148.44
        var breach = Assert.Single(result["breaches"]!.AsArray())!;
        Assert.Equal(($"{churnMonth:yyyy-MM}", 350m / 1_500m), (breach["month"]!.GetValue<string>(), decimal.Round(breach["value"]!.GetValue<decimal>(), 28)));

        // The committee decides, with a reason; all of it audited.
        Assert.Equal("INVALID_INPUT", MetricValueApi.Code(await Api.DecideAsync(member, "recoverClawback", id, "")));
        var recovered = IncentiveApi.Payout(await Api.DecideAsync(member, "recoverClawback", id, "NRR collapsed after payment"), "recoverClawback");
        Assert.Equal("RECOVERED", recovered["clawback"]!.GetValue<string>());
        Assert.Equal("CONFLICT", MetricValueApi.Code(await Api.DecideAsync(member, "dismissClawback", id, "too late")));
        var auditor = await Host.NewRoleTokenAsync(story.Tenant, Roles.Auditor);
        var audit = await Host.GraphQLAsync(auditor, """query { auditEntries(first: 200) { action actor after } }""");
        audit.AssertNoErrors();
        var opened = audit.Data!["auditEntries"]!.AsArray().Single(e => e!["action"]!.GetValue<string>() == "payout.clawback_opened")!;
        Assert.Contains("breaches", opened["after"]!.GetValue<string>());
        Assert.Contains(audit.Data!["auditEntries"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "payout.clawback_recovered");
    }

    [Fact]
    public async Task ShouldBlockVerificationWhileAFindingIsOpenOnTheInputs()
    {
        var story = await Api.StoryAsync("find");
        fixture.Findings.Open(story.Tenant, new OpenFinding("f-1", "anomaly", "NRR of exec-p spiked in 2025-Q1"));
        var proposed = IncentiveApi.Payout(await Api.ProposeAsync(story.MemberA), "proposePayout");
        var id = proposed["id"]!.GetValue<string>();
        await Api.CloseQuarterAsync(story);

        var blocked = IncentiveApi.Payout(await Api.DecideAsync(story.DataOwner, "verifyPayout", id), "verifyPayout");
        Assert.Equal("PROPOSED", blocked["status"]!.GetValue<string>());
        var failure = blocked["events"]!.AsArray().Last()!;
        Assert.Equal("1 open finding(s) on the inputs", failure["reason"]!.GetValue<string>());
        Assert.Equal("f-1", JsonNode.Parse(failure["evidence"]!.GetValue<string>())!["openFindings"]![0]!["findingId"]!.GetValue<string>());

        fixture.Findings.Resolve(story.Tenant);
        Assert.Equal("VERIFIED", IncentiveApi.Payout(await Api.DecideAsync(story.DataOwner, "verifyPayout", id), "verifyPayout")["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShouldFailVerificationWhenAPinnedValueChangedSinceTheProposal()
    {
        var story = await Api.StoryAsync("late");
        var id = IncentiveApi.Payout(await Api.ProposeAsync(story.MemberA), "proposePayout")["id"]!.GetValue<string>();
        await Api.CloseQuarterAsync(story);

        // A late expansion of A in February changes NRR and GRR's inputs after the proposal.
        await Api.Metrics.IngestAsync(story.Integration, Mrr("late-a", "late-a-more", "EXPANSION", 100m, "2025-02-20"));
        var failed = IncentiveApi.Payout(await Api.DecideAsync(story.DataOwner, "verifyPayout", id), "verifyPayout");

        Assert.Equal("PROPOSED", failed["status"]!.GetValue<string>());
        var evidence = JsonNode.Parse(failed["events"]!.AsArray().Last()!["evidence"]!.GetValue<string>())!;
        Assert.True(evidence["pinsChanged"]!.GetValue<int>() >= 1);
        var nrr = evidence["pins"]!.AsArray().Single(p => p!["metricKey"]!.GetValue<string>() == "net_revenue_retention")!;
        Assert.False(nrr["unchanged"]!.GetValue<bool>());
        Assert.Single(nrr["added"]!.AsArray());
    }
}
