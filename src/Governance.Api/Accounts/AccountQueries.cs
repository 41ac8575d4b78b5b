using Governance.Abstractions;
using Governance.Abstractions.Accounts;
using Governance.Api.GraphQL;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Accounts;

public static class AccountQueries
{
    public static void AddTo(ObjectGraphType query) =>
        query.Field<AccountType>("account")
            .Description("An account of the caller's tenant; null with a NOT_FOUND error when the tenant has no such account.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .RequireTenantRole()
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var id = context.GetArgument<string>("id");
                if (GrainKeys.ValidateLocalId(id) is { } problem)
                {
                    throw ErrorCodes.Invalid("id", problem);
                }

                var grains = context.RequestServices!.GetRequiredService<IGrainFactory>();
                var account = await grains.GetGrain<IAccountGrain>(GrainKeys.Account(caller.TenantId, id)).GetAsync();
                if (account is null)
                {
                    // The same answer whether another tenant has this id or nobody does.
                    context.Errors.Add(ErrorCodes.NotFoundError("Account", id));
                }

                return account;
            });
}
