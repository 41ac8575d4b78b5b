using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using Governance.Storage.Facts;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Facts;

public static class PeriodMutations
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<BooleanGraphType>>("closePeriod")
            .Description("Closes a month of the caller's tenant: facts that occurred in it are still accepted, but flagged late. True when it was open until now.")
            .Argument<NonNullGraphType<DateOnlyGraphType>>("month", "Any day of the month to close.")
            .RequireRoles(Roles.TenantAdmin, Roles.DataOwner)
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var month = context.GetArgument<DateOnly>("month");
                return await context.RequestServices!.GetRequiredService<FactStore>()
                    .ClosePeriodAsync(caller.TenantId, month, caller.Subject, context.CancellationToken);
            });
}
