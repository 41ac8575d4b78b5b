using Governance.Abstractions.Security;
using Governance.Abstractions.Tenancy;
using Governance.Api.GraphQL;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Tenants;

public static class TenantMutations
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<CreateTenantPayloadType>>("createTenant")
            .Description("Creates a tenant and its first integration client. Platform operators only.")
            .Argument<NonNullGraphType<CreateTenantInputType>>("input")
            .RequireRoles(Roles.PlatformAdmin)
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var input = context.GetArgument<CreateTenantInput>("input");
                if (TenantId.Validate(input.Id) is { } idProblem)
                {
                    throw ErrorCodes.Invalid("input.id", idProblem);
                }

                var name = input.Name.Trim();
                if (name.Length is 0 or > 200)
                {
                    throw ErrorCodes.Invalid("input.name", "must be 1 to 200 characters long");
                }

                var provisioning = context.RequestServices!.GetRequiredService<TenantProvisioning>();
                return await provisioning.CreateTenantAsync(input.Id, name, caller.Subject, context.CancellationToken)
                    ?? throw new ExecutionError($"Tenant id '{input.Id}' is taken or reserved.") { Code = ErrorCodes.Conflict, Data = { ["field"] = "input.id" } };
            });
}
