using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using Governance.Storage.Tenants;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Users;

public static class UserQueries
{
    /// <summary>
    /// Who may see the tenant's people and their roles: the admins who manage them, and auditors, who
    /// must be able to check who holds which role. Changing people stays with tenant-admin (UserMutations).
    /// </summary>
    public static readonly string[] ReaderRoles = [Roles.TenantAdmin, Roles.Auditor];

    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserType>>>>("users")
            .Description("The people of the caller's tenant, disabled ones included, by username.")
            .RequireRoles(ReaderRoles)
            .ResolveAsync(async context => await context.RequestServices!.GetRequiredService<UserStore>()
                .ListAsync(context.Caller().TenantId, context.CancellationToken));

        query.Field<UserType>("user")
            .Description("One person of the caller's tenant by username (ignoring case); NOT_FOUND when the tenant has no such person.")
            .Argument<NonNullGraphType<StringGraphType>>("username")
            .RequireRoles(ReaderRoles)
            .ResolveAsync(async context =>
            {
                var username = context.GetArgument<string>("username");
                return await context.RequestServices!.GetRequiredService<TenantStore>()
                        .FindUserAsync(context.Caller().TenantId, username, context.CancellationToken)
                    ?? throw ErrorCodes.NotFoundError("User", username);
            });
    }
}
