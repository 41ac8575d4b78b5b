using Governance.Abstractions;
using Governance.Abstractions.Accounts;
using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using GraphQL;
using GraphQL.Types;

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
                var result = await grains.GetGrain<IAccountGrain>(GrainKeys.Account(caller.TenantId, input.Id))
                    .RegisterAsync(new RegisterAccountCommand { Name = input.Name, Segment = input.Segment, RegisteredBy = caller.Subject });
                if (result.Outcome == RegisterAccountOutcome.Conflict)
                {
                    throw new ExecutionError($"Account '{input.Id}' is already registered with other details; nothing was changed.") { Code = ErrorCodes.Conflict };
                }

                return result;
            });

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
