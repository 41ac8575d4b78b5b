using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using Governance.Domain.Incentives;
using Governance.Domain.Measures;
using Governance.Storage.Incentives;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Incentives;

/// <summary>Reading scorecards, plans, payouts and what-ifs (docs/incentives.md).</summary>
public static class IncentiveQueries
{
    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ScorecardTemplateType>>>>("scorecardTemplates")
            .Description("Role templates (CRO, CPO, CCO) a tenant admin can adopt for an executive and then change.")
            .RequireRoles(Roles.TenantAdmin, Roles.Executive, Roles.CommitteeMember, Roles.Auditor, Roles.CsManager)
            .Resolve(_ => ScorecardTemplates.All);

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ScorecardVersionType>>>>("scorecardVersions")
            .Description("Every version of an executive's scorecard, oldest first. An executive without a committee, admin or auditor role reads only their own (FORBIDDEN otherwise).")
            .Argument<NonNullGraphType<IdGraphType>>("executiveId")
            .RequireRoles(Roles.TenantAdmin, Roles.Executive, Roles.CommitteeMember, Roles.Auditor)
            .ResolveAsync(async context =>
            {
                var executiveId = context.GetArgument<string>("executiveId");
                await EnsureOwnAsync(context, executiveId, null, Roles.TenantAdmin, Roles.CommitteeMember, Roles.Auditor);
                return (await Store(context).ScorecardVersionsAsync(context.Caller().TenantId, executiveId, context.CancellationToken))
                    .Select(r => new ScorecardVersion(r, IncentiveJson.Deserialize<Scorecard>(r.Document))).ToList();
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PlanVersionType>>>>("planVersions")
            .Description("Every version of an executive's incentive plan, oldest first. An executive without a committee, admin or auditor role reads only their own (FORBIDDEN otherwise).")
            .Argument<NonNullGraphType<IdGraphType>>("executiveId")
            .RequireRoles(Roles.TenantAdmin, Roles.Executive, Roles.CommitteeMember, Roles.Auditor)
            .ResolveAsync(async context =>
            {
                var executiveId = context.GetArgument<string>("executiveId");
                var versions = await Store(context).PlanVersionsAsync(context.Caller().TenantId, executiveId, context.CancellationToken);
                await EnsureOwnAsync(context, executiveId, versions, Roles.TenantAdmin, Roles.CommitteeMember, Roles.Auditor);
                return versions.Select(r => new PlanVersion(r, IncentiveJson.Deserialize<PlanTerms>(r.Document))).ToList();
            });

        query.Field<NonNullGraphType<ScorecardType>>("scorecard")
            .Description("An executive's scorecard for a period: attainment per metric, per lens and overall, from the metric values of the executive's portfolio. An executive without another role admitted here reads only their own (FORBIDDEN otherwise).")
            .Argument<NonNullGraphType<IdGraphType>>("executiveId")
            .Argument<NonNullGraphType<StringGraphType>>("period", "yyyy, yyyy-Qn or yyyy-MM.")
            .Argument<IntGraphType>("version", "A scorecard version; left out: the one in force on the period's first day.")
            .RequireRoles(Roles.TenantAdmin, Roles.Executive, Roles.CsManager, Roles.CommitteeMember, Roles.Auditor)
            .ResolveAsync(async context =>
            {
                var executiveId = context.GetArgument<string>("executiveId");
                await EnsureOwnAsync(context, executiveId, null, Roles.TenantAdmin, Roles.CsManager, Roles.CommitteeMember, Roles.Auditor);
                return await Service(context).ScorecardAsync(context.Caller().TenantId, executiveId, PeriodArgument(context), context.GetArgument<int?>("version"), context.CancellationToken);
            });

        query.Field<NonNullGraphType<PayoutComputationType>>("whatIfPayout")
            .Description("What the executive's plans would pay for a period, writing nothing: at an overall attainment (gates taken as held), or with some metric values replaced (the rest as they are). An executive without a committee or admin role asks only about their own pay (FORBIDDEN otherwise).")
            .Argument<NonNullGraphType<IdGraphType>>("executiveId")
            .Argument<NonNullGraphType<StringGraphType>>("period", "yyyy or yyyy-Qn, as the plan pays.")
            .Argument<DecimalGraphType>("attainment", "Overall attainment, 1 = on target.")
            .Argument<ListGraphType<NonNullGraphType<MetricValueOverrideType>>>("values", "Metric values to use instead of the real ones.")
            .RequireRoles(Roles.TenantAdmin, Roles.Executive, Roles.CommitteeMember)
            .ResolveAsync(async context =>
            {
                var attainment = context.GetArgument<decimal?>("attainment");
                var overrides = context.GetArgument<List<MetricValueOverride>?>("values") ?? [];
                if (attainment is < 0)
                {
                    throw ErrorCodes.Invalid("attainment", "must not be negative");
                }

                if (attainment is not null && overrides.Count > 0)
                {
                    throw ErrorCodes.Invalid("values", "give attainment or values, not both");
                }

                var duplicate = overrides.GroupBy(o => o.MetricKey).FirstOrDefault(g => g.Count() > 1);
                if (duplicate is not null)
                {
                    throw ErrorCodes.Invalid("values", $"'{duplicate.Key}' is given twice");
                }

                var executiveId = context.GetArgument<string>("executiveId");
                await EnsureOwnAsync(context, executiveId, null, Roles.TenantAdmin, Roles.CommitteeMember);
                return await Service(context).WhatIfAsync(context.Caller().TenantId, executiveId, PeriodArgument(context),
                    attainment, overrides.ToDictionary(o => o.MetricKey, o => o.Value, StringComparer.Ordinal), context.CancellationToken);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PayoutType>>>>("payouts")
            .Description("Payouts, newest first. An executive without a committee, admin or auditor role sees only their own (paid to them, or of the executive they are linked to).")
            .Argument<IdGraphType>("executiveId")
            .RequireRoles(Roles.TenantAdmin, Roles.CommitteeMember, Roles.Auditor, Roles.Executive)
            .ResolveAsync(async context =>
            {
                var payouts = await Service(context).PayoutsAsync(context.Caller().TenantId, context.GetArgument<string?>("executiveId"), context.CancellationToken);
                if (!OnlyOwn(context))
                {
                    return payouts;
                }

                var mine = await MyExecutiveAsync(context);
                return payouts.Where(p => p.Row.PayeeUserId == context.Caller().Subject || p.Row.ExecutiveId == mine).ToList();
            });

        query.Field<NonNullGraphType<PayoutType>>("payout")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .RequireRoles(Roles.TenantAdmin, Roles.CommitteeMember, Roles.Auditor, Roles.Executive)
            .ResolveAsync(async context =>
            {
                var id = PayoutId(context, "id");
                var payout = await Service(context).PayoutAsync(context.Caller().TenantId, id, context.CancellationToken);
                return OnlyOwn(context) && payout.Row.PayeeUserId != context.Caller().Subject && payout.Row.ExecutiveId != await MyExecutiveAsync(context)
                    ? throw ErrorCodes.NotFoundError("Payout", id.ToString())
                    : payout;
            });

        query.Field<NonNullGraphType<IntGraphType>>("committeeQuorum")
            .Description($"How many committee members must approve a payout ({IncentiveStore.DefaultQuorum} until a tenant admin sets it).")
            .RequireRoles(Roles.TenantAdmin, Roles.CommitteeMember, Roles.Auditor)
            .ResolveAsync(async context => await Store(context).QuorumAsync(context.Caller().TenantId, context.CancellationToken));
    }

    internal static IncentiveService Service(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<IncentiveService>();

    internal static IncentiveStore Store(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<IncentiveStore>();

    internal static Period PeriodArgument(IResolveFieldContext context) =>
        Period.TryParse(context.GetArgument<string>("period"), out var period)
            ? period
            : throw ErrorCodes.Invalid("period", "must be a year (2026), a quarter (2026-Q1) or a month (2026-03), years 2000–2999");

    internal static Guid PayoutId(IResolveFieldContext context, string name) =>
        Guid.TryParse(context.GetArgument<string>(name), out var id) ? id : throw ErrorCodes.Invalid(name, "must be a payout id (a UUID)");

    private static Task<string?> MyExecutiveAsync(IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<Governance.Storage.Tenants.ExecutiveLinkStore>()
            .ExecutiveOfSubjectAsync(context.Caller().TenantId, context.Caller().Subject, context.CancellationToken);

    /// <summary>
    /// Scorecards and pay are private between an executive and the people who set, support and approve them:
    /// a caller with none of the <paramref name="seeAll"/> roles (an executive only) reads those of the executive
    /// they are linked to, or of an executive whose plans pay them.
    /// </summary>
    private static async Task EnsureOwnAsync(IResolveFieldContext context, string executiveId, IReadOnlyList<VersionRow>? plans, params string[] seeAll)
    {
        if (seeAll.Any(context.User!.IsInRole) || await MyExecutiveAsync(context) == executiveId)
        {
            return;
        }

        plans ??= await Store(context).PlanVersionsAsync(context.Caller().TenantId, executiveId, context.CancellationToken);
        if (!plans.Any(p => p.Tag == context.Caller().Subject))
        {
            throw new ExecutionError($"An executive reads only their own scorecard and pay: you are not executive '{executiveId}' (a tenant admin links people to executives with linkExecutive).")
            {
                Code = ErrorCodes.Forbidden,
            };
        }
    }

    private static bool OnlyOwn(IResolveFieldContext context) =>
        !(context.User!.IsInRole(Roles.TenantAdmin) || context.User.IsInRole(Roles.CommitteeMember) || context.User.IsInRole(Roles.Auditor));
}
