using Governance.Abstractions;
using Governance.Abstractions.Accounts;
using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using GraphQL;
using GraphQL.Types;
using Governance.Api.Facts;
using Governance.Domain.Facts;

namespace Governance.Api.Accounts;

public static class AccountMutations
{
    public const int MaxNameLength = 200;
    public const int MaxSegmentLength = 100;

    public static void AddTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<RegisterAccountPayloadType>>("registerAccount")
            .Description("Registers an account of the caller's tenant. Idempotent: the same details again change nothing; other details for an existing id are a CONFLICT.")
            .Argument<NonNullGraphType<RegisterAccountInputType>>("input")
            .RequireRoles(Roles.TenantAdmin, Roles.Integration)
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var input = Validate(context.GetArgument<RegisterAccountInput>("input"));
                var grains = context.RequestServices!.GetRequiredService<IGrainFactory>();
                var account = grains.GetGrain<IAccountGrain>(GrainKeys.Account(caller.TenantId, input.Id));
                if (await account.GetAsync() is { } existing)
                {
                    return existing.Name == input.Name && existing.Segment == input.Segment
                        ? new RegisterAccountResult(RegisterAccountOutcome.AlreadyRegistered, existing)
                        : throw new ExecutionError($"Account '{input.Id}' is already registered with other details; nothing was changed.") { Code = ErrorCodes.Conflict };
                }

                // Registering is sending an account.created fact: the account exists because a fact says so.
                var time = context.RequestServices!.GetRequiredService<TimeProvider>();
                var fact = new FactDraft(RegistrationSource, $"account:{input.Id}", input.Id, time.GetUtcNow(), null,
                    FactKind.AccountCreated, new AccountCreatedPayload(input.Name, input.Segment, null));
                var outcome = await context.RequestServices!.GetRequiredService<FactIngestion>()
                    .IngestAsync(caller.TenantId, caller.Subject, [fact], context.CancellationToken);
                if (outcome.Rejected)
                {
                    var error = outcome.Errors[0];
                    throw new ExecutionError($"Account '{input.Id}' could not be registered: {error.Message}.") { Code = error.Code };
                }

                return new RegisterAccountResult(RegisterAccountOutcome.Created, (await account.GetAsync())!);
            });

    /// <summary>The source of the account.created facts this mutation sends.</summary>
    public const string RegistrationSource = "governance.registerAccount";

    private static RegisterAccountInput Validate(RegisterAccountInput input)
    {
        if (GrainKeys.ValidateLocalId(input.Id) is { } idProblem)
        {
            throw ErrorCodes.Invalid("input.id", idProblem);
        }

        var name = input.Name.Trim();
        if (name.Length is 0 or > MaxNameLength)
        {
            throw ErrorCodes.Invalid("input.name", $"must be 1 to {MaxNameLength} characters long");
        }

        var segment = string.IsNullOrWhiteSpace(input.Segment) ? null : input.Segment.Trim();
        if (segment?.Length > MaxSegmentLength)
        {
            throw ErrorCodes.Invalid("input.segment", $"must be at most {MaxSegmentLength} characters long");
        }

        return input with { Name = name, Segment = segment };
    }
}
