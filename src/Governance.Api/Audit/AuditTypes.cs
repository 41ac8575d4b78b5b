using Governance.Domain.Audit;
using Governance.Storage.Audit;
using GraphQL.Types;

namespace Governance.Api.Audit;

public sealed class AuditEntryType : ObjectGraphType<AuditEntry>
{
    public AuditEntryType()
    {
        Name = "AuditEntry";
        Description = "One entry of the caller's tenant's audit log. Its leaf hash is SHA-256(0x00 ‖ canonical bytes), docs/audit.md.";
        Field(e => e.Seq, type: typeof(NonNullGraphType<LongGraphType>)).Description("Position in the log: 0, 1, 2 … without gaps.");
        Field(e => e.At).Description("When, to the microsecond (UTC).");
        Field(e => e.Actor).Description("Subject of the token, or the job, that made the change.");
        Field(e => e.Action).Description("What was done, e.g. metric_definition.proposed.");
        Field(e => e.Subject).Description("What it was done to, e.g. metric_definition:net_revenue_retention:v2.");
        Field(e => e.Reason, nullable: true);
        Field(e => e.Before, nullable: true).Description("State before, JSON text as stored.");
        Field(e => e.After, nullable: true).Description("State after, JSON text as stored.");
        Field<NonNullGraphType<StringGraphType>>("canonical").Description("The canonical bytes (UTF-8) that are hashed.")
            .Resolve(c => System.Text.Encoding.UTF8.GetString(c.Source.CanonicalBytes()));
        Field<NonNullGraphType<StringGraphType>>("leafHash").Description("SHA-256(0x00 ‖ canonical bytes), lower-case hex.")
            .Resolve(c => Convert.ToHexStringLower(c.Source.LeafHash()));
    }
}

public sealed class AuditCheckpointType : ObjectGraphType<AuditCheckpoint>
{
    public AuditCheckpointType()
    {
        Name = "AuditCheckpoint";
        Description = "A signed (tree size, root, time) of the caller's tenant's log. Keep it: it is what later proves the log was not cut or rewritten.";
        Field(c => c.TreeSize, type: typeof(NonNullGraphType<LongGraphType>));
        Field<NonNullGraphType<StringGraphType>>("rootHash").Description("Lower-case hex.").Resolve(c => Convert.ToHexStringLower(c.Source.RootHash));
        Field(c => c.At);
        Field(c => c.KeyId);
        Field<NonNullGraphType<StringGraphType>>("signature").Description("ECDSA P-256 / SHA-256, IEEE P1363 (r ‖ s), base64.")
            .Resolve(c => Convert.ToBase64String(c.Source.Signature));
        Field<NonNullGraphType<StringGraphType>>("signedText").Description("The exact text that was signed (UTF-8).")
            .Resolve(c => System.Text.Encoding.UTF8.GetString(c.Source.SignedBytes()));
    }
}

public sealed class AuditCheckpointInputType : InputObjectGraphType<AuditCheckpointInput>
{
    public AuditCheckpointInputType()
    {
        Name = "AuditCheckpointInput";
        Description = "A checkpoint the auditor kept, as auditCheckpoint returned it.";
        Field(c => c.TreeSize, type: typeof(NonNullGraphType<LongGraphType>));
        Field(c => c.RootHash);
        Field(c => c.At);
        Field(c => c.KeyId);
        Field(c => c.Signature);
    }
}

public sealed class AuditCheckpointInput
{
    public long TreeSize { get; set; }
    public string RootHash { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string KeyId { get; set; } = "";
    public string Signature { get; set; } = "";
}

public sealed class AuditInclusionProofType : ObjectGraphType<AuditInclusionProof>
{
    public AuditInclusionProofType()
    {
        Name = "AuditInclusionProof";
        Description = "The RFC 6962 audit path of one entry in the tree of the first treeSize entries, nearest sibling first.";
        Field(p => p.Entry, type: typeof(NonNullGraphType<AuditEntryType>));
        Field<NonNullGraphType<StringGraphType>>("leafHash").Resolve(c => Convert.ToHexStringLower(c.Source.LeafHash));
        Field(p => p.TreeSize, type: typeof(NonNullGraphType<LongGraphType>));
        Field<NonNullGraphType<StringGraphType>>("rootHash").Resolve(c => Convert.ToHexStringLower(c.Source.RootHash));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("path").Description("Hashes, lower-case hex.")
            .Resolve(c => c.Source.Path.Select(Convert.ToHexStringLower));
    }
}

public sealed class AuditConsistencyProofType : ObjectGraphType<AuditConsistencyProof>
{
    public AuditConsistencyProofType()
    {
        Name = "AuditConsistencyProof";
        Description = "The RFC 6962 consistency proof that the tree of fromSize entries is a prefix of the tree of toSize entries.";
        Field(p => p.FromSize, type: typeof(NonNullGraphType<LongGraphType>));
        Field<NonNullGraphType<StringGraphType>>("fromRoot").Resolve(c => Convert.ToHexStringLower(c.Source.FromRoot));
        Field(p => p.ToSize, type: typeof(NonNullGraphType<LongGraphType>));
        Field<NonNullGraphType<StringGraphType>>("toRoot").Resolve(c => Convert.ToHexStringLower(c.Source.ToRoot));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("path").Description("Hashes, lower-case hex.")
            .Resolve(c => c.Source.Path.Select(Convert.ToHexStringLower));
    }
}

public sealed class AuditProblemType : ObjectGraphType<AuditProblem>
{
    public AuditProblemType()
    {
        Name = "AuditProblem";
        Field(p => p.Kind).Description("GAP, ENTRY_CHANGED, ROOT_MISMATCH, MISSING_ENTRIES, BAD_SIGNATURE, UNKNOWN_KEY, INCONSISTENT_CHECKPOINTS or BAD_INPUT.");
        Field(p => p.Message);
        Field(p => p.Seq, type: typeof(LongGraphType)).Description("The entry concerned, if any.");
        Field(p => p.TreeSize, type: typeof(LongGraphType)).Description("The checkpoint concerned, if any.");
    }
}

public sealed class AuditVerificationType : ObjectGraphType<AuditVerification>
{
    public AuditVerificationType()
    {
        Name = "AuditVerification";
        Field(v => v.Ok).Description("True when no problem was found.");
        Field(v => v.TreeSize, type: typeof(NonNullGraphType<LongGraphType>)).Description("Entries in the stored log.");
        Field(v => v.CheckpointsChecked).Description("Stored and kept checkpoints checked.");
        Field(v => v.Problems, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<AuditProblemType>>>));
    }
}

public sealed class AuditPublicKeyType : ObjectGraphType<CheckpointSigner>
{
    public AuditPublicKeyType()
    {
        Name = "AuditPublicKey";
        Description = "The key the service signs checkpoints with; also unauthenticated at /.well-known/governance-audit-key.";
        Field(k => k.KeyId).Description("Hex of the first 8 bytes of SHA-256 of the SubjectPublicKeyInfo.");
        Field<NonNullGraphType<StringGraphType>>("algorithm").Resolve(_ => "ECDSA P-256 SHA-256, IEEE P1363 signature");
        Field(k => k.PublicKeyPem).Description("PEM, SubjectPublicKeyInfo.");
    }
}
