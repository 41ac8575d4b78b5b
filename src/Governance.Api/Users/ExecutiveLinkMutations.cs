using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using Governance.Storage.Tenants;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Users;

/// <summary>A tenant admin says which executive a person is (audited), so the service knows "my" scorecard and who a payout pays.</summary>
public static class ExecutiveLinkMutations
{
    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<UserType>>("linkExecutive")
            .Description("Links a person to the executive id their accounts, scorecard and plans use (null unlinks). The person can then never decide on that executive's payouts.")
            .Argument<NonNullGraphType<StringGraphType>>("username")
            .Argument<IdGraphType>("executiveId")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .RequireRoles(Roles.TenantAdmin)
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var username = context.GetArgument<string>("username");
                var executiveId = context.GetArgument<string?>("executiveId")?.Trim();
                var reason = context.GetArgument<string>("reason");
                if (executiveId is { Length: 0 or > 200 })
                {
                    throw ErrorCodes.Invalid("executiveId", "must be 1 to 200 characters, or null to unlink");
                }

                if (string.IsNullOrWhiteSpace(reason))
                {
                    throw ErrorCodes.Invalid("reason", "must not be blank");
                }

                var user = await context.RequestServices!.GetRequiredService<TenantStore>().FindUserAsync(caller.TenantId, username, context.CancellationToken)
                    ?? throw ErrorCodes.NotFoundError("User", username);
                await context.RequestServices!.GetRequiredService<ExecutiveLinkStore>()
                    .LinkAsync(caller.TenantId, user.UserId, user.Username, executiveId, caller.Subject, reason.Trim(), context.CancellationToken);
                return user;
            });
}
