using System.Text.RegularExpressions;
using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using Governance.Api.Identity;
using Governance.Api.Tenants;
using Governance.Storage.Tenants;
using GraphQL;
using GraphQL.Types;
using Microsoft.AspNetCore.Identity;

namespace Governance.Api.Users;

/// <summary>
/// Tenant admins manage the people and integration clients of their own tenant (the tenant comes from
/// the token). Every change is recorded in <c>user_events</c> with actor, time, reason and before/after.
/// </summary>
public static partial class UserMutations
{
    public const int MinPasswordLength = 12;
    private const int MaxPasswordLength = 1024;
    private const int MaxReasonLength = 500;

    public static void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<UserType>>("createUser")
            .Description("Adds a person to the caller's tenant. A username taken in the tenant (ignoring case) is a CONFLICT.")
            .Argument<NonNullGraphType<CreateUserInputType>>("input")
            .RequireRoles(Roles.TenantAdmin)
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var input = context.GetArgument<CreateUserInput>("input");
                var username = ValidUsername(input.Username, "input.username");
                var displayName = input.DisplayName.Trim();
                if (displayName.Length is 0 or > 200)
                {
                    throw ErrorCodes.Invalid("input.displayName", "must be 1 to 200 characters long");
                }

                var roles = ValidRoles(input.Roles, "input.roles", allowEmpty: true);
                if (input.InitialPassword.Length is < MinPasswordLength or > MaxPasswordLength)
                {
                    throw ErrorCodes.Invalid("input.initialPassword", $"must be {MinPasswordLength} to {MaxPasswordLength} characters long");
                }

                var services = context.RequestServices!;
                var at = services.GetRequiredService<TimeProvider>().GetUtcNow();
                var user = new TenantUserRow
                {
                    TenantId = caller.TenantId,
                    UserId = Guid.NewGuid(),
                    Username = username,
                    DisplayName = displayName,
                    PasswordHash = services.GetRequiredService<IPasswordHasher<PasswordOwner>>().HashPassword(new PasswordOwner(), input.InitialPassword),
                    Roles = roles,
                    CreatedAt = at.UtcDateTime,
                };
                return await services.GetRequiredService<UserStore>().CreateAsync(user, caller.Subject, at, context.CancellationToken)
                    ? user
                    : throw new ExecutionError($"Username '{username}' is taken in this tenant.") { Code = ErrorCodes.Conflict, Data = { ["field"] = "input.username" } };
            });

        mutation.Field<NonNullGraphType<UserType>>("grantRoles")
            .Description("Adds roles to a person; roles they hold already are kept. Takes effect at their next refresh or sign-in.")
            .Argument<NonNullGraphType<StringGraphType>>("username")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("roles")
            .Argument<NonNullGraphType<StringGraphType>>("reason", "Why, 1 to 500 characters; kept in the record.")
            .RequireRoles(Roles.TenantAdmin)
            .ResolveAsync(async context =>
            {
                var roles = ValidRoles(context.GetArgument<List<string>>("roles"), "roles", allowEmpty: false);
                return await ChangeAsync(context, UserStore.RolesGranted,
                    user => user with { Roles = [.. user.Roles, .. roles.Except(user.Roles, StringComparer.Ordinal)] });
            });

        mutation.Field<NonNullGraphType<UserType>>("revokeRoles")
            .Description("Removes roles from a person. Removing tenant-admin from the last enabled person who holds it is a CONFLICT.")
            .Argument<NonNullGraphType<StringGraphType>>("username")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("roles")
            .Argument<NonNullGraphType<StringGraphType>>("reason", "Why, 1 to 500 characters; kept in the record.")
            .RequireRoles(Roles.TenantAdmin)
            .ResolveAsync(async context =>
            {
                var roles = ValidRoles(context.GetArgument<List<string>>("roles"), "roles", allowEmpty: false);
                return await ChangeAsync(context, UserStore.RolesRevoked,
                    user => user with { Roles = [.. user.Roles.Where(r => !roles.Contains(r, StringComparer.Ordinal))] });
            });

        mutation.Field<NonNullGraphType<UserType>>("disableUser")
            .Description("Disables a person: no more sign-in, codes or refreshed tokens; access tokens already issued run until they expire. "
                + "Disabling the last enabled tenant-admin is a CONFLICT. Disabling a disabled person changes nothing.")
            .Argument<NonNullGraphType<StringGraphType>>("username")
            .Argument<NonNullGraphType<StringGraphType>>("reason", "Why, 1 to 500 characters; kept in the record.")
            .RequireRoles(Roles.TenantAdmin)
            .ResolveAsync(async context =>
            {
                var at = context.RequestServices!.GetRequiredService<TimeProvider>().GetUtcNow();
                return await ChangeAsync(context, UserStore.UserDisabled, user => user with { DisabledAt = user.DisabledAt ?? at.UtcDateTime });
            });

        mutation.Field<NonNullGraphType<IntegrationClientType>>("createIntegrationClient")
            .Description("Creates another client of the caller's tenant with the integration role (client credentials). The secret is in this answer only.")
            .Argument<NonNullGraphType<StringGraphType>>("name", "A label for the client (e.g. the sending system), 1 to 100 characters.")
            .RequireRoles(Roles.TenantAdmin)
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var name = context.GetArgument<string>("name").Trim();
                if (name.Length is 0 or > 100)
                {
                    throw ErrorCodes.Invalid("name", "must be 1 to 100 characters long");
                }

                return await context.RequestServices!.GetRequiredService<TenantProvisioning>()
                    .CreateIntegrationClientAsync(caller.TenantId, name, caller.Subject, context.CancellationToken);
            });
    }

    private static async Task<TenantUserRow> ChangeAsync(IResolveFieldContext context, string action, Func<TenantUserRow, TenantUserRow> change)
    {
        var caller = context.Caller();
        var username = context.GetArgument<string>("username");
        var reason = context.GetArgument<string>("reason").Trim();
        if (reason.Length is 0 or > MaxReasonLength)
        {
            throw ErrorCodes.Invalid("reason", $"must be 1 to {MaxReasonLength} characters long");
        }

        var services = context.RequestServices!;
        var outcome = await services.GetRequiredService<UserStore>().ChangeAsync(caller.TenantId, username, change, action,
            Roles.TenantAdmin, caller.Subject, reason, services.GetRequiredService<TimeProvider>().GetUtcNow(), context.CancellationToken);
        return outcome.Result switch
        {
            UserChangeResult.Changed or UserChangeResult.Unchanged => outcome.User!,
            UserChangeResult.NotFound => throw ErrorCodes.NotFoundError("User", username),
            _ => throw new ExecutionError(
                $"'{outcome.User!.Username}' is the last enabled tenant-admin of this tenant; grant tenant-admin to someone else first.")
            { Code = ErrorCodes.Conflict, Data = { ["field"] = "username" } },
        };
    }

    private static string ValidUsername(string value, string field)
    {
        var username = value.Trim();
        return UsernamePattern().IsMatch(username)
            ? username
            : throw ErrorCodes.Invalid(field, "must be 1 to 100 characters: letters, digits, '.', '_', '-', '@', starting with a letter or digit");
    }

    /// <summary>Known tenant roles only, without repeats; platform-admin is never a tenant's to give.</summary>
    private static string[] ValidRoles(IEnumerable<string> roles, string field, bool allowEmpty)
    {
        var list = roles.ToList();
        if (list.Count == 0 && !allowEmpty)
        {
            throw ErrorCodes.Invalid(field, "must name at least one role");
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (!Roles.TenantRoles.Contains(list[i], StringComparer.Ordinal))
            {
                throw ErrorCodes.Invalid($"{field}[{i}]", $"'{list[i]}' is not a tenant role; use one of {string.Join(", ", Roles.TenantRoles)}");
            }
        }

        return [.. list.Distinct(StringComparer.Ordinal)];
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex UsernamePattern();
}
