using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using Governance.Domain.Audit;
using Governance.Storage.Audit;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Audit;

/// <summary>The caller's tenant's audit log: entries, signed checkpoints, proofs and verification. Read by auditors and tenant admins.</summary>
public static class AuditQueries
{
    private static readonly string[] Readers = [Roles.Auditor, Roles.TenantAdmin];

    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AuditEntryType>>>>("auditEntries")
            .Description("Entries of the caller's tenant, oldest first. Page on with after = the last seq seen.")
            .Argument<StringGraphType>("action")
            .Argument<StringGraphType>("actor")
            .Argument<LongGraphType>("fromSeq", "Only entries from this seq on.")
            .Argument<IntGraphType>("first", $"At most this many, 1 to {AuditLog.MaxPage}.", a => a.DefaultValue = 100)
            .Argument<LongGraphType>("after", "Only entries after this seq.")
            .RequireRoles(Readers)
            .ResolveAsync(async context =>
            {
                var first = context.GetArgument("first", 100);
                if (first is < 1 or > AuditLog.MaxPage)
                {
                    context.Errors.Add(ErrorCodes.Invalid("first", $"must be from 1 to {AuditLog.MaxPage}"));
                    return null;
                }

                var filter = new AuditFilter(context.GetArgument<string?>("action"), context.GetArgument<string?>("actor"), context.GetArgument<long?>("fromSeq"));
                return await Log(context).EntriesAsync(context.Caller().TenantId, filter, context.GetArgument<long?>("after"), first, context.CancellationToken);
            });

        query.Field<AuditCheckpointType>("auditCheckpoint")
            .Description("The latest signed checkpoint, signing a new one first when the log grew since; null for an empty log.")
            .RequireRoles(Readers)
            .ResolveAsync(async context =>
            {
                try
                {
                    return await context.RequestServices!.GetRequiredService<CheckpointWitness>().CheckpointAsync(context.Caller().TenantId, context.CancellationToken);
                }
                catch (AuditLogCorruptException corrupt)
                {
                    context.Errors.Add(new ExecutionError($"The stored log does not verify; no checkpoint is signed. {corrupt.Message}") { Code = ErrorCodes.Conflict });
                    return null;
                }
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AuditCheckpointType>>>>("auditCheckpoints")
            .Description("Every stored checkpoint, smallest tree first.")
            .RequireRoles(Readers)
            .ResolveAsync(async context => await Log(context).CheckpointsAsync(context.Caller().TenantId, context.CancellationToken));

        query.Field<AuditInclusionProofType>("auditInclusionProof")
            .Description("The inclusion proof of entry seq in the tree of the first treeSize entries; null with NOT_FOUND when out of range.")
            .Argument<NonNullGraphType<LongGraphType>>("seq")
            .Argument<NonNullGraphType<LongGraphType>>("treeSize")
            .RequireRoles(Readers)
            .ResolveAsync(async context =>
            {
                var seq = context.GetArgument<long>("seq");
                var size = context.GetArgument<long>("treeSize");
                var proof = await Log(context).InclusionProofAsync(context.Caller().TenantId, seq, size, context.CancellationToken);
                if (proof is null)
                {
                    context.Errors.Add(ErrorCodes.NotFoundError("Audit entry in tree", $"{seq} of {size}"));
                }

                return proof;
            });

        query.Field<AuditConsistencyProofType>("auditConsistencyProof")
            .Description("The consistency proof between the trees of fromSize and toSize entries (1 ≤ fromSize ≤ toSize ≤ entries); null with NOT_FOUND otherwise.")
            .Argument<NonNullGraphType<LongGraphType>>("fromSize")
            .Argument<NonNullGraphType<LongGraphType>>("toSize")
            .RequireRoles(Readers)
            .ResolveAsync(async context =>
            {
                var from = context.GetArgument<long>("fromSize");
                var to = context.GetArgument<long>("toSize");
                var proof = await Log(context).ConsistencyProofAsync(context.Caller().TenantId, from, to, context.CancellationToken);
                if (proof is null)
                {
                    context.Errors.Add(ErrorCodes.NotFoundError("Audit tree sizes", $"{from} to {to}"));
                }

                return proof;
            });

        query.Field<NonNullGraphType<AuditVerificationType>>("verifyAuditLog")
            .Description("Checks the whole stored log: every leaf recomputed from the stored fields, seq without gaps, every checkpoint's signature and root, consistency between successive checkpoints, the latest checkpoint the service kept outside the database, and the checkpoints you kept.")
            .Argument<ListGraphType<NonNullGraphType<AuditCheckpointInputType>>>("kept", "Checkpoints kept from earlier: the only way to catch a tail cut with its checkpoints.")
            .RequireRoles(Readers)
            .ResolveAsync(async context =>
            {
                var tenant = context.Caller().TenantId;
                var kept = new List<AuditCheckpoint>();
                var bad = new List<AuditProblem>();
                foreach (var input in context.GetArgument<List<AuditCheckpointInput>?>("kept") ?? [])
                {
                    try
                    {
                        kept.Add(new AuditCheckpoint(tenant, input.TreeSize, Convert.FromHexString(input.RootHash), input.At, input.KeyId, Convert.FromBase64String(input.Signature)));
                    }
                    catch (FormatException)
                    {
                        bad.Add(new AuditProblem("BAD_INPUT", $"The kept checkpoint at tree size {input.TreeSize} is not hex root and base64 signature.", TreeSize: input.TreeSize));
                    }
                }

                var witnessed = await context.RequestServices!.GetRequiredService<CheckpointWitness>().LatestAsync(tenant, context.CancellationToken);
                var result = await Log(context).VerifyAsync(tenant, kept, context.CancellationToken, witnessed);
                return bad.Count == 0 ? result : result with { Problems = [.. bad, .. result.Problems] };
            });

        query.Field<NonNullGraphType<AuditPublicKeyType>>("auditPublicKey")
            .Description("The key checkpoints are signed with.")
            .RequireRoles(Readers)
            .Resolve(context => context.RequestServices!.GetRequiredService<CheckpointSigner>());
    }

    private static AuditLog Log(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<AuditLog>();
}
