using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Governance.Domain.Audit;
using Npgsql;

namespace Governance.Storage.Audit;

/// <summary>Which entries <see cref="AuditLog.EntriesAsync"/> returns; every condition is optional.</summary>
public sealed record AuditFilter(string? Action = null, string? Actor = null, long? FromSeq = null);

/// <summary>An inclusion proof of one entry in the tree of the first <see cref="TreeSize"/> entries.</summary>
public sealed record AuditInclusionProof(AuditEntry Entry, byte[] LeafHash, long TreeSize, byte[] RootHash, IReadOnlyList<byte[]> Path);

/// <summary>A consistency proof between the trees of the first <see cref="FromSize"/> and <see cref="ToSize"/> entries.</summary>
public sealed record AuditConsistencyProof(long FromSize, byte[] FromRoot, long ToSize, byte[] ToRoot, IReadOnlyList<byte[]> Path);

/// <summary>Something <see cref="AuditLog.VerifyAsync"/> found wrong; <see cref="Seq"/> or <see cref="TreeSize"/> says where.</summary>
public sealed record AuditProblem(string Kind, string Message, long? Seq = null, long? TreeSize = null);

/// <summary>The outcome of checking a tenant's stored log: ok when <see cref="Problems"/> is empty.</summary>
public sealed record AuditVerification(long TreeSize, int CheckpointsChecked, IReadOnlyList<AuditProblem> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>The stored log refuses to be checkpointed: its own entries do not verify.</summary>
public sealed class AuditLogCorruptException(string tenantId, IReadOnlyList<AuditProblem> problems)
    : Exception($"The audit log of {tenantId} does not verify: {string.Join("; ", problems.Select(p => p.Message))}")
{
    public IReadOnlyList<AuditProblem> Problems { get; } = problems;
}

/// <summary>
/// Each tenant's audit log (tables of migration 0010): a Merkle log of entries, RFC 6962 hashing
/// (<see cref="MerkleLog"/>), with checkpoints signed by the service's key. Appending holds the tenant's
/// advisory lock until the transaction ends, so sequence numbers are gap-free and in commit order.
/// Proofs and verification recompute every leaf from the stored fields, never trust the stored hash,
/// so an edited field shows.
/// </summary>
public sealed class AuditLog(NpgsqlDataSource dataSource, TimeProvider time, CheckpointSigner signer)
{
    public const int MaxPage = 500;

    private const string Columns = "tenant_id as TenantId, seq as Seq, at as At, actor as Actor, action as Action, subject as Subject, reason as Reason, before::text as Before, after::text as After";

    /// <summary>The key checkpoints are signed with.</summary>
    public CheckpointSigner Signer => signer;

    /// <summary>Appends <paramref name="change"/> in a transaction of its own.</summary>
    public async Task<AuditEntry> AppendAsync(string tenantId, AuditEvent change, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TenantSession.SetTenantAsync(connection, transaction, tenantId, cancellationToken);
        var entry = await AppendAsync(connection, transaction, tenantId, change, time.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return entry;
    }

    /// <summary>
    /// Appends <paramref name="change"/> in the caller's transaction, so the entry commits or rolls back
    /// with the change it records. Takes the tenant's audit lock, held to the end of the transaction:
    /// make it the transaction's last lock (append last), so lock order never inverts and nothing waits long.
    /// </summary>
    public static async Task<AuditEntry> AppendAsync(DbConnection connection, DbTransaction transaction, string tenantId, AuditEvent change,
        DateTimeOffset at, CancellationToken cancellationToken) =>
        (await AppendBatchAsync(connection, transaction, tenantId, [change], at, cancellationToken))[0];

    /// <summary>
    /// Appends <paramref name="changes"/>, in order and all with the time <paramref name="at"/>, in the
    /// caller's transaction, as <see cref="AppendAsync(DbConnection, DbTransaction, string, AuditEvent, DateTimeOffset, CancellationToken)"/>
    /// does one: three statements whatever the count (lock, normalise, insert), so an ingest batch of
    /// 10,000 facts can record its corrections without a round trip each. Nothing for an empty list.
    /// </summary>
    public static async Task<IReadOnlyList<AuditEntry>> AppendBatchAsync(DbConnection connection, DbTransaction transaction, string tenantId,
        IReadOnlyList<AuditEvent> changes, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return [];
        }

        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(@lockKey)",
            new { lockKey = LockKey(tenantId) }, transaction, cancellationToken: cancellationToken));
        // jsonb may print a document otherwise than given (key order, numbers): hash what it will print.
        // The next seq comes with the texts; under the lock nothing else can take it.
        var normalised = (await connection.QueryAsync<(string? Before, string? After, long Next)>(new CommandDefinition(
            """
            select cast(c.before as jsonb)::text, cast(c.after as jsonb)::text,
                   (select coalesce(max(seq) + 1, 0) from audit_entries where tenant_id = @tenantId)
            from unnest(cast(@befores as text[]), cast(@afters as text[])) with ordinality as c(before, after, n)
            order by c.n
            """,
            new { tenantId, befores = changes.Select(c => c.Before).ToArray(), afters = changes.Select(c => c.After).ToArray() },
            transaction, cancellationToken: cancellationToken))).ToList();
        var storedAt = AuditEntry.StorableTime(at);
        var entries = changes.Select((change, i) => new AuditEntry(tenantId, normalised[i].Next + i, storedAt, change.Actor, change.Action, change.Subject,
            change.Reason, normalised[i].Before, normalised[i].After)).ToList();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into audit_entries (tenant_id, seq, at, actor, action, subject, reason, before, after, leaf_hash)
            select @tenantId, e.seq, @storedAt, e.actor, e.action, e.subject, e.reason, cast(e.before as jsonb), cast(e.after as jsonb), e.leaf_hash
            from unnest(cast(@seqs as bigint[]), cast(@actors as text[]), cast(@actions as text[]), cast(@subjects as text[]),
                        cast(@reasons as text[]), cast(@befores as text[]), cast(@afters as text[]), cast(@leafHashes as bytea[]))
                 as e(seq, actor, action, subject, reason, before, after, leaf_hash)
            """,
            new
            {
                tenantId,
                storedAt,
                seqs = entries.Select(e => e.Seq).ToArray(),
                actors = entries.Select(e => e.Actor).ToArray(),
                actions = entries.Select(e => e.Action).ToArray(),
                subjects = entries.Select(e => e.Subject).ToArray(),
                reasons = entries.Select(e => e.Reason).ToArray(),
                befores = entries.Select(e => e.Before).ToArray(),
                afters = entries.Select(e => e.After).ToArray(),
                leafHashes = entries.Select(e => e.LeafHash()).ToArray(),
            },
            transaction, cancellationToken: cancellationToken));
        return entries;
    }

    /// <summary>Entries matching <paramref name="filter"/> with a sequence number above <paramref name="afterSeq"/>, oldest first, at most <paramref name="first"/> (≤ <see cref="MaxPage"/>).</summary>
    public async Task<IReadOnlyList<AuditEntry>> EntriesAsync(string tenantId, AuditFilter filter, long? afterSeq, int first, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(first, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, MaxPage);
        var sql = new StringBuilder($"select {Columns} from audit_entries where tenant_id = @tenantId");
        if (filter.Action is not null)
        {
            sql.Append(" and action = @action");
        }

        if (filter.Actor is not null)
        {
            sql.Append(" and actor = @actor");
        }

        if (filter.FromSeq is not null)
        {
            sql.Append(" and seq >= @fromSeq");
        }

        if (afterSeq is not null)
        {
            sql.Append(" and seq > @afterSeq");
        }

        sql.Append(" order by seq limit @first");
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var rows = await session.Connection.QueryAsync<EntryRow>(new CommandDefinition(sql.ToString(),
            new { tenantId, filter.Action, filter.Actor, filter.FromSeq, afterSeq, first }, session.Transaction, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToEntry()).ToList();
    }

    /// <summary>The latest checkpoint, or null when the tenant has none.</summary>
    public async Task<AuditCheckpoint?> LatestCheckpointAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        return (await CheckpointsAsync(session.Connection, session.Transaction, tenantId, cancellationToken)).LastOrDefault();
    }

    /// <summary>Every checkpoint of the tenant, smallest tree first.</summary>
    public async Task<IReadOnlyList<AuditCheckpoint>> CheckpointsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        return await CheckpointsAsync(session.Connection, session.Transaction, tenantId, cancellationToken);
    }

    /// <summary>
    /// The latest checkpoint when it covers the whole log, else a new one signed now over every entry;
    /// null for an empty log. Refuses (<see cref="AuditLogCorruptException"/>) to sign a log whose entries
    /// do not verify (a field that no longer hashes to its leaf, a gap in the numbers).
    /// </summary>
    public async Task<AuditCheckpoint?> CheckpointAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TenantSession.SetTenantAsync(connection, transaction, tenantId, cancellationToken);
        // The append lock: no entry can be added between reading the leaves and signing their root.
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(@lockKey)",
            new { lockKey = LockKey(tenantId) }, transaction, cancellationToken: cancellationToken));
        var (entries, stored) = await LoadAsync(connection, transaction, tenantId, cancellationToken);
        var problems = new List<AuditProblem>();
        var leaves = CheckEntries(entries, stored, problems);
        if (problems.Count > 0)
        {
            throw new AuditLogCorruptException(tenantId, problems);
        }

        var latest = (await CheckpointsAsync(connection, transaction, tenantId, cancellationToken)).LastOrDefault();
        if (leaves.Count == 0 || latest?.TreeSize == leaves.Count)
        {
            return latest;
        }

        var checkpoint = signer.Sign(tenantId, leaves.Count, MerkleLog.RootHash(leaves), time.GetUtcNow());
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into audit_checkpoints (tenant_id, tree_size, root_hash, at, key_id, signature)
            values (@TenantId, @TreeSize, @RootHash, @At, @KeyId, @Signature)
            """,
            checkpoint, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return checkpoint;
    }

    /// <summary>Tenants whose log has more entries than their latest checkpoint covers.</summary>
    public async Task<IReadOnlyList<string>> TenantsToCheckpointAsync(CancellationToken cancellationToken = default)
    {
        // A deliberate cross-tenant question, answered with tenant ids only (migration 0013).
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var tenants = await connection.QueryAsync<string>(new CommandDefinition(
            "select * from governance_tenants_to_checkpoint()", cancellationToken: cancellationToken));
        return tenants.ToList();
    }

    /// <summary>The inclusion proof of entry <paramref name="seq"/> in the tree of the first <paramref name="treeSize"/> entries; null when either is out of range.</summary>
    public async Task<AuditInclusionProof?> InclusionProofAsync(string tenantId, long seq, long treeSize, CancellationToken cancellationToken = default)
    {
        var entries = await EntriesUpToAsync(tenantId, treeSize, cancellationToken);
        if (entries is null || seq < 0 || seq >= treeSize)
        {
            return null;
        }

        var leaves = entries.Select(e => e.LeafHash()).ToList();
        return new AuditInclusionProof(entries[(int)seq], leaves[(int)seq], treeSize, MerkleLog.RootHash(leaves),
            MerkleLog.InclusionProof(leaves, seq, treeSize));
    }

    /// <summary>The consistency proof between the first <paramref name="fromSize"/> and the first <paramref name="toSize"/> entries; null when out of range.</summary>
    public async Task<AuditConsistencyProof?> ConsistencyProofAsync(string tenantId, long fromSize, long toSize, CancellationToken cancellationToken = default)
    {
        var entries = await EntriesUpToAsync(tenantId, toSize, cancellationToken);
        if (entries is null || fromSize < 1 || fromSize > toSize)
        {
            return null;
        }

        var leaves = entries.Select(e => e.LeafHash()).ToList();
        return new AuditConsistencyProof(fromSize, MerkleLog.RootHash(leaves, fromSize), toSize, MerkleLog.RootHash(leaves),
            MerkleLog.ConsistencyProof(leaves, fromSize, toSize));
    }

    /// <summary>
    /// Checks the whole stored log: every leaf recomputed from the stored fields and compared with the
    /// stored leaf hash, sequence numbers 0 … n−1 without gaps, every stored checkpoint's signature and
    /// root, and the consistency of each checkpoint with the next. <paramref name="kept"/> are
    /// checkpoints the auditor kept from earlier, <paramref name="witnessed"/> the latest the service
    /// kept outside the database (either way a tail cut together with its stored checkpoints shows):
    /// each must be signed by the service and consistent with the log now.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(string tenantId, IReadOnlyList<AuditCheckpoint>? kept = null, CancellationToken cancellationToken = default,
        AuditCheckpoint? witnessed = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await TenantSession.SetTenantAsync(connection, transaction, tenantId, cancellationToken);
        var (entries, stored) = await LoadAsync(connection, transaction, tenantId, cancellationToken);
        var checkpoints = await CheckpointsAsync(connection, transaction, tenantId, cancellationToken);
        var problems = new List<AuditProblem>();
        var leaves = CheckEntries(entries, stored, problems);

        var all = checkpoints.Select(c => (Checkpoint: c, Source: "checkpoint"))
            .Concat((kept ?? []).Select(c => (Checkpoint: c with { TenantId = tenantId }, Source: "kept checkpoint")))
            .Concat(witnessed is null ? [] : [(Checkpoint: witnessed with { TenantId = tenantId }, Source: "witnessed checkpoint (kept outside the database)")])
            .ToList();
        foreach (var (checkpoint, source) in all)
        {
            CheckCheckpoint(checkpoint, source, leaves, problems);
        }

        var signed = all.Where(c => signer.Verify(c.Checkpoint)).Select(c => c.Checkpoint)
            .GroupBy(c => c.TreeSize).Select(g => g.First()).OrderBy(c => c.TreeSize).ToList();
        foreach (var (older, newer) in signed.Zip(signed.Skip(1)))
        {
            if (newer.TreeSize > leaves.Count)
            {
                continue;
            }

            var proof = MerkleLog.ConsistencyProof(leaves, older.TreeSize, newer.TreeSize);
            if (!MerkleLog.VerifyConsistency(older.TreeSize, newer.TreeSize, older.RootHash, newer.RootHash, proof))
            {
                problems.Add(new AuditProblem("INCONSISTENT_CHECKPOINTS",
                    $"The checkpoints at tree sizes {older.TreeSize} and {newer.TreeSize} do not describe one growing log.", TreeSize: newer.TreeSize));
            }
        }

        var sameSize = all.GroupBy(c => c.Checkpoint.TreeSize)
            .Where(g => g.Select(c => Convert.ToHexString(c.Checkpoint.RootHash)).Distinct().Count() > 1);
        foreach (var group in sameSize)
        {
            problems.Add(new AuditProblem("INCONSISTENT_CHECKPOINTS", $"Two checkpoints at tree size {group.Key} have different roots.", TreeSize: group.Key));
        }

        return new AuditVerification(leaves.Count, all.Count, problems);
    }

    private void CheckCheckpoint(AuditCheckpoint checkpoint, string source, List<byte[]> leaves, List<AuditProblem> problems)
    {
        var size = checkpoint.TreeSize;
        if (checkpoint.KeyId != signer.KeyId)
        {
            problems.Add(new AuditProblem("UNKNOWN_KEY", $"The {source} at tree size {size} names key {checkpoint.KeyId}, not the service's key {signer.KeyId}.", TreeSize: size));
        }
        else if (!signer.Verify(checkpoint))
        {
            problems.Add(new AuditProblem("BAD_SIGNATURE", $"The {source} at tree size {size} does not carry a valid signature of the service's key.", TreeSize: size));
        }

        if (size > leaves.Count)
        {
            problems.Add(new AuditProblem("MISSING_ENTRIES", $"The {source} at tree size {size} covers more entries than the log holds ({leaves.Count}): entries were removed.", TreeSize: size));
        }
        else if (size < 1 || !CryptographicOperations.FixedTimeEquals(MerkleLog.RootHash(leaves, size), checkpoint.RootHash))
        {
            problems.Add(new AuditProblem("ROOT_MISMATCH", $"The first {size} entries no longer hash to the root of the {source} at tree size {size}.", TreeSize: size));
        }
    }

    // The leaves recomputed from the stored fields, in stored order; problems for gaps and for fields that no longer hash to the stored leaf.
    private static List<byte[]> CheckEntries(IReadOnlyList<AuditEntry> entries, IReadOnlyList<byte[]> stored, List<AuditProblem> problems)
    {
        var leaves = new List<byte[]>(entries.Count);
        long expected = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Seq != expected)
            {
                problems.Add(entry.Seq > expected
                    ? new AuditProblem("GAP", $"Entries {expected} to {entry.Seq - 1} are missing.", Seq: expected)
                    : new AuditProblem("GAP", $"Entry {entry.Seq} is out of order.", Seq: entry.Seq));
            }

            expected = entry.Seq + 1;
            var leaf = entry.LeafHash();
            if (!CryptographicOperations.FixedTimeEquals(leaf, stored[i]))
            {
                problems.Add(new AuditProblem("ENTRY_CHANGED", $"Entry {entry.Seq}'s stored fields no longer hash to its leaf hash.", Seq: entry.Seq));
            }

            leaves.Add(leaf);
        }

        return leaves;
    }

    private async Task<IReadOnlyList<AuditEntry>?> EntriesUpToAsync(string tenantId, long treeSize, CancellationToken cancellationToken)
    {
        if (treeSize < 1)
        {
            return null;
        }

        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var rows = (await session.Connection.QueryAsync<EntryRow>(new CommandDefinition(
            $"select {Columns}, leaf_hash as LeafHash from audit_entries where tenant_id = @tenantId and seq < @treeSize order by seq",
            new { tenantId, treeSize }, session.Transaction, cancellationToken: cancellationToken))).ToList();
        return rows.Count == treeSize ? rows.Select(r => r.ToEntry()).ToList() : null;
    }

    private static async Task<(IReadOnlyList<AuditEntry> Entries, IReadOnlyList<byte[]> Stored)> LoadAsync(DbConnection connection, DbTransaction transaction,
        string tenantId, CancellationToken cancellationToken)
    {
        var rows = (await connection.QueryAsync<EntryRow>(new CommandDefinition(
            $"select {Columns}, leaf_hash as LeafHash from audit_entries where tenant_id = @tenantId order by seq",
            new { tenantId }, transaction, cancellationToken: cancellationToken))).ToList();
        return (rows.Select(r => r.ToEntry()).ToList(), rows.Select(r => r.LeafHash ?? []).ToList());
    }

    private static async Task<IReadOnlyList<AuditCheckpoint>> CheckpointsAsync(DbConnection connection, DbTransaction? transaction, string tenantId, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<CheckpointRow>(new CommandDefinition(
            """
            select tenant_id as TenantId, tree_size as TreeSize, root_hash as RootHash, at as At, key_id as KeyId, signature as Signature
            from audit_checkpoints where tenant_id = @tenantId order by tree_size
            """,
            new { tenantId }, transaction, cancellationToken: cancellationToken));
        return rows.Select(r => new AuditCheckpoint(r.TenantId, r.TreeSize, r.RootHash, new DateTimeOffset(r.At, TimeSpan.Zero), r.KeyId, r.Signature)).ToList();
    }

    private static long LockKey(string tenantId) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"governance.audit/{tenantId}")), 0);

    private sealed class EntryRow
    {
        public string TenantId { get; init; } = "";
        public long Seq { get; init; }
        public DateTime At { get; init; }
        public string Actor { get; init; } = "";
        public string Action { get; init; } = "";
        public string Subject { get; init; } = "";
        public string? Reason { get; init; }
        public string? Before { get; init; }
        public string? After { get; init; }
        public byte[]? LeafHash { get; init; }

        public AuditEntry ToEntry() =>
            new(TenantId, Seq, new DateTimeOffset(DateTime.SpecifyKind(At, DateTimeKind.Utc)), Actor, Action, Subject, Reason, Before, After);
    }

    private sealed class CheckpointRow
    {
        public string TenantId { get; init; } = "";
        public long TreeSize { get; init; }
        public byte[] RootHash { get; init; } = [];
        public DateTime At { get; init; }
        public string KeyId { get; init; } = "";
        public byte[] Signature { get; init; } = [];
    }
}
