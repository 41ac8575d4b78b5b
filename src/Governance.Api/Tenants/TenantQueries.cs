using Governance.Api.GraphQL;
using Governance.Storage.Tenants;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Tenants;

public static class TenantQueries
{
    public static void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<TenantType>>("tenant")
            .Description("The caller's own tenant.")
            .RequireTenantRole()
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var tenants = context.RequestServices!.GetRequiredService<TenantStore>();
                return await tenants.FindTenantAsync(caller.TenantId, context.CancellationToken)
                    ?? throw ErrorCodes.NotFoundError("Tenant", caller.TenantId);
            });
}
