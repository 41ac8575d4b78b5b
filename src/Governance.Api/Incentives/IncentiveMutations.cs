using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using Governance.Domain.Incentives;
using Governance.Domain.Metrics.Definitions;
using GraphQL;
using GraphQL.Types;
using static Governance.Api.Incentives.IncentiveQueries;

namespace Governance.Api.Incentives;

/// <summary>Changing scorecards, plans and the quorum (tenant admins), and every step of a payout's life (docs/incentives.md).</summary>
public static class IncentiveMutations
{
    public static void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ScorecardVersionType>>("setScorecard")
            .Description("Appends a version of an executive's scorecard, in force from effectiveFrom (a change mid-period applies pro rata to payouts).")
            .Argument<NonNullGraphType<IdGraphType>>("executiveId")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("effectiveFrom")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<ScorecardMetricInputType>>>>("metrics")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .RequireRoles(Roles.TenantAdmin)
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var service = Service(context);
                var known = await service.KnownMetricsAsync(caller.TenantId, context.CancellationToken);
                var metrics = context.GetArgument<List<ScorecardMetricInput>>("metrics").Select((m, i) => new ScorecardMetric(m.Lens, m.MetricKey, m.Weight,
                    m.Direction ?? (known.TryGetValue(m.MetricKey, out var d) ? d : Direction.HigherIsBetter), m.Cap,
                    m.Targets.Select(t => new TargetStep(t.From, t.Threshold, t.Target)).ToList())).ToList();
                var row = await service.SetScorecardAsync(caller.TenantId, context.GetArgument<string>("executiveId"), context.GetArgument<DateOnly>("effectiveFrom"),
                    new Scorecard(metrics), null, caller.Subject, context.GetArgument<string>("reason"), context.CancellationToken);
                return new ScorecardVersion(row, IncentiveJson.Deserialize<Scorecard>(row.Document));
            });

        mutation.Field<NonNullGraphType<ScorecardVersionType>>("adoptScorecardTemplate")
            .Description("Appends a scorecard version made from a role template (scorecardTemplates), its targets starting on effectiveFrom.")
            .Argument<NonNullGraphType<IdGraphType>>("executiveId")
            .Argument<NonNullGraphType<StringGraphType>>("template")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("effectiveFrom")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .RequireRoles(Roles.TenantAdmin)
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var name = context.GetArgument<string>("template");
                var template = ScorecardTemplates.Find(name)
                    ?? throw ErrorCodes.Invalid("template", $"must be one of {string.Join(", ", ScorecardTemplates.All.Select(t => t.Name))}");
                var from = context.GetArgument<DateOnly>("effectiveFrom");
                var row = await Service(context).SetScorecardAsync(caller.TenantId, context.GetArgument<string>("executiveId"), from,
                    template.ToScorecard(from), template.Name, caller.Subject, context.GetArgument<string>("reason"), context.CancellationToken);
                return new ScorecardVersion(row, IncentiveJson.Deserialize<Scorecard>(row.Document));
            });

        mutation.Field<NonNullGraphType<PlanVersionType>>("setIncentivePlan")
            .Description("Appends a version of an executive's incentive plan, in force from effectiveFrom; a change mid-period applies pro rata by days.")
            .Argument<NonNullGraphType<IdGraphType>>("executiveId")
            .Argument<NonNullGraphType<IdGraphType>>("payeeUserId", "The user paid (never a voter on these payouts).")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("effectiveFrom")
            .Argument<NonNullGraphType<PlanInputType>>("plan")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .RequireRoles(Roles.TenantAdmin)
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var row = await Service(context).SetPlanAsync(caller.TenantId, context.GetArgument<string>("executiveId"), context.GetArgument<DateOnly>("effectiveFrom"),
                    context.GetArgument<string>("payeeUserId"), context.GetArgument<PlanInput>("plan").ToTerms(), caller.Subject, context.GetArgument<string>("reason"),
                    context.CancellationToken);
                return new PlanVersion(row, IncentiveJson.Deserialize<PlanTerms>(row.Document));
            });

        mutation.Field<NonNullGraphType<IntGraphType>>("setCommitteeQuorum")
            .Description("How many committee members must approve a payout, 1 to 20. Audited; applies to decisions from now on.")
            .Argument<NonNullGraphType<IntGraphType>>("quorum")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .RequireRoles(Roles.TenantAdmin)
            .ResolveAsync(async context =>
            {
                var quorum = context.GetArgument<int>("quorum");
                var reason = context.GetArgument<string>("reason");
                if (quorum is < 1 or > 20)
                {
                    throw ErrorCodes.Invalid("quorum", "must be 1 to 20");
                }

                if (string.IsNullOrWhiteSpace(reason))
                {
                    throw ErrorCodes.Invalid("reason", "must not be blank");
                }

                await Store(context).SetQuorumAsync(context.Caller().TenantId, quorum, context.Caller().Subject, reason.Trim(), context.CancellationToken);
                return quorum;
            });

        mutation.Field<NonNullGraphType<PayoutType>>("proposePayout")
            .Description("Computes an executive's payout for a period from its metric values, pins each value with its facts, and stores it as PROPOSED.")
            .Argument<NonNullGraphType<IdGraphType>>("executiveId")
            .Argument<NonNullGraphType<StringGraphType>>("period", "yyyy or yyyy-Qn, as the plan pays.")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .RequireRoles(Roles.TenantAdmin, Roles.CommitteeMember)
            .ResolveAsync(async context => await Service(context).ProposeAsync(context.Caller().TenantId, context.GetArgument<string>("executiveId"),
                PeriodArgument(context), context.Caller().Subject, context.GetArgument<string>("reason"), context.CancellationToken));

        mutation.Field<NonNullGraphType<PayoutType>>("verifyPayout")
            .Description("Runs the data gate: the period closed, every pin unchanged, no open finding on the inputs. Passing makes the payout VERIFIED; failing records why and it stays PROPOSED.")
            .Argument<NonNullGraphType<IdGraphType>>("payoutId")
            .RequireRoles(Roles.CommitteeMember, Roles.DataOwner, Roles.TenantAdmin)
            .ResolveAsync(async context => await Service(context).VerifyAsync(context.Caller().TenantId, PayoutId(context, "payoutId"), context.Caller().Subject, context.CancellationToken));

        mutation.Field<NonNullGraphType<PayoutType>>("approvePayout")
            .Description("A committee member's approval of a verified payout; at the quorum it is APPROVED. The payee cannot vote (FORBIDDEN), nor anyone twice (CONFLICT).")
            .Argument<NonNullGraphType<IdGraphType>>("payoutId")
            .Argument<StringGraphType>("reason")
            .RequireRoles(Roles.CommitteeMember)
            .ResolveAsync(async context => await Service(context).ApproveAsync(context.Caller().TenantId, PayoutId(context, "payoutId"), context.Caller().Subject,
                context.GetArgument<string?>("reason"), context.CancellationToken));

        mutation.Field<NonNullGraphType<PayoutType>>("rejectPayout")
            .Description("Rejects a payout that is not approved, with a reason; a new one may then be proposed for the period.")
            .Argument<NonNullGraphType<IdGraphType>>("payoutId")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .RequireRoles(Roles.CommitteeMember)
            .ResolveAsync(async context => await Service(context).RejectAsync(context.Caller().TenantId, PayoutId(context, "payoutId"), context.Caller().Subject,
                context.GetArgument<string>("reason"), context.CancellationToken));

        mutation.Field<NonNullGraphType<PayoutType>>("releaseTranche")
            .Description("Releases a due vesting tranche of an approved payout (also one that was held).")
            .Argument<NonNullGraphType<IdGraphType>>("payoutId")
            .Argument<NonNullGraphType<IntGraphType>>("tranche")
            .Argument<StringGraphType>("reason")
            .RequireRoles(Roles.CommitteeMember)
            .ResolveAsync(async context => await Service(context).ReleaseAsync(context.Caller().TenantId, PayoutId(context, "payoutId"), context.GetArgument<int>("tranche"),
                context.Caller().Subject, context.GetArgument<string?>("reason"), context.CancellationToken));

        mutation.Field<NonNullGraphType<PayoutType>>("holdTranche")
            .Description("Holds a scheduled tranche, with a reason, until it is released.")
            .Argument<NonNullGraphType<IdGraphType>>("payoutId")
            .Argument<NonNullGraphType<IntGraphType>>("tranche")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .RequireRoles(Roles.CommitteeMember)
            .ResolveAsync(async context => await Service(context).HoldAsync(context.Caller().TenantId, PayoutId(context, "payoutId"), context.GetArgument<int>("tranche"),
                context.Caller().Subject, context.GetArgument<string>("reason"), context.CancellationToken));

        mutation.Field<NonNullGraphType<ClawbackCheckType>>("checkClawback")
            .Description("Re-evaluates the plan's clawback condition for the released tranches with current values; when it holds, opens a case for the committee. Never recovers by itself.")
            .Argument<NonNullGraphType<IdGraphType>>("payoutId")
            .RequireRoles(Roles.CommitteeMember, Roles.DataOwner, Roles.TenantAdmin)
            .ResolveAsync(async context => await Service(context).CheckClawbackAsync(context.Caller().TenantId, PayoutId(context, "payoutId"), context.Caller().Subject, context.CancellationToken));

        mutation.Field<NonNullGraphType<PayoutType>>("recoverClawback")
            .Description("The committee decides to recover what the open clawback case asks for.")
            .Argument<NonNullGraphType<IdGraphType>>("payoutId")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .RequireRoles(Roles.CommitteeMember)
            .ResolveAsync(async context => await Service(context).DecideClawbackAsync(context.Caller().TenantId, PayoutId(context, "payoutId"), true,
                context.Caller().Subject, context.GetArgument<string>("reason"), context.CancellationToken));

        mutation.Field<NonNullGraphType<PayoutType>>("dismissClawback")
            .Description("The committee dismisses the open clawback case, with a reason.")
            .Argument<NonNullGraphType<IdGraphType>>("payoutId")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .RequireRoles(Roles.CommitteeMember)
            .ResolveAsync(async context => await Service(context).DecideClawbackAsync(context.Caller().TenantId, PayoutId(context, "payoutId"), false,
                context.Caller().Subject, context.GetArgument<string>("reason"), context.CancellationToken));
    }
}
