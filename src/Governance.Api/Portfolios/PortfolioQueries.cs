using Governance.Abstractions;
using Governance.Abstractions.Portfolios;
using Governance.Api.Accounts;
using Governance.Api.GraphQL;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Portfolios;

/// <summary>A roll-up as the API shows it: which one, and the key of its grain.</summary>
public sealed record RollupView(string Scope, string Key);

public sealed class RollupType : ObjectGraphType<RollupView>
{
    public RollupType()
    {
        Name = "Rollup";
        Description = "Summed measures of a set of accounts, kept current as facts arrive; reading it never visits the accounts.";
        Field(r => r.Scope).Description("'tenant' or 'portfolio:{executiveId}'.");
        Field<NonNullGraphType<IntGraphType>>("accounts").Description("Accounts contributing.")
            .ResolveAsync(async c => (await Grain(c).GetStatusAsync()).Accounts);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MonthMeasuresType>>>>("months")
            .Description("Summed measures by month, from and to (inclusive, yyyy-MM), at most 120 months.")
            .Argument<NonNullGraphType<StringGraphType>>("from")
            .Argument<NonNullGraphType<StringGraphType>>("to")
            .ResolveAsync(async c =>
            {
                var (from, to) = MonthRange.Parse(c.GetArgument<string>("from"), c.GetArgument<string>("to"));
                return await Grain(c).GetMeasuresAsync(from, to);
            });
    }

    private static IRollupGrain Grain(IResolveFieldContext<RollupView> context) =>
        context.RequestServices!.GetRequiredService<IGrainFactory>().GetGrain<IRollupGrain>(context.Source.Key);
}

public static class PortfolioQueries
{
    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<RollupType>>("portfolio")
            .Description("The summed measures of an executive's portfolio: the accounts assigned to them, month by month.")
            .Argument<NonNullGraphType<IdGraphType>>("executiveId")
            .RequireTenantRole()
            .Resolve(context =>
            {
                var caller = context.Caller();
                var executiveId = context.GetArgument<string>("executiveId");
                if (GrainKeys.ValidateLocalId(executiveId) is { } problem)
                {
                    throw ErrorCodes.Invalid("executiveId", problem);
                }

                return new RollupView($"portfolio:{executiveId}", GrainKeys.Portfolio(caller.TenantId, executiveId));
            });

        query.Field<NonNullGraphType<RollupType>>("tenantRollup")
            .Description("The summed measures of every account of the caller's tenant.")
            .RequireTenantRole()
            .Resolve(context => new RollupView("tenant", GrainKeys.TenantRollup(context.Caller().TenantId)));
    }
}
