using Governance.Storage.Tenants;
using GraphQL.Types;

namespace Governance.Api.Users;

public sealed class UserType : ObjectGraphType<TenantUserRow>
{
    public UserType()
    {
        Name = "User";
        Description = "A person of the caller's tenant who signs in on the login page.";
        Field("id", u => u.UserId, type: typeof(NonNullGraphType<IdGraphType>))
            .Description("Permanent; the subject (sub) of the person's tokens, and the actor named in records of what they did.");
        Field(u => u.Username).Description("What the person types to sign in; unique in the tenant, ignoring case.");
        Field(u => u.DisplayName);
        Field<IdGraphType>("executiveId").Description("The executive this person is (linkExecutive), or null.")
            .ResolveAsync(async context => await context.RequestServices!.GetRequiredService<Governance.Storage.Tenants.ExecutiveLinkStore>()
                .ExecutiveOfAsync(context.Source.TenantId, context.Source.UserId, context.CancellationToken));
        Field(u => u.Roles).Description("Roles within the tenant; a change reaches the person's tokens at their next refresh or sign-in.");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(context => Utc(context.Source.CreatedAt));
        Field<NonNullGraphType<BooleanGraphType>>("disabled")
            .Description("A disabled person can no longer sign in or get tokens; access tokens already issued run until they expire.")
            .Resolve(context => context.Source.IsDisabled);
        Field<DateTimeOffsetGraphType>("disabledAt").Resolve(context => context.Source.DisabledAt is { } at ? Utc(at) : null);
    }

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}

public sealed record CreateUserInput(string Username, string DisplayName, IReadOnlyList<string> Roles, string InitialPassword);

public sealed class CreateUserInputType : InputObjectGraphType<CreateUserInput>
{
    public CreateUserInputType()
    {
        Name = "CreateUserInput";
        Field(i => i.Username).Description("1 to 100 characters: letters, digits, '.', '_', '-', '@', starting with a letter or digit. Unique in the tenant, ignoring case.");
        Field(i => i.DisplayName).Description("1 to 200 characters.");
        Field(i => i.Roles).Description("Tenant roles (tenant-admin, integration, executive, cs-manager, auditor, committee-member, data-owner); may be empty.");
        Field(i => i.InitialPassword).Description($"At least {UserMutations.MinPasswordLength} characters. Stored only hashed; tell it to the person out of band.");
    }
}
