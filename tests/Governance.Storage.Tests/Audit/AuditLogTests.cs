using System.Security.Cryptography;
using Governance.Abstractions.Security;
using Governance.Domain.Audit;
using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Definitions;
using Governance.Storage.Audit;
using Governance.Storage.Tests.Metrics;

namespace Governance.Storage.Tests.Audit;

public sealed class AuditLogTests(DefinitionDatabase db) : IClassFixture<DefinitionDatabase>, IDisposable
{
    private readonly CheckpointSigner _signer = new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    private AuditLog Log => new(db.DataSource, TimeProvider.System, _signer);

    public void Dispose() => _signer.Dispose();

    private async Task<string> TenantWithEntriesAsync(int count)
    {
        var tenant = await db.NewTenantAsync();
        for (var i = 0; i < count; i++)
        {
            await Log.AppendAsync(tenant, new AuditEvent("ada", i % 2 == 0 ? "metric_definition.proposed" : "metric_definition.approved",
                $"metric_definition:logo_retention:v{i + 1}", $"reason {i}", i == 0 ? null : $$"""{"status": "Draft", "n": {{i}}.50, "b": [1, {"z": 1, "a": "x\ny"}]}""",
                $$"""{"status":"Approved","version":{{i + 1}}}"""));
        }

        return tenant;
    }

    /// <summary>Runs SQL with the append-only triggers off, as a superuser with the database could.</summary>
    private async Task TamperAsync(string sql, params object[] parameters)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var statements = new[] { "alter table audit_entries disable trigger user", "alter table audit_checkpoints disable trigger user" }
            .Concat(sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Append("alter table audit_entries enable trigger user").Append("alter table audit_checkpoints enable trigger user");
        foreach (var statement in statements)
        {
            await using var command = new Npgsql.NpgsqlCommand(statement, connection, transaction);
            foreach (var parameter in statement.Contains('$', StringComparison.Ordinal) ? parameters : [])
            {
                command.Parameters.Add(new() { Value = parameter });
            }

            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    [Fact]
    public async Task ShouldNumberEntriesWithoutGapsEvenWhenAppendedConcurrently()
    {
        var tenant = await db.NewTenantAsync();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Log.AppendAsync(tenant, new AuditEvent("job", "test.appended", $"thing:{i}"))));

        var entries = await Log.EntriesAsync(tenant, new AuditFilter(), null, 500);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), entries.Select(e => e.Seq));
        Assert.True((await Log.VerifyAsync(tenant)).Ok);
    }

    [Fact]
    public async Task ShouldFilterAndPageEntries()
    {
        var tenant = await TenantWithEntriesAsync(7);

        var proposed = await Log.EntriesAsync(tenant, new AuditFilter(Action: "metric_definition.proposed"), null, 2);
        var next = await Log.EntriesAsync(tenant, new AuditFilter(Action: "metric_definition.proposed"), proposed[^1].Seq, 500);

        Assert.Equal([0L, 2L], proposed.Select(e => e.Seq));
        Assert.Equal([4L, 6L], next.Select(e => e.Seq));
        Assert.Equal([5L, 6L], (await Log.EntriesAsync(tenant, new AuditFilter(FromSeq: 5), null, 500)).Select(e => e.Seq));
        Assert.Empty(await Log.EntriesAsync(tenant, new AuditFilter(Actor: "grace"), null, 500));
    }

    [Fact]
    public async Task ShouldRefuseToChangeOrDeleteEntries()
    {
        var tenant = await TenantWithEntriesAsync(1);

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsync("update audit_entries set actor = 'x' where tenant_id = $1", tenant));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsync("delete from audit_entries where tenant_id = $1", tenant));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsync("truncate audit_entries"));
    }

    [Fact]
    public async Task ShouldSignCheckpointsWhoseProofsVerify()
    {
        var tenant = await TenantWithEntriesAsync(5);
        var first = (await Log.CheckpointAsync(tenant))!;
        Assert.Equal(first.KeyId, (await Log.CheckpointAsync(tenant))!.KeyId);
        Assert.Equal(5, (await Log.CheckpointAsync(tenant))!.TreeSize);
        await Log.AppendAsync(tenant, new AuditEvent("grace", "metric_definition.retired", "metric_definition:logo_retention:v1", "gone"));
        var second = (await Log.CheckpointAsync(tenant))!;

        Assert.Equal(6, second.TreeSize);
        Assert.True(_signer.Verify(second));
        for (var seq = 0; seq < 6; seq++)
        {
            var inclusion = (await Log.InclusionProofAsync(tenant, seq, 6))!;
            Assert.Equal(inclusion.Entry.LeafHash(), inclusion.LeafHash);
            Assert.True(MerkleLog.VerifyInclusion(inclusion.LeafHash, seq, 6, inclusion.Path, second.RootHash));
        }

        var consistency = (await Log.ConsistencyProofAsync(tenant, 5, 6))!;
        Assert.True(MerkleLog.VerifyConsistency(5, 6, first.RootHash, second.RootHash, consistency.Path));
        Assert.Null(await Log.InclusionProofAsync(tenant, 6, 6));
        Assert.Null(await Log.ConsistencyProofAsync(tenant, 5, 7));
        Assert.Equal(2, (await Log.VerifyAsync(tenant)).CheckpointsChecked);
        Assert.True((await Log.VerifyAsync(tenant)).Ok);
    }

    [Fact]
    public async Task ShouldDetectAnEditedField()
    {
        var tenant = await TenantWithEntriesAsync(4);
        await Log.CheckpointAsync(tenant);

        await TamperAsync("update audit_entries set reason = 'nothing to see' where tenant_id = $1 and seq = 2", tenant);

        var result = await Log.VerifyAsync(tenant);
        Assert.Contains(result.Problems, p => p.Kind == "ENTRY_CHANGED" && p.Seq == 2);
        Assert.Contains(result.Problems, p => p.Kind == "ROOT_MISMATCH" && p.TreeSize == 4);
        await Assert.ThrowsAsync<AuditLogCorruptException>(() => Log.CheckpointAsync(tenant));
    }

    [Fact]
    public async Task ShouldDetectAnEditedFieldEvenWithItsLeafHashRecomputed()
    {
        var tenant = await TenantWithEntriesAsync(4);
        await Log.CheckpointAsync(tenant);
        var edited = (await Log.EntriesAsync(tenant, new AuditFilter(FromSeq: 1), null, 1))[0] with { After = """{"status":"Retired"}""" };

        await TamperAsync("update audit_entries set after = cast($2 as jsonb), leaf_hash = $3 where tenant_id = $1 and seq = 1", tenant, edited.After!, edited.LeafHash());

        var result = await Log.VerifyAsync(tenant);
        Assert.DoesNotContain(result.Problems, p => p.Kind == "ENTRY_CHANGED");
        Assert.Contains(result.Problems, p => p.Kind == "ROOT_MISMATCH" && p.TreeSize == 4);
    }

    [Fact]
    public async Task ShouldDetectADeletedEntry()
    {
        var tenant = await TenantWithEntriesAsync(5);
        await Log.CheckpointAsync(tenant);

        await TamperAsync("delete from audit_entries where tenant_id = $1 and seq = 1", tenant);

        var result = await Log.VerifyAsync(tenant);
        Assert.Contains(result.Problems, p => p.Kind == "GAP" && p.Seq == 1);
        Assert.Contains(result.Problems, p => p.TreeSize == 5);
    }

    [Fact]
    public async Task ShouldDetectTwoSwappedEntries()
    {
        var tenant = await TenantWithEntriesAsync(5);
        await Log.CheckpointAsync(tenant);

        // Everything but the numbers trades places, leaf hashes included.
        await TamperAsync("""
            update audit_entries a set at = b.at, actor = b.actor, action = b.action, subject = b.subject, reason = b.reason,
                   before = b.before, after = b.after, leaf_hash = b.leaf_hash
            from audit_entries b
            where a.tenant_id = $1 and b.tenant_id = $1 and ((a.seq = 1 and b.seq = 3) or (a.seq = 3 and b.seq = 1))
            """, tenant);

        var result = await Log.VerifyAsync(tenant);
        Assert.Contains(result.Problems, p => p.Kind == "ENTRY_CHANGED" && p.Seq == 1);
        Assert.Contains(result.Problems, p => p.Kind == "ENTRY_CHANGED" && p.Seq == 3);
        Assert.Contains(result.Problems, p => p.Kind == "ROOT_MISMATCH" && p.TreeSize == 5);
    }

    [Fact]
    public async Task ShouldDetectATruncatedTailAgainstACheckpointKeptEarlier()
    {
        var tenant = await TenantWithEntriesAsync(6);
        var kept = (await Log.CheckpointAsync(tenant))!;

        await TamperAsync("delete from audit_entries where tenant_id = $1 and seq >= 4; delete from audit_checkpoints where tenant_id = $1", tenant);

        Assert.True((await Log.VerifyAsync(tenant)).Ok, "Without a kept checkpoint a cut tail with its checkpoints is invisible.");
        var result = await Log.VerifyAsync(tenant, [kept]);
        Assert.Contains(result.Problems, p => p.Kind == "MISSING_ENTRIES" && p.TreeSize == 6);
    }

    [Fact]
    public async Task ShouldDetectATruncatedTailAgainstItsStoredCheckpoint()
    {
        var tenant = await TenantWithEntriesAsync(6);
        await Log.CheckpointAsync(tenant);

        await TamperAsync("delete from audit_entries where tenant_id = $1 and seq >= 4", tenant);

        Assert.Contains((await Log.VerifyAsync(tenant)).Problems, p => p.Kind == "MISSING_ENTRIES" && p.TreeSize == 6);
    }

    [Fact]
    public async Task ShouldDetectForgedCheckpoints()
    {
        var tenant = await TenantWithEntriesAsync(6);
        var real = (await Log.CheckpointAsync(tenant))!;
        using var other = new CheckpointSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var wrongKey = other.Sign(tenant, 3, MerkleLog.RootHash([.. (await Log.EntriesAsync(tenant, new AuditFilter(), null, 3)).Select(e => e.LeafHash())]), DateTimeOffset.UtcNow);
        var badSignature = real with { TreeSize = 4, Signature = real.Signature };
        var wrongRoot = _signer.Sign(tenant, 5, SHA256.HashData([1, 2, 3]), DateTimeOffset.UtcNow);

        foreach (var forged in new[] { wrongKey, badSignature, wrongRoot })
        {
            await TamperAsync("insert into audit_checkpoints (tenant_id, tree_size, root_hash, at, key_id, signature) values ($1, $2, $3, $4, $5, $6)",
                tenant, forged.TreeSize, forged.RootHash, forged.At, forged.KeyId, forged.Signature);
        }

        var result = await Log.VerifyAsync(tenant);
        Assert.Contains(result.Problems, p => p.Kind == "UNKNOWN_KEY" && p.TreeSize == 3);
        Assert.Contains(result.Problems, p => p.Kind == "BAD_SIGNATURE" && p.TreeSize == 4);
        Assert.Contains(result.Problems, p => p.Kind == "ROOT_MISMATCH" && p.TreeSize == 5);
        Assert.Contains(result.Problems, p => p.Kind == "INCONSISTENT_CHECKPOINTS" && p.TreeSize == 6);
        Assert.DoesNotContain(result.Problems, p => p.TreeSize == 6 && p.Kind != "INCONSISTENT_CHECKPOINTS");
    }

    [Fact]
    public async Task ShouldAuditEveryDefinitionLifecycleStepInItsTransaction()
    {
        var tenant = await db.NewTenantAsync();
        var ada = new DefinitionActor("ada", [Roles.DataOwner]);
        var grace = new DefinitionActor("grace", [Roles.DataOwner]);
        var draft = new MetricDraft
        {
            Key = "logo_retention", Name = "Logo retention", Kind = DefinitionKind.Formula, Formula = "customers_retained / customers_start else null",
            Unit = Unit.Ratio, Direction = Direction.HigherIsBetter, FocusArea = FocusArea.RetentionAndChurn, JourneyStage = JourneyStage.ValueRealization,
            Indicator = Indicator.Lagging, DataOwner = "CS Ops", EffectiveFrom = new DateOnly(2026, 1, 1), Reason = "first version",
        };

        Assert.NotNull((await db.Store.ProposeAsync(tenant, draft, ada)).Definition);
        Assert.NotNull((await db.Store.ProposeAsync(tenant, draft with { Reason = "second" }, ada)).Definition);
        Assert.NotNull((await db.Store.ApproveAsync(tenant, "logo_retention", 1, grace, "looks right")).Definition);
        Assert.NotNull((await db.Store.ApproveAsync(tenant, "logo_retention", 2, ada, null)).Refusal);
        Assert.NotNull((await db.Store.RetireAsync(tenant, "logo_retention", 1, grace, "superseded")).Definition);

        var entries = await Log.EntriesAsync(tenant, new AuditFilter(), null, 500);
        Assert.Equal(
            [
                ("ada", "metric_definition.proposed", "metric_definition:logo_retention:v1", "first version"),
                ("ada", "metric_definition.proposed", "metric_definition:logo_retention:v2", "second"),
                ("grace", "metric_definition.approved", "metric_definition:logo_retention:v1", "looks right"),
                ("grace", "metric_definition.retired", "metric_definition:logo_retention:v1", "superseded"),
            ],
            entries.Select(e => (e.Actor, e.Action, e.Subject, e.Reason!)));
        Assert.Null(entries[0].Before);
        Assert.Contains("\"formula\"", entries[0].After, StringComparison.Ordinal);
        Assert.Equal("""{"status": "Draft"}""", entries[2].Before);
        Assert.Equal("""{"status": "Approved"}""", entries[2].After);
        Assert.True((await Log.VerifyAsync(tenant)).Ok);
    }

    [Fact]
    public async Task ShouldKeepEachTenantsLogApart()
    {
        var first = await TenantWithEntriesAsync(3);
        var second = await db.NewTenantAsync();

        Assert.Empty(await Log.EntriesAsync(second, new AuditFilter(), null, 500));
        Assert.Null(await Log.CheckpointAsync(second));
        Assert.Null(await Log.InclusionProofAsync(second, 0, 1));
        Assert.Equal(3, (await Log.EntriesAsync(first, new AuditFilter(), null, 500)).Count);
    }
}
