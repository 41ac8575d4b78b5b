using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using Governance.Storage.Tenants;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Tenants;

public static class TenantQueries
{
    public static void AddTo(ObjectGraphType query)
    {
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

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<TenantType>>>>("tenants")
            .Description("Every customer tenant, oldest first. Platform operators only: it spans tenants.")
            .RequireRoles(Roles.PlatformAdmin)
            .ResolveAsync(async context => await context.RequestServices!.GetRequiredService<TenantStore>().ListTenantsAsync(Roles.PlatformTenant, context.CancellationToken));
    }
}
