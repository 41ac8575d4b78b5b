using System.Text.Json.Nodes;
using Governance.Abstractions.Security;
using Governance.Api.Tests.Identity;
using Governance.Api.Tests.Infrastructure;
using Governance.Api.Tests.Metrics;

namespace Governance.Api.Tests.Incentives;

/// <summary>Scorecards, plans and payouts through GraphQL with real tokens, over the story of <see cref="IncentiveApi"/>.</summary>
[Collection(ApiCollection.Name)]
public sealed class PayoutLifecycleTests(ApiFixture fixture)
{
    private GovernanceHost Host => fixture.Host;

    private IncentiveApi Api => new(fixture.Host);

    private static string Status(JsonNode payout) => payout["status"]!.GetValue<string>();

    [Fact]
    public async Task ShouldScoreTheScorecardFromThePortfoliosValuesWithTheirLineage()
    {
        var story = await Api.StoryAsync("inc-s");

        var response = await Host.GraphQLAsync(story.MemberA, """
            query { scorecard(executiveId: "exec-p", period: "2025-Q1") {
              version overall lenses { lens weight attainment }
              metrics { metricKey direction threshold target cap actual attainment note contribution value { version measures { measure value } } } } }
            """);

        response.AssertNoErrors();
        var card = response.Data!["scorecard"]!;
        Assert.Equal(0.8859375m, card["overall"]!.GetValue<decimal>());
        var nrr = card["metrics"]![0]!;
        Assert.Equal((0.78125m, 0.9765625m, "SCORED", "HIGHER_IS_BETTER"), (nrr["actual"]!.GetValue<decimal>(), nrr["attainment"]!.GetValue<decimal>(), nrr["note"]!.GetValue<string>(), nrr["direction"]!.GetValue<string>()));
        Assert.Equal(1, nrr["value"]!["version"]!.GetValue<int>());
        Assert.Contains(nrr["value"]!["measures"]!.AsArray(), m => m!["measure"]!.GetValue<string>() == "mrr_start");
        var churn = card["metrics"]![1]!;
        Assert.Equal(("LOWER_IS_BETTER", 0.75m), (churn["direction"]!.GetValue<string>(), decimal.Round(churn["attainment"]!.GetValue<decimal>(), 20)));
        Assert.Equal(["FINANCIAL", "CUSTOMER"], card["lenses"]!.AsArray().Select(l => l!["lens"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ShouldAnswerWhatIfWithoutWritingAnything()
    {
        var story = await Api.StoryAsync("inc-w");

        var atAttainment = await Host.GraphQLAsync(story.MemberA, """query { whatIfPayout(executiveId: "exec-p", period: "2025-Q1", attainment: 1.2) { total currency } }""");
        var withValues = await Host.GraphQLAsync(story.Admin, """
            query { whatIfPayout(executiveId: "exec-p", period: "2025-Q1", values: [{ metricKey: "net_revenue_retention", value: 0.8 }]) { total segments { overall multiplier } } }
            """);
        var asItIs = await Host.GraphQLAsync(story.Admin, """query { whatIfPayout(executiveId: "exec-p", period: "2025-Q1") { total tranches { amount } } }""");

        atAttainment.AssertNoErrors();
        Assert.Equal(28_000.00m, atAttainment.Data!["whatIfPayout"]!["total"]!.GetValue<decimal>()); // 20,000 × 1.4
        withValues.AssertNoErrors();
        Assert.Equal(0.9m, withValues.Data!["whatIfPayout"]!["segments"]![0]!["overall"]!.GetValue<decimal>()); // 0.6 × 1 + 0.4 × 0.75
        Assert.Equal(15_000.00m, withValues.Data!["whatIfPayout"]!["total"]!.GetValue<decimal>()); // multiplier 0.75
        asItIs.AssertNoErrors();
        Assert.Equal(14_296.88m, asItIs.Data!["whatIfPayout"]!["total"]!.GetValue<decimal>());
        var payouts = await Host.GraphQLAsync(story.Admin, "query { payouts { id } }");
        Assert.Empty(payouts.Data!["payouts"]!.AsArray());
        Assert.Equal("INVALID_INPUT", MetricValueApi.Code(await Host.GraphQLAsync(story.Admin, """query { whatIfPayout(executiveId: "exec-p", period: "2025-Q1", attainment: -1) { total } }""")));
    }

    [Fact]
    public async Task ShouldTakeAPayoutFromProposalThroughTheDataGateAndAQuorumToReleasedAndHeldTranches()
    {
        var story = await Api.StoryAsync("inc-l");

        // Proposed: computed, every value pinned.
        var proposed = IncentiveApi.Payout(await Api.ProposeAsync(story.MemberA), "proposePayout");
        var id = proposed["id"]!.GetValue<string>();
        Assert.Equal(("PROPOSED", 14_296.88m, "EUR", story.PayeeUserId), (Status(proposed), proposed["total"]!.GetValue<decimal>(), proposed["currency"]!.GetValue<string>(), proposed["payeeUserId"]!.GetValue<string>()));
        Assert.Equal([7_148.44m, 7_148.44m], proposed["tranches"]!.AsArray().Select(t => t!["amount"]!.GetValue<decimal>()));
        Assert.Equal(["2025-04-01", "2027-04-01"], proposed["tranches"]!.AsArray().Select(t => t!["dueOn"]!.GetValue<string>()));
        Assert.Equal(["customer_churn_rate", "gross_revenue_retention", "net_revenue_retention"], proposed["values"]!.AsArray().Select(v => v!["metricKey"]!.GetValue<string>()));
        var segment = proposed["statement"]!["segments"]![0]!;
        Assert.Equal((0.71484375m, 14_296.875m, true), (segment["multiplier"]!.GetValue<decimal>(), segment["amount"]!.GetValue<decimal>(), segment["gates"]![0]!["holds"]!.GetValue<bool>()));
        var pinId = proposed["values"]![2]!["pinId"]!.GetValue<string>();
        var pin = await Host.GraphQLAsync(story.Auditor, "query($id: ID!) { verifyPinned(pinId: $id) { unchanged pinnedValue } }", new { id = pinId });
        pin.AssertNoErrors();
        Assert.Equal(0.78125m, pin.Data!["verifyPinned"]!["pinnedValue"]!.GetValue<decimal>());

        // Downstream: a fact behind the NRR reaches the payout through its pin.
        var facts = await Host.GraphQLAsync(story.Auditor, "query($id: ID!) { pinnedLineage(pinId: $id) { facts { items { factId externalId } } } }", new { id = pinId });
        facts.AssertNoErrors();
        var factId = facts.Data!["pinnedLineage"]!["facts"]!["items"]!.AsArray().Single(f => f!["externalId"]!.GetValue<string>() == "inc-l-a-up")!["factId"]!.GetValue<long>();
        var downstream = await Host.GraphQLAsync(story.Auditor, "query($id: Long!) { factLineage(factId: $id) { payouts { id executiveId period } } }", new { id = factId });
        downstream.AssertNoErrors();
        Assert.Equal((id, "exec-p", "2025-Q1"), (downstream.Data!["factLineage"]!["payouts"]![0]!["id"]!.GetValue<string>(),
            downstream.Data["factLineage"]!["payouts"]![0]!["executiveId"]!.GetValue<string>(), downstream.Data["factLineage"]!["payouts"]![0]!["period"]!.GetValue<string>()));

        Assert.Equal("CONFLICT", MetricValueApi.Code(await Api.ProposeAsync(story.MemberB)));
        Assert.Equal("CONFLICT", MetricValueApi.Code(await Api.DecideAsync(story.MemberB, "approvePayout", id)));

        // The data gate fails while the quarter is open, and says so; the payout stays proposed.
        var failed = IncentiveApi.Payout(await Api.DecideAsync(story.DataOwner, "verifyPayout", id), "verifyPayout");
        Assert.Equal("PROPOSED", Status(failed));
        var failure = failed["events"]!.AsArray().Last()!;
        Assert.Equal(("verification_failed", "the period is not closed"), (failure["kind"]!.GetValue<string>(), failure["reason"]!.GetValue<string>()));
        Assert.False(JsonNode.Parse(failure["evidence"]!.GetValue<string>())!["periodClosed"]!.GetValue<bool>());

        await Api.CloseQuarterAsync(story);

        var verified = IncentiveApi.Payout(await Api.DecideAsync(story.DataOwner, "verifyPayout", id), "verifyPayout");
        Assert.Equal("VERIFIED", Status(verified));
        var evidence = JsonNode.Parse(verified["events"]!.AsArray().Last()!["evidence"]!.GetValue<string>())!;
        Assert.Equal((true, 0), (evidence["periodClosed"]!.GetValue<bool>(), evidence["pinsChanged"]!.GetValue<int>()));

        // Separation of duties: the payee cannot vote even holding the committee role; a non-member cannot; nobody twice.
        var payee = await new CodeFlow(Host).SignInAsync(story.Tenant, "pat", "pat-password-long");
        Assert.Equal("FORBIDDEN", MetricValueApi.Code(await Api.DecideAsync(payee, "approvePayout", id)));
        Assert.Equal("FORBIDDEN", MetricValueApi.Code(await Api.DecideAsync(payee, "rejectPayout", id, "not enough")));
        Assert.Equal("ACCESS_DENIED", MetricValueApi.Code(await Api.DecideAsync(story.Auditor, "approvePayout", id)));
        var first = IncentiveApi.Payout(await Api.DecideAsync(story.MemberA, "approvePayout", id), "approvePayout");
        Assert.Equal(("VERIFIED", 1), (Status(first), first["approvals"]!.AsArray().Count));
        Assert.Equal("CONFLICT", MetricValueApi.Code(await Api.DecideAsync(story.MemberA, "approvePayout", id)));
        var approved = IncentiveApi.Payout(await Api.DecideAsync(story.MemberB, "approvePayout", id), "approvePayout");
        Assert.Equal(("APPROVED", 2, 2), (Status(approved), approved["approvals"]!.AsArray().Count, approved["quorum"]!.GetValue<int>()));

        // Tranches: the first is due and released; the second is not due until 2027 and can only be held.
        var released = IncentiveApi.Payout(await Api.DecideAsync(story.MemberA, "releaseTranche", id, tranche: 0), "releaseTranche");
        Assert.Equal(["RELEASED", "SCHEDULED"], released["tranches"]!.AsArray().Select(t => t!["status"]!.GetValue<string>()));
        var early = await Api.DecideAsync(story.MemberA, "releaseTranche", id, tranche: 1);
        Assert.Equal("CONFLICT", MetricValueApi.Code(early));
        Assert.Contains("not due until 2027-04-01", early.Errors[0]!["message"]!.GetValue<string>());
        Assert.Equal("INVALID_INPUT", MetricValueApi.Code(await Api.DecideAsync(story.MemberA, "releaseTranche", id, tranche: 2)));
        var held = IncentiveApi.Payout(await Api.DecideAsync(story.MemberB, "holdTranche", id, "retention under review", 1), "holdTranche");
        Assert.Equal(["RELEASED", "HELD"], held["tranches"]!.AsArray().Select(t => t!["status"]!.GetValue<string>()));

        // Every transition is on the audit log with its actor and evidence.
        var audit = await Host.GraphQLAsync(story.Auditor, """query { auditEntries(first: 100) { action subject actor } }""");
        audit.AssertNoErrors();
        var actions = audit.Data!["auditEntries"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).Where(a => a.StartsWith("payout.", StringComparison.Ordinal) || a.EndsWith(".changed", StringComparison.Ordinal) && !a.StartsWith("fact", StringComparison.Ordinal)).ToList();
        Assert.Equal(["scorecard.changed", "plan.changed", "payout.proposed", "payout.verification_failed", "payout.verified", "payout.approval", "payout.approval", "payout.approved",
            "payout.tranche_released", "payout.tranche_held"], actions);
        var log = await Host.GraphQLAsync(story.Auditor, "query { verifyAuditLog { ok } }");
        log.AssertNoErrors();
        Assert.True(log.Data!["verifyAuditLog"]!["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ShouldRejectWithAReasonAndLetANewProposalFollow()
    {
        var story = await Api.StoryAsync("inc-r");
        var id = IncentiveApi.Payout(await Api.ProposeAsync(story.Admin), "proposePayout")["id"]!.GetValue<string>();

        Assert.Equal("INVALID_INPUT", MetricValueApi.Code(await Api.DecideAsync(story.MemberA, "rejectPayout", id, " ")));
        var rejected = IncentiveApi.Payout(await Api.DecideAsync(story.MemberA, "rejectPayout", id, "churn data disputed"), "rejectPayout");

        Assert.Equal("REJECTED", Status(rejected));
        Assert.Equal("churn data disputed", rejected["events"]!.AsArray().Last()!["reason"]!.GetValue<string>());
        Assert.Equal("CONFLICT", MetricValueApi.Code(await Api.DecideAsync(story.MemberB, "verifyPayout", id)));
        Assert.Equal("PROPOSED", Status(IncentiveApi.Payout(await Api.ProposeAsync(story.Admin), "proposePayout")));
    }

    [Fact]
    public async Task ShouldApplyAPlanChangeMidQuarterProRataAndAuditIt()
    {
        var story = await Api.StoryAsync("inc-p");

        // From March 1st the plan pays 49,000 a quarter: 59 days at 20,000 and 31 at 24,500, both × 0.71484375:
        // (20,000 × 59 + 24,500 × 31) / 90 × 0.71484375 = 21,550.00 × 0.71484375 = 15,404.8828… → 15,404.88.
        var change = await Host.GraphQLAsync(story.Admin, IncentiveApi.SetPlan,
            new { executiveId = IncentiveApi.Executive, payeeUserId = story.PayeeUserId, effectiveFrom = "2025-03-01", reason = "raise from March", plan = IncentiveApi.Plan(49_000m) });
        change.AssertNoErrors();
        var whatIf = await Host.GraphQLAsync(story.Admin, """query { whatIfPayout(executiveId: "exec-p", period: "2025-Q1") { total governingPlanVersion segments { days planVersion } } }""");

        whatIf.AssertNoErrors();
        var result = whatIf.Data!["whatIfPayout"]!;
        Assert.Equal(15_404.88m, result["total"]!.GetValue<decimal>());
        Assert.Equal([(59, 1), (31, 2)], result["segments"]!.AsArray().Select(s => (s!["days"]!.GetValue<int>(), s["planVersion"]!.GetValue<int>())));
        var versions = await Host.GraphQLAsync(story.Auditor, """query { planVersions(executiveId: "exec-p") { version effectiveFrom variablePayAtTarget author reason } }""");
        versions.AssertNoErrors();
        Assert.Equal([40_000m, 49_000m], versions.Data!["planVersions"]!.AsArray().Select(v => v!["variablePayAtTarget"]!.GetValue<decimal>()));
        var audit = await Host.GraphQLAsync(story.Auditor, """query { auditEntries(action: "plan.changed") { subject reason before after } }""");
        audit.AssertNoErrors();
        var entry = audit.Data!["auditEntries"]!.AsArray().Last()!;
        Assert.Equal(("executive:exec-p/v2", "raise from March"), (entry["subject"]!.GetValue<string>(), entry["reason"]!.GetValue<string>()));
        Assert.Contains("40000", entry["before"]!.GetValue<string>());
        Assert.Contains("49000", entry["after"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShouldAdoptARoleTemplateAsAScorecardVersion()
    {
        var story = await Api.StoryAsync("inc-t");

        var templates = await Host.GraphQLAsync(story.Admin, "query { scorecardTemplates { name role metrics { lens metricKey weight direction } } }");
        var adopted = await Host.GraphQLAsync(story.Admin, """
            mutation { adoptScorecardTemplate(executiveId: "exec-cpo", template: "cpo", effectiveFrom: "2026-01-01", reason: "new CPO") { version template metrics { metricKey lens targets { from target } } } }
            """);
        var unknown = await Host.GraphQLAsync(story.Admin, """mutation { adoptScorecardTemplate(executiveId: "x", template: "ceo", effectiveFrom: "2026-01-01", reason: "r") { version } }""");

        templates.AssertNoErrors();
        Assert.Equal(["cro", "cpo", "cco"], templates.Data!["scorecardTemplates"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        adopted.AssertNoErrors();
        var version = adopted.Data!["adoptScorecardTemplate"]!;
        Assert.Equal((1, "cpo"), (version["version"]!.GetValue<int>(), version["template"]!.GetValue<string>()));
        Assert.Contains(version["metrics"]!.AsArray(), m => m!["metricKey"]!.GetValue<string>() == "time_to_value" && m["targets"]![0]!["from"]!.GetValue<string>() == "2026-01-01");
        Assert.Equal("INVALID_INPUT", MetricValueApi.Code(unknown));
    }

    [Fact]
    public async Task ShouldRefuseBadScorecardsAndPlansNamingTheField()
    {
        var story = await Api.StoryAsync("inc-b");
        async Task<string?> Field(string query, object variables)
        {
            var response = await Host.GraphQLAsync(story.Admin, query, variables);
            Assert.Equal("INVALID_INPUT", MetricValueApi.Code(response));
            return response.Errors[0]!["extensions"]!["data"]?["field"]?.GetValue<string>() ?? response.Errors[0]!["message"]!.GetValue<string>();
        }

        object Metric(string key, decimal weight) => new { lens = "FINANCIAL", metricKey = key, weight, cap = 1.5m, targets = new[] { new { from = "2025-01-01", threshold = 0.7m, target = 0.8m } } };

        Assert.Equal("metrics", await Field(IncentiveApi.SetScorecard, new { executiveId = "e", effectiveFrom = "2025-01-01", reason = "r", metrics = new[] { Metric("net_revenue_retention", 0.5m) } }));
        Assert.Equal("metrics[0].metricKey", await Field(IncentiveApi.SetScorecard, new { executiveId = "e", effectiveFrom = "2025-01-01", reason = "r", metrics = new[] { Metric("made_up", 1m) } }));
        var negative = IncentiveApi.Plan(-5m);
        Assert.Equal("variablePayAtTarget", await Field(IncentiveApi.SetPlan, new { executiveId = "e", payeeUserId = story.PayeeUserId, effectiveFrom = "2025-01-01", reason = "r", plan = negative }));
        Assert.Equal("payeeUserId", await Field(IncentiveApi.SetPlan, new { executiveId = "e", payeeUserId = Guid.NewGuid(), effectiveFrom = "2025-01-01", reason = "r", plan = IncentiveApi.Plan(1m) }));
        Assert.Equal("reason", await Field(IncentiveApi.SetPlan, new { executiveId = "e", payeeUserId = story.PayeeUserId, effectiveFrom = "2025-01-01", reason = "", plan = IncentiveApi.Plan(1m) }));
        Assert.Equal("quorum", await Field("mutation { setCommitteeQuorum(quorum: 0, reason: \"r\") }", new { }));

        // Nothing of it was stored.
        var versions = await Host.GraphQLAsync(story.Admin, """query { planVersions(executiveId: "e") { version } scorecardVersions(executiveId: "e") { version } }""");
        versions.AssertNoErrors();
        Assert.Empty(versions.Data!["planVersions"]!.AsArray());
        Assert.Empty(versions.Data!["scorecardVersions"]!.AsArray());
    }

    [Fact]
    public async Task ShouldFollowTheQuorumTheTenantSets()
    {
        var story = await Api.StoryAsync("inc-q");
        var set = await Host.GraphQLAsync(story.Admin, "mutation { setCommitteeQuorum(quorum: 1, reason: \"small committee\") }");
        set.AssertNoErrors();
        var id = IncentiveApi.Payout(await Api.ProposeAsync(story.Admin), "proposePayout")["id"]!.GetValue<string>();
        await Api.CloseQuarterAsync(story);

        Assert.Equal("VERIFIED", Status(IncentiveApi.Payout(await Api.DecideAsync(story.MemberB, "verifyPayout", id), "verifyPayout")));
        Assert.Equal("APPROVED", Status(IncentiveApi.Payout(await Api.DecideAsync(story.MemberA, "approvePayout", id), "approvePayout")));
        var audit = await Host.GraphQLAsync(story.Auditor, """query { auditEntries(action: "committee.quorum_set") { before after reason } }""");
        audit.AssertNoErrors();
        Assert.Contains("\"quorum\":1", audit.Data!["auditEntries"]![0]!["after"]!.GetValue<string>().Replace(" ", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ShouldNotLetAnotherTenantSeeOrDecideAPayout()
    {
        var story = await Api.StoryAsync("inc-x");
        var id = IncentiveApi.Payout(await Api.ProposeAsync(story.Admin), "proposePayout")["id"]!.GetValue<string>();
        var other = ApiFixture.NewTenantId("inc-y");
        await Host.CreateTenantAsync(other);
        var outsider = await Host.NewRoleTokenAsync(other, Roles.CommitteeMember, Roles.TenantAdmin);

        Assert.Equal("NOT_FOUND", MetricValueApi.Code(await Host.GraphQLAsync(outsider, "query($id: ID!) { payout(id: $id) { id } }", new { id })));
        Assert.Equal("NOT_FOUND", MetricValueApi.Code(await Api.DecideAsync(outsider, "verifyPayout", id)));
        Assert.Equal("NOT_FOUND", MetricValueApi.Code(await Api.DecideAsync(outsider, "rejectPayout", id, "no")));
        var list = await Host.GraphQLAsync(outsider, "query { payouts { id } planVersions(executiveId: \"exec-p\") { version } }");
        list.AssertNoErrors();
        Assert.Empty(list.Data!["payouts"]!.AsArray());
        Assert.Empty(list.Data!["planVersions"]!.AsArray());
        Assert.Equal("NOT_FOUND", MetricValueApi.Code(await Host.GraphQLAsync(outsider, """query { scorecard(executiveId: "exec-p", period: "2025-Q1") { overall } }""")));
    }

    [Fact]
    public async Task ShouldKeepAMemberLinkedToThePayoutsExecutiveFromDecidingOnIt()
    {
        var story = await Api.StoryAsync("inc-k");
        await Host.AddUserAsync(story.Tenant, "cro-person", "cro-person-password", Roles.CommitteeMember, Roles.Executive);
        var link = await Host.GraphQLAsync(story.Admin, """mutation { linkExecutive(username: "cro-person", executiveId: "exec-p", reason: "she is exec-p") { username executiveId } }""");
        link.AssertNoErrors();
        Assert.Equal("exec-p", link.Data!["linkExecutive"]!["executiveId"]!.GetValue<string>());
        var id = IncentiveApi.Payout(await Api.ProposeAsync(story.Admin), "proposePayout")["id"]!.GetValue<string>();
        await Api.CloseQuarterAsync(story);

        IncentiveApi.Payout(await Api.DecideAsync(story.DataOwner, "verifyPayout", id), "verifyPayout");
        var person = await new CodeFlow(Host).SignInAsync(story.Tenant, "cro-person", "cro-person-password");

        var viewer = await Host.GraphQLAsync(person, "query { viewer { executiveId } payouts { id } }");
        viewer.AssertNoErrors();
        Assert.Equal("exec-p", viewer.Data!["viewer"]!["executiveId"]!.GetValue<string>());
        Assert.Equal("FORBIDDEN", MetricValueApi.Code(await Api.DecideAsync(person, "approvePayout", id)));
        Assert.Equal("FORBIDDEN", MetricValueApi.Code(await Api.DecideAsync(person, "rejectPayout", id, "not mine to judge")));
        var audit = await Host.GraphQLAsync(story.Auditor, """query { auditEntries(action: "user.executive_linked") { subject reason after } }""");
        audit.AssertNoErrors();
        Assert.Equal("user:cro-person", audit.Data!["auditEntries"]![0]!["subject"]!.GetValue<string>());

        var other = ApiFixture.NewTenantId("inc-k2");
        await Host.CreateTenantAsync(other);
        var outsider = await Host.NewRoleTokenAsync(other, Roles.TenantAdmin);
        Assert.Equal("NOT_FOUND", MetricValueApi.Code(await Host.GraphQLAsync(outsider, """mutation { linkExecutive(username: "cro-person", executiveId: "x", reason: "r") { username } }""")));
    }

    [Fact]
    public async Task ShouldShowAnExecutiveTheirOwnScorecardAndPayAndNoOneElses()
    {
        var story = await Api.StoryAsync("inc-o");
        await Host.AddUserAsync(story.Tenant, "peer", "peer-password-long", Roles.Executive);
        await Host.AddUserAsync(story.Tenant, "cro", "cro-password-long", Roles.Executive);
        await Host.AddUserAsync(story.Tenant, "heir", "heir-password-long", Roles.Executive);
        (await Host.GraphQLAsync(story.Admin, """mutation { linkExecutive(username: "peer", executiveId: "exec-q", reason: "runs EMEA") { username } }""")).AssertNoErrors();
        (await Host.GraphQLAsync(story.Admin, """mutation { linkExecutive(username: "cro", executiveId: "exec-p", reason: "she is exec-p") { username } }""")).AssertNoErrors();
        var users = await Host.GraphQLAsync(story.Admin, "query { users { id username } }");
        var heirId = users.Data!["users"]!.AsArray().Single(u => u!["username"]!.GetValue<string>() == "heir")!["id"]!.GetValue<string>();
        (await Host.GraphQLAsync(story.Admin, IncentiveApi.SetPlan,
            new { executiveId = IncentiveApi.Executive, payeeUserId = heirId, effectiveFrom = "2025-04-01", reason = "new payee from Q2", plan = IncentiveApi.Plan(40_000m) })).AssertNoErrors();
        var (peer, cro, heir) = (await new CodeFlow(Host).SignInAsync(story.Tenant, "peer", "peer-password-long"),
            await new CodeFlow(Host).SignInAsync(story.Tenant, "cro", "cro-password-long"), await new CodeFlow(Host).SignInAsync(story.Tenant, "heir", "heir-password-long"));
        const string Plans = """query { planVersions(executiveId: "exec-p") { version } }""";
        const string WhatIf = """query { whatIfPayout(executiveId: "exec-p", period: "2025-Q1", attainment: 1) { total } }""";
        const string Card = """query { scorecardVersions(executiveId: "exec-p") { version } scorecard(executiveId: "exec-p", period: "2025-Q1") { overall } }""";

        // Another executive's pay is not theirs to read, and nothing of it is answered.
        var peerPlans = await Host.GraphQLAsync(peer, Plans);
        Assert.Equal("FORBIDDEN", MetricValueApi.Code(peerPlans));
        Assert.Null(peerPlans.Data?["planVersions"]);
        Assert.Equal("FORBIDDEN", MetricValueApi.Code(await Host.GraphQLAsync(peer, WhatIf)));
        var peerCard = await Host.GraphQLAsync(peer, Card);
        Assert.Equal("FORBIDDEN", MetricValueApi.Code(peerCard));
        Assert.Null(peerCard.Data?["scorecard"]);
        (await Host.GraphQLAsync(peer, """query { planVersions(executiveId: "exec-q") { version } }""")).AssertNoErrors();

        // The executive linked to exec-p, and the payee of one of its plans, read it; so do the admin and the committee.
        foreach (var token in new[] { cro, heir, story.Admin, story.MemberA })
        {
            var plans = await Host.GraphQLAsync(token, Plans);
            plans.AssertNoErrors();
            Assert.Equal(2, plans.Data!["planVersions"]!.AsArray().Count);
            var whatIf = await Host.GraphQLAsync(token, WhatIf);
            whatIf.AssertNoErrors();
            Assert.Equal(20_000.00m, whatIf.Data!["whatIfPayout"]!["total"]!.GetValue<decimal>()); // 40,000 × 0.5 at target
            var card = await Host.GraphQLAsync(token, Card);
            card.AssertNoErrors();
            Assert.Equal(0.8859375m, card.Data!["scorecard"]!["overall"]!.GetValue<decimal>());
        }

        // A CS manager supports every executive's scorecard (and reads no pay).
        var csManager = await Host.NewRoleTokenAsync(story.Tenant, Roles.CsManager);
        (await Host.GraphQLAsync(csManager, """query { scorecard(executiveId: "exec-p", period: "2025-Q1") { overall } }""")).AssertNoErrors();
    }
}
