using Governance.Abstractions.Accounts;
using GraphQL;
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
        Field(a => a.ClosedAt, nullable: true).Description("When the account was closed, if it was.");
        Field(a => a.OwnerExecutiveId, type: typeof(IdGraphType)).Description("The executive whose portfolio holds the account this month.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MonthMeasuresType>>>>("months")
            .Description("The account's measures by month, from and to (inclusive, yyyy-MM), at most 120 months.")
            .Argument<NonNullGraphType<StringGraphType>>("from")
            .Argument<NonNullGraphType<StringGraphType>>("to")
            .ResolveAsync(async context =>
            {
                var (from, to) = MonthRange.Parse(context.GetArgument<string>("from"), context.GetArgument<string>("to"));

                var grains = context.RequestServices!.GetRequiredService<IGrainFactory>();
                var key = Governance.Abstractions.GrainKeys.Account(context.Source.TenantId, context.Source.AccountId);
                return await grains.GetGrain<IAccountGrain>(key).GetMeasuresAsync(from, to);
            });
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

/// <summary>How a registration ended; a conflict is an error, never an outcome.</summary>
public enum RegisterAccountOutcome
{
    Created,
    AlreadyRegistered,
}

public sealed record RegisterAccountResult(RegisterAccountOutcome Outcome, AccountSnapshot Account);

public sealed class RegisterAccountOutcomeType : EnumerationGraphType
{
    public RegisterAccountOutcomeType()
    {
        Name = "RegisterAccountOutcome";
        Description = "Whether the account was created now or was already registered with the same details.";
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
