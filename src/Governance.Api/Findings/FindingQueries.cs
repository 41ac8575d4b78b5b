using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using Governance.Storage.Findings;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Findings;

/// <summary>Reading the jobs' findings and resolving them (data owners), each resolution audited.</summary>
public static class FindingQueries
{
    private static readonly string[] Kinds = ["anomaly", "reconciliation", "freshness"];

    public static void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<FindingType>>>>("findings")
            .Description("The tenant's findings, newest first.")
            .Argument<BooleanGraphType>("open", "Only open ones (default true).")
            .Argument<StringGraphType>("kind", "anomaly, reconciliation or freshness.")
            .Argument<IntGraphType>("first", $"1 to {FindingStore.MaxPage}; 100 when left out.")
            .RequireRoles(Roles.DataOwner, Roles.TenantAdmin, Roles.Auditor, Roles.CommitteeMember)
            .ResolveAsync(async context =>
            {
                var kind = context.GetArgument<string?>("kind");
                if (kind is not null && !Kinds.Contains(kind))
                {
                    throw ErrorCodes.Invalid("kind", $"must be one of {string.Join(", ", Kinds)}");
                }

                var first = context.GetArgument<int?>("first") ?? 100;
                if (first is < 1 or > FindingStore.MaxPage)
                {
                    throw ErrorCodes.Invalid("first", $"must be 1 to {FindingStore.MaxPage}");
                }

                return await Store(context).ListAsync(context.Caller().TenantId, context.GetArgument<bool?>("open") ?? true, kind, first, context.CancellationToken);
            });

    public static void AddMutationsTo(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<FindingType>>("resolveFinding")
            .Description("A data owner resolves an open finding with a reason; payouts it blocked can then be verified. Resolving twice is a CONFLICT.")
            .Argument<NonNullGraphType<IdGraphType>>("findingId")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .RequireRoles(Roles.DataOwner)
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var id = Guid.TryParse(context.GetArgument<string>("findingId"), out var parsed) ? parsed : throw ErrorCodes.Invalid("findingId", "must be a finding id (a UUID)");
                var reason = context.GetArgument<string>("reason");
                if (string.IsNullOrWhiteSpace(reason))
                {
                    throw ErrorCodes.Invalid("reason", "must not be blank");
                }

                return await Store(context).ResolveAsync(caller.TenantId, id, caller.Subject, reason.Trim(), context.CancellationToken) switch
                {
                    null => throw ErrorCodes.NotFoundError("Finding", id.ToString()),
                    false => throw new ExecutionError("The finding is resolved already.") { Code = ErrorCodes.Conflict },
                    true => (await Store(context).GetAsync(caller.TenantId, id, context.CancellationToken))!,
                };
            });

    private static FindingStore Store(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<FindingStore>();
}
