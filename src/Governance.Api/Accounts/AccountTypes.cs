using Governance.Abstractions.Accounts;
using GraphQL.Types;

namespace Governance.Api.Accounts;

public sealed class AccountType : ObjectGraphType<AccountSnapshot>
{
    public AccountType()
    {
        Name = "Account";
        Description = "A customer account of the caller's tenant.";
        Field("id", a => a.AccountId, type: typeof(NonNullGraphType<IdGraphType>)).Description("The tenant's own id for the account.");
        Field(a => a.Name).Description("Display name of the customer.");
        Field(a => a.Segment, nullable: true).Description("Segment the tenant files the account under.");
        Field(a => a.RegisteredAt).Description("When the account was registered.");
        Field(a => a.RegisteredBy).Description("Subject of the token that registered it.");
    }
}

public sealed record RegisterAccountInput(string Id, string Name, string? Segment);

public sealed class RegisterAccountInputType : InputObjectGraphType<RegisterAccountInput>
{
    public RegisterAccountInputType()
    {
        Name = "RegisterAccountInput";
        Field(i => i.Id, type: typeof(NonNullGraphType<IdGraphType>)).Description("The tenant's own id for the account; at most 200 characters.");
        Field(i => i.Name).Description("Display name, 1 to 200 characters.");
        Field(i => i.Segment, nullable: true).Description("Optional segment, at most 100 characters.");
    }
}

public sealed class RegisterAccountOutcomeType : EnumerationGraphType
{
    public RegisterAccountOutcomeType()
    {
        Name = "RegisterAccountOutcome";
        Description = "Whether the account was created now or was already registered with the same details.";
        // A conflict is an error, never an outcome, so it has no value here.
        Add("CREATED", RegisterAccountOutcome.Created, "The account did not exist and now does.");
        Add("ALREADY_REGISTERED", RegisterAccountOutcome.AlreadyRegistered, "The account existed with the same details; nothing changed.");
    }
}

public sealed class RegisterAccountPayloadType : ObjectGraphType<RegisterAccountResult>
{
    public RegisterAccountPayloadType()
    {
        Name = "RegisterAccountPayload";
        Field(r => r.Outcome, type: typeof(NonNullGraphType<RegisterAccountOutcomeType>));
        Field(r => r.Account, type: typeof(NonNullGraphType<AccountType>));
    }
}
