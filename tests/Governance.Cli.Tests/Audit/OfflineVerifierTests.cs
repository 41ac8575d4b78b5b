using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Governance.Cli.Audit;
using Governance.Domain.Audit;

namespace Governance.Cli.Tests.Audit;

/// <summary>Exports built from the Domain types, then tampered with as files: every change is reported, naming the seq or tree size.</summary>
public sealed class OfflineVerifierTests : IDisposable
{
    private const string Tenant = "acme";
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 30, 0, TimeSpan.Zero);

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("governance-audit-verify-");
    private readonly CheckpointSigner _signer = new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public void Dispose()
    {
        _signer.Dispose();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public void ShouldAcceptAnUntouchedExport()
    {
        Export(10, 3, 7, 10);

        var report = OfflineVerifier.Verify(_dir.FullName);

        Assert.Empty(report.Problems);
        Assert.True(report.Ok);
        Assert.Equal(10, report.Entries);
        Assert.Equal(3, report.Checkpoints);
        Assert.Equal(10, report.LatestTreeSize);
        Assert.Equal(0, report.UnsignedEntries);
    }

    [Fact]
    public void ShouldAcceptAnEmptyExport()
    {
        Export(0);

        var report = OfflineVerifier.Verify(_dir.FullName);

        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Equal(0, report.Entries);
    }

    [Fact]
    public void ShouldCountEntriesAfterTheLastCheckpointAsUnsignedWithoutFailing()
    {
        Export(6, 4);

        var report = OfflineVerifier.Verify(_dir.FullName);

        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Equal(2, report.UnsignedEntries);
    }

    [Fact]
    public void ShouldNameTheSeqOfAnEditedField()
    {
        Export(8, 4, 8);
        var lines = EntryLines();
        lines[5]["reason"] = "nothing to see";
        WriteEntries(lines);

        var report = OfflineVerifier.Verify(_dir.FullName);

        Assert.Contains(report.Problems, p => p is { Kind: "ENTRY_CHANGED", Seq: 5 });
        Assert.Contains(report.Problems, p => p is { Kind: "ROOT_MISMATCH", TreeSize: 8 });
        Assert.DoesNotContain(report.Problems, p => p.TreeSize == 4);
    }

    [Fact]
    public void ShouldCatchAnEditWhoseLeafHashAndCanonicalBytesWereRecomputedToo()
    {
        Export(8, 4, 8);
        var lines = EntryLines();
        var forged = AuditExportFiles.ReadEntry(lines[2]) with { After = """{"status":"Approved"}""" };
        lines[2] = AuditExportFiles.EntryJson(forged);
        WriteEntries(lines);

        var report = OfflineVerifier.Verify(_dir.FullName);

        Assert.False(report.Ok);
        Assert.Contains(report.Problems, p => p is { Kind: "ROOT_MISMATCH", TreeSize: 4 });
        Assert.Contains(report.Problems, p => p is { Kind: "ROOT_MISMATCH", TreeSize: 8 });
    }

    [Fact]
    public void ShouldNameTheSeqOfADeletedLine()
    {
        Export(8, 8);
        var lines = EntryLines();
        lines.RemoveAt(3);
        WriteEntries(lines);

        var report = OfflineVerifier.Verify(_dir.FullName);

        Assert.Contains(report.Problems, p => p is { Kind: "GAP", Seq: 4 } && p.Message.Contains("seq 3 was expected", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p is { Kind: "MISSING_ENTRIES", TreeSize: 8 });
    }

    [Fact]
    public void ShouldNameTheSeqsOfTwoSwappedLines()
    {
        Export(8, 8);
        var lines = EntryLines();
        (lines[2], lines[6]) = (lines[6], lines[2]);
        WriteEntries(lines);

        var report = OfflineVerifier.Verify(_dir.FullName);

        Assert.Contains(report.Problems, p => p is { Kind: "GAP", Seq: 6 });
        Assert.Contains(report.Problems, p => p is { Kind: "GAP", Seq: 2 });
        Assert.Contains(report.Problems, p => p is { Kind: "ROOT_MISMATCH", TreeSize: 8 });
    }

    [Fact]
    public void ShouldCatchTwoEntriesSwappingContentButKeepingTheirSeq()
    {
        Export(8, 8);
        var lines = EntryLines();
        var a = AuditExportFiles.ReadEntry(lines[1]);
        var b = AuditExportFiles.ReadEntry(lines[2]);
        lines[1] = AuditExportFiles.EntryJson(b with { Seq = 1 });
        lines[2] = AuditExportFiles.EntryJson(a with { Seq = 2 });
        WriteEntries(lines);

        var report = OfflineVerifier.Verify(_dir.FullName);

        Assert.Contains(report.Problems, p => p is { Kind: "ROOT_MISMATCH", TreeSize: 8 });
    }

    [Fact]
    public void ShouldNameTheCheckpointWhoseEntriesWereCutFromTheTail()
    {
        Export(10, 5, 10);
        WriteEntries(EntryLines().Take(7).ToList());

        var report = OfflineVerifier.Verify(_dir.FullName);

        var problem = Assert.Single(report.Problems);
        Assert.Equal("MISSING_ENTRIES", problem.Kind);
        Assert.Equal(10, problem.TreeSize);
    }

    [Fact]
    public void ShouldNameACheckpointWithAForgedSignature()
    {
        Export(6, 3, 6);
        var checkpoints = CheckpointItems();
        var signature = Convert.FromBase64String(checkpoints[0]["signature"]!.GetValue<string>());
        signature[10] ^= 0x01;
        checkpoints[0]["signature"] = Convert.ToBase64String(signature);
        WriteCheckpoints(checkpoints);

        var report = OfflineVerifier.Verify(_dir.FullName);

        var problem = Assert.Single(report.Problems);
        Assert.Equal("BAD_SIGNATURE", problem.Kind);
        Assert.Equal(3, problem.TreeSize);
    }

    [Fact]
    public void ShouldNameACheckpointWithAForgedRoot()
    {
        Export(6, 3, 6);
        var checkpoints = CheckpointItems();
        checkpoints[1]["rootHash"] = Convert.ToHexStringLower(SHA256.HashData("forged"u8));
        WriteCheckpoints(checkpoints);

        var report = OfflineVerifier.Verify(_dir.FullName);

        Assert.Contains(report.Problems, p => p is { Kind: "BAD_SIGNATURE", TreeSize: 6 });
        Assert.Contains(report.Problems, p => p is { Kind: "ROOT_MISMATCH", TreeSize: 6 });
        Assert.Contains(report.Problems, p => p is { Kind: "INCONSISTENT_CHECKPOINTS", TreeSize: 6 });
    }

    [Fact]
    public void ShouldNameACheckpointSignedWithAnotherKeyEvenWithAMatchingRoot()
    {
        var entries = Export(6, 6);
        using var other = new CheckpointSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var forged = other.Sign(Tenant, 6, MerkleLog.RootHash(entries.Select(e => e.LeafHash()).ToList()), Start.AddHours(1));
        WriteCheckpoints([AuditExportFiles.CheckpointJson(forged)]);

        var report = OfflineVerifier.Verify(_dir.FullName);

        var problem = Assert.Single(report.Problems);
        Assert.Equal("UNKNOWN_KEY", problem.Kind);
        Assert.Equal(6, problem.TreeSize);
    }

    [Fact]
    public void ShouldNameACheckpointInconsistentWithTheEarlierOne()
    {
        // A rewritten history, signed with the right key: the later checkpoint matches the (rewritten)
        // entries, but the earlier one, kept in the export, does not extend into it.
        var entries = Export(6, 3, 6);
        var rewritten = entries.Select(e => e.Seq == 1 ? e with { Actor = "mallory" } : e).ToList();
        WriteEntries(rewritten.Select(AuditExportFiles.EntryJson).ToList());
        var checkpoints = CheckpointItems();
        checkpoints[1] = AuditExportFiles.CheckpointJson(_signer.Sign(Tenant, 6, MerkleLog.RootHash(rewritten.Select(e => e.LeafHash()).ToList()), Start.AddHours(2)));
        WriteCheckpoints(checkpoints);

        var report = OfflineVerifier.Verify(_dir.FullName);

        Assert.Contains(report.Problems, p => p is { Kind: "ROOT_MISMATCH", TreeSize: 3 });
        Assert.Contains(report.Problems, p => p is { Kind: "INCONSISTENT_CHECKPOINTS", TreeSize: 6 });
        Assert.DoesNotContain(report.Problems, p => p is { Kind: "ROOT_MISMATCH", TreeSize: 6 });
    }

    [Fact]
    public void ShouldReportALineThatIsNotAnEntry()
    {
        Export(3, 3);
        File.AppendAllText(Path.Combine(_dir.FullName, AuditExportFiles.Entries), "{\"seq\": \"three\"}\n");

        var report = OfflineVerifier.Verify(_dir.FullName);

        Assert.Contains(report.Problems, p => p.Kind == "BAD_INPUT" && p.Message.Contains("line 4", StringComparison.Ordinal));
    }

    [Fact]
    public void ShouldReportMissingFiles()
    {
        var report = OfflineVerifier.Verify(_dir.FullName);

        Assert.Equal(3, report.Problems.Count(p => p.Kind == "BAD_INPUT"));
    }

    /// <summary>Writes an export of <paramref name="count"/> entries with a checkpoint at each of <paramref name="checkpointSizes"/>.</summary>
    private List<AuditEntry> Export(int count, params long[] checkpointSizes)
    {
        var entries = Enumerable.Range(0, count).Select(i => new AuditEntry(
            Tenant, i, Start.AddMinutes(i).AddTicks(i * 10), i % 2 == 0 ? "alice" : "job:close-period",
            i % 3 == 0 ? "metric_definition.proposed" : "period.closed", $"metric_definition:nrr:v{i}",
            i % 2 == 0 ? null : $"reason \"{i}\"\n", i == 0 ? null : """{"status": "Draft", "n": 1.50}""", $$"""{"status":"Approved","i":{{i}}}""")).ToList();
        var leaves = entries.Select(e => e.LeafHash()).ToList();
        WriteEntries(entries.Select(AuditExportFiles.EntryJson).ToList());
        WriteCheckpoints(checkpointSizes.Select(size => AuditExportFiles.CheckpointJson(_signer.Sign(Tenant, size, MerkleLog.RootHash(leaves, size), Start.AddHours(size)))).ToList());
        File.WriteAllText(Path.Combine(_dir.FullName, AuditExportFiles.PublicKey), _signer.PublicKeyPem);
        return entries;
    }

    private List<JsonObject> EntryLines() =>
        File.ReadAllLines(Path.Combine(_dir.FullName, AuditExportFiles.Entries)).Select(line => (JsonObject)JsonNode.Parse(line)!).ToList();

    private void WriteEntries(List<JsonObject> lines) =>
        File.WriteAllLines(Path.Combine(_dir.FullName, AuditExportFiles.Entries), lines.Select(l => l.ToJsonString()));

    private List<JsonObject> CheckpointItems() =>
        ((JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(_dir.FullName, AuditExportFiles.Checkpoints)))!).Select(n => (JsonObject)n!.DeepClone()).ToList();

    private void WriteCheckpoints(List<JsonObject> checkpoints) =>
        File.WriteAllText(Path.Combine(_dir.FullName, AuditExportFiles.Checkpoints), new JsonArray([.. checkpoints]).ToJsonString());
}
