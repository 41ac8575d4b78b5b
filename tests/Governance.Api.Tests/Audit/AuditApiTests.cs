using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Governance.Abstractions.Security;
using Governance.Api.Tests.Infrastructure;
using Governance.Domain.Audit;
using Npgsql;

namespace Governance.Api.Tests.Audit;

[Collection(ApiCollection.Name)]
public sealed class AuditApiTests(ApiFixture fixture)
{
    private const string Entries = """
        query($action: String, $first: Int, $after: Long) {
          auditEntries(action: $action, first: $first, after: $after) { seq at actor action subject reason before after canonical leafHash }
        }
        """;

    private const string Checkpoint = "{ auditCheckpoint { treeSize rootHash at keyId signature signedText } }";

    private const string Verify = """
        query($kept: [AuditCheckpointInput!]) { verifyAuditLog(kept: $kept) { ok treeSize checkpointsChecked problems { kind message seq treeSize } } }
        """;

    private GovernanceHost Host => fixture.Host;

    /// <summary>A tenant whose data owner closed three months: four audit entries, the seeding of the built-ins (seq 0) and the closes (1 to 3).</summary>
    private async Task<(string Tenant, string Auditor)> TenantWithEntriesAsync()
    {
        var tenant = ApiFixture.NewTenantId("au");
        await Host.CreateTenantAsync(tenant);
        var owner = await Host.NewRoleTokenAsync(tenant, Roles.DataOwner);
        foreach (var month in new[] { "2026-01-01", "2026-02-01", "2026-03-01" })
        {
            (await Host.GraphQLAsync(owner, "mutation($m: DateOnly!) { closePeriod(month: $m) }", new { m = month })).AssertNoErrors();
        }

        return (tenant, await Host.NewRoleTokenAsync(tenant, Roles.Auditor));
    }

    private async Task<JsonNode> QueryAsync(string token, string query, object? variables = null)
    {
        var response = await Host.GraphQLAsync(token, query, variables);
        response.AssertNoErrors();
        return response.Data!;
    }

    private async Task TamperAsync(string sql, string tenant)
    {
        await using var connection = fixture.Database.Open();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var statement in new[] { "alter table audit_entries disable trigger user", "alter table audit_checkpoints disable trigger user", sql,
                     "alter table audit_entries enable trigger user", "alter table audit_checkpoints enable trigger user" })
        {
            await using var command = new NpgsqlCommand(statement, connection, transaction);
            command.Parameters.Add(new() { Value = tenant });
            if (!statement.Contains("$1", StringComparison.Ordinal))
            {
                command.Parameters.Clear();
            }

            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    [Fact]
    public async Task ShouldListTheEntriesOfRealChangesAndPage()
    {
        var (_, auditor) = await TenantWithEntriesAsync();

        var first = (await QueryAsync(auditor, Entries, new { first = 2 }))["auditEntries"]!.AsArray();
        var rest = (await QueryAsync(auditor, Entries, new { after = 1 }))["auditEntries"]!.AsArray();

        Assert.Equal([0L, 1L], first.Select(e => e!["seq"]!.GetValue<long>()));
        Assert.Equal([2L, 3L], rest.Select(e => e!["seq"]!.GetValue<long>()));
        Assert.Equal(("system", "metric_definition.seeded"), (first[0]!["actor"]!.GetValue<string>(), first[0]!["action"]!.GetValue<string>()));
        Assert.Equal("period.closed", first[1]!["action"]!.GetValue<string>());
        Assert.Equal("period:2026-01", first[1]!["subject"]!.GetValue<string>());
        var canonical = System.Text.Encoding.UTF8.GetBytes(first[1]!["canonical"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(MerkleLog.LeafHash(canonical)), first[1]!["leafHash"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShouldGiveSignedCheckpointsAndProofsAnAuditorCanCheck()
    {
        var (tenant, auditor) = await TenantWithEntriesAsync();
        var pem = await (await Host.NewClient().GetAsync("/.well-known/governance-audit-key")).Content.ReadAsStringAsync();

        var checkpoint = (await QueryAsync(auditor, Checkpoint))["auditCheckpoint"]!;
        var signed = new AuditCheckpoint(tenant, checkpoint["treeSize"]!.GetValue<long>(), Convert.FromHexString(checkpoint["rootHash"]!.GetValue<string>()),
            DateTimeOffset.Parse(checkpoint["at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
            checkpoint["keyId"]!.GetValue<string>(), Convert.FromBase64String(checkpoint["signature"]!.GetValue<string>()));
        Assert.Equal(4, signed.TreeSize);
        Assert.True(CheckpointSigner.Verify(pem, signed));
        Assert.Equal(pem, (await QueryAsync(auditor, "{ auditPublicKey { publicKeyPem } }"))["auditPublicKey"]!["publicKeyPem"]!.GetValue<string>());

        var inclusion = (await QueryAsync(auditor, "{ auditInclusionProof(seq: 1, treeSize: 4) { leafHash path } }"))["auditInclusionProof"]!;
        Assert.True(MerkleLog.VerifyInclusion(Convert.FromHexString(inclusion["leafHash"]!.GetValue<string>()), 1, 4,
            inclusion["path"]!.AsArray().Select(h => Convert.FromHexString(h!.GetValue<string>())).ToList(), signed.RootHash));

        var owner = await Host.NewRoleTokenAsync(tenant, Roles.DataOwner);
        (await Host.GraphQLAsync(owner, "mutation { closePeriod(month: \"2026-04-01\") }")).AssertNoErrors();
        var later = (await QueryAsync(auditor, Checkpoint))["auditCheckpoint"]!;
        var consistency = (await QueryAsync(auditor, "{ auditConsistencyProof(fromSize: 4, toSize: 5) { path } }"))["auditConsistencyProof"]!;
        Assert.True(MerkleLog.VerifyConsistency(4, 5, signed.RootHash, Convert.FromHexString(later["rootHash"]!.GetValue<string>()),
            consistency["path"]!.AsArray().Select(h => Convert.FromHexString(h!.GetValue<string>())).ToList()));

        var verified = (await QueryAsync(auditor, Verify))["verifyAuditLog"]!;
        Assert.True(verified["ok"]!.GetValue<bool>(), verified.ToJsonString());
        Assert.Equal(3, verified["checkpointsChecked"]!.GetValue<int>()); // the two stored and the latest kept outside the database
        Assert.Equal("NOT_FOUND", (await Host.GraphQLAsync(auditor, "{ auditInclusionProof(seq: 5, treeSize: 5) { leafHash } }")).FirstErrorCode);
    }

    [Fact]
    public async Task ShouldReportAnEditedEntryAndATailCutBehindAKeptCheckpoint()
    {
        var (tenant, auditor) = await TenantWithEntriesAsync();
        var kept = (await QueryAsync(auditor, Checkpoint))["auditCheckpoint"]!.AsObject();
        var keptInput = new { treeSize = kept["treeSize"]!.GetValue<long>(), rootHash = kept["rootHash"]!.GetValue<string>(), at = kept["at"]!.GetValue<string>(), keyId = kept["keyId"]!.GetValue<string>(), signature = kept["signature"]!.GetValue<string>() };

        await TamperAsync("update audit_entries set actor = 'someone-else' where tenant_id = $1 and seq = 0", tenant);
        await TamperAsync("delete from audit_entries where tenant_id = $1 and seq = 3", tenant);

        var verified = (await QueryAsync(auditor, Verify, new { kept = new[] { keptInput } }))["verifyAuditLog"]!;
        var problems = verified["problems"]!.AsArray().Select(p => (p!["kind"]!.GetValue<string>(), p["seq"]?.GetValue<long>(), p["treeSize"]?.GetValue<long>())).ToList();
        Assert.False(verified["ok"]!.GetValue<bool>());
        Assert.Contains(("ENTRY_CHANGED", 0L, (long?)null), problems);
        Assert.Contains(("MISSING_ENTRIES", (long?)null, 4L), problems);
        Assert.Equal("CONFLICT", (await Host.GraphQLAsync(auditor, Checkpoint)).FirstErrorCode);

        var forged = keptInput with { signature = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)) };
        var withForgery = (await QueryAsync(auditor, Verify, new { kept = new[] { forged } }))["verifyAuditLog"]!;
        Assert.Contains(withForgery["problems"]!.AsArray(), p => p!["kind"]!.GetValue<string>() == "BAD_SIGNATURE");
    }

    [Fact]
    public async Task ShouldCatchATailCutWithItsStoredCheckpointsAgainstTheCheckpointKeptOutsideTheDatabase()
    {
        var (tenant, auditor) = await TenantWithEntriesAsync();
        Assert.Equal(4, (await QueryAsync(auditor, Checkpoint))["auditCheckpoint"]!["treeSize"]!.GetValue<long>());
        Assert.True((await QueryAsync(auditor, Verify))["verifyAuditLog"]!["ok"]!.GetValue<bool>());

        // Someone with the database cuts the last entry and every stored checkpoint: what is left agrees with itself.
        await TamperAsync("delete from audit_entries where tenant_id = $1 and seq = 3", tenant);
        await TamperAsync("delete from audit_checkpoints where tenant_id = $1", tenant);
        Assert.Empty((await QueryAsync(auditor, "{ auditCheckpoints { treeSize } }"))["auditCheckpoints"]!.AsArray());

        var verified = (await QueryAsync(auditor, Verify))["verifyAuditLog"]!;
        Assert.False(verified["ok"]!.GetValue<bool>());
        var problem = Assert.Single(verified["problems"]!.AsArray())!;
        Assert.Equal(("MISSING_ENTRIES", 4L), (problem["kind"]!.GetValue<string>(), problem["treeSize"]!.GetValue<long>()));
        Assert.Contains("witnessed checkpoint", problem["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShouldKeepTenantsApartAndReadersOnly()
    {
        var (_, auditor) = await TenantWithEntriesAsync();
        var other = ApiFixture.NewTenantId("au");
        await Host.CreateTenantAsync(other);
        var otherAdmin = await Host.NewRoleTokenAsync(other, Roles.TenantAdmin);
        var manager = await Host.NewRoleTokenAsync(other, Roles.CsManager);

        // The other tenant's log holds its own seeding only.
        var otherEntries = (await QueryAsync(otherAdmin, Entries))["auditEntries"]!.AsArray();
        Assert.Equal(["metric_definition.seeded"], otherEntries.Select(e => e!["action"]!.GetValue<string>()));
        Assert.Equal(1, (await QueryAsync(otherAdmin, Checkpoint))["auditCheckpoint"]!["treeSize"]!.GetValue<long>());
        Assert.Equal("NOT_FOUND", (await Host.GraphQLAsync(otherAdmin, "{ auditInclusionProof(seq: 1, treeSize: 2) { leafHash } }")).FirstErrorCode);
        Assert.Equal(4, (await QueryAsync(auditor, Entries))["auditEntries"]!.AsArray().Count);
        Assert.Equal("ACCESS_DENIED", (await Host.GraphQLAsync(manager, Entries)).FirstErrorCode);
        Assert.Equal("INVALID_INPUT", (await Host.GraphQLAsync(auditor, Entries, new { first = 0 })).FirstErrorCode);
        Assert.Equal(4, (await QueryAsync(auditor, "{ auditEntries(first: 500) { seq action subject } }"))["auditEntries"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.OK, (await Host.NewClient().GetAsync("/.well-known/governance-audit-key")).StatusCode);
    }
}
