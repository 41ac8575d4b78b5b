using System.Text.Json.Nodes;
using Governance.Abstractions.Security;
using Governance.Api.Tests.Infrastructure;
using Governance.Api.Tests.Metrics;
using static Governance.Api.Tests.Metrics.MetricFacts;

namespace Governance.Api.Tests.Incentives;

/// <summary>
/// The incentive story the tests share: the retention story's portfolio <c>exec-p</c> in 2025-Q1 (NRR 0.78125,
/// customer churn 1/3, GRR 0.6875), a scorecard of NRR (weight 0.6, threshold 0.7, target 0.8) and churn
/// (weight 0.4, threshold 0.5, target 0.25, lower is better), and a plan paying 40,000 EUR a quarter of
/// which half rides on the scorecard, on a linear curve (0.8 → 0.5, 1 → 1, 1.5 → 2), gated on GRR ≥ 0.6,
/// vesting half at once and half two years later, with a clawback of half if NRR falls below 0.9 within 12 months.
/// Attainment: NRR 0.78125 / 0.8 = 0.9765625, churn 0.25 / (1/3) = 0.75; overall 0.6 × 0.9765625 + 0.4 × 0.75 = 0.8859375;
/// multiplier 0.5 + 0.0859375 × 2.5 = 0.71484375; pay 20,000 × 0.71484375 = 14,296.875 → 14,296.88; tranches 7,148.44 each.
/// </summary>
internal sealed class IncentiveApi(GovernanceHost host)
{
    public const string Executive = "exec-p";

    public const string PayoutFields = """
        id executiveId period payeeUserId status total currency quorum approvals clawback reason proposedBy
        statement { period periodDays total currency governingPlanVersion
          segments { from to days scorecardVersion planVersion overall multiplier amount
            metrics { metricKey attainment note actual target threshold cap contribution }
            lenses { lens weight attainment } gates { metricKey value holds } }
          tranches { index dueOn share amount } problems { field message } }
        values { metricKey definitionVersion pinId value }
        tranches { index dueOn amount status }
        events { seq kind actor reason tranche evidence }
        """;

    public MetricValueApi Metrics => new(host);

    /// <summary>The story's tenant, people, scorecard and plan; <paramref name="facts"/> (of the prefix) replaces the retention story's facts.</summary>
    public async Task<Story> StoryAsync(string prefix, int vestingSecondTrancheMonths = 24, Func<string, object[]>? facts = null)
    {
        var tenant = ApiFixture.NewTenantId(prefix);
        var integration = await host.NewTenantTokenAsync(tenant);
        await Metrics.IngestAsync(integration, facts?.Invoke(prefix) ?? RetentionStory($"{prefix}-", Executive, "mid"));
        var admin = await host.NewRoleTokenAsync(tenant, Roles.TenantAdmin);
        await host.AddUserAsync(tenant, "pat", "pat-password-long", Roles.Executive, Roles.CommitteeMember);
        var users = await host.GraphQLAsync(admin, "query { users { id username } }");
        users.AssertNoErrors();
        var payee = users.Data!["users"]!.AsArray().Single(u => u!["username"]!.GetValue<string>() == "pat")!["id"]!.GetValue<string>();

        var scorecard = await host.GraphQLAsync(admin, SetScorecard, new
        {
            executiveId = Executive, effectiveFrom = "2025-01-01", reason = "FY25 scorecard",
            metrics = new object[]
            {
                new { lens = "FINANCIAL", metricKey = "net_revenue_retention", weight = 0.6m, cap = 1.5m, targets = new[] { new { from = "2025-01-01", threshold = 0.7m, target = 0.8m } } },
                new { lens = "CUSTOMER", metricKey = "customer_churn_rate", weight = 0.4m, cap = 1.5m, targets = new[] { new { from = "2025-01-01", threshold = 0.5m, target = 0.25m } } },
            },
        });
        scorecard.AssertNoErrors();
        var plan = await host.GraphQLAsync(admin, SetPlan, new { executiveId = Executive, payeeUserId = payee, effectiveFrom = "2025-01-01", reason = "FY25 plan", plan = Plan(40_000m, vestingSecondTrancheMonths) });
        plan.AssertNoErrors();
        return new Story(tenant, integration, admin, payee,
            await host.NewRoleTokenAsync(tenant, Roles.CommitteeMember), await host.NewRoleTokenAsync(tenant, Roles.CommitteeMember),
            await host.NewRoleTokenAsync(tenant, Roles.DataOwner), await host.NewRoleTokenAsync(tenant, Roles.Auditor));
    }

    public static object Plan(decimal pay, int vestingSecondTrancheMonths = 24) => new
    {
        variablePayAtTarget = pay, currency = "EUR", scorecardShare = 0.5m, period = "QUARTER",
        curve = new { kind = "LINEAR", points = new[] { new { attainment = 0.8m, multiplier = 0.5m }, new { attainment = 1m, multiplier = 1m }, new { attainment = 1.5m, multiplier = 2m } } },
        gates = new[] { new { metricKey = "gross_revenue_retention", comparison = "AT_LEAST", bound = 0.6m } },
        vesting = new[] { new { monthsAfterPeriodEnd = 0, share = 0.5m }, new { monthsAfterPeriodEnd = vestingSecondTrancheMonths, share = 0.5m } },
        clawback = new { metricKey = "net_revenue_retention", breach = "BELOW", bound = 0.9m, withinMonths = 12, shareRecovered = 0.5m },
    };

    public const string SetScorecard = """
        mutation($executiveId: ID!, $effectiveFrom: DateOnly!, $metrics: [ScorecardMetricInput!]!, $reason: String!) {
          setScorecard(executiveId: $executiveId, effectiveFrom: $effectiveFrom, metrics: $metrics, reason: $reason) { version effectiveFrom metrics { metricKey direction weight } }
        }
        """;

    public const string SetPlan = """
        mutation($executiveId: ID!, $payeeUserId: ID!, $effectiveFrom: DateOnly!, $plan: PlanInput!, $reason: String!) {
          setIncentivePlan(executiveId: $executiveId, payeeUserId: $payeeUserId, effectiveFrom: $effectiveFrom, plan: $plan, reason: $reason) { version effectiveFrom payeeUserId scorecardPayAtTarget }
        }
        """;

    /// <summary>Closes the story's quarter, 2025-Q1, month by month, as its tenant admin: the data gate needs it closed.</summary>
    public async Task CloseQuarterAsync(Story story)
    {
        foreach (var month in new[] { "2025-01-01", "2025-02-01", "2025-03-01" })
        {
            (await host.GraphQLAsync(story.Admin, "mutation($m: DateOnly!) { closePeriod(month: $m) }", new { m = month })).AssertNoErrors();
        }
    }

    public async Task<GraphQLResponse> ProposeAsync(string token, string period = "2025-Q1") =>
        await host.GraphQLAsync(token, $$"""mutation($e: ID!, $p: String!) { proposePayout(executiveId: $e, period: $p, reason: "Q1 close") { {{PayoutFields}} } }""",
            new { e = Executive, p = period });

    public async Task<GraphQLResponse> DecideAsync(string token, string mutation, string payoutId, string? reason = null, int? tranche = null)
    {
        var arguments = "payoutId: $id" + (reason is null ? "" : ", reason: $reason") + (tranche is null ? "" : ", tranche: $tranche");
        var declarations = "$id: ID!" + (reason is null ? "" : ", $reason: String!") + (tranche is null ? "" : ", $tranche: Int!");
        return await host.GraphQLAsync(token, $$"""mutation({{declarations}}) { {{mutation}}({{arguments}}) { {{PayoutFields}} } }""", new { id = payoutId, reason, tranche });
    }

    public static JsonNode Payout(GraphQLResponse response, string field)
    {
        response.AssertNoErrors();
        return response.Data![field]!;
    }
}

internal sealed record Story(string Tenant, string Integration, string Admin, string PayeeUserId, string MemberA, string MemberB, string DataOwner, string Auditor);
