using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Domain.Audit;

namespace Governance.Cli.Audit;

/// <summary>A problem the offline verifier found; <see cref="Seq"/> or <see cref="TreeSize"/> names the entry or checkpoint.</summary>
public sealed record VerifyProblem(string Kind, string Message, long? Seq = null, long? TreeSize = null)
{
    public override string ToString() =>
        Kind + (Seq is { } seq ? $" seq {seq}" : "") + (TreeSize is { } size ? $" tree size {size}" : "") + ": " + Message;
}

public sealed record VerifyReport(int Entries, int Checkpoints, long? LatestTreeSize, int UnsignedEntries, IReadOnlyList<VerifyProblem> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// Checks an export from its files alone, trusting nothing the service computed: every leaf is
/// recomputed from the entry's fields (<see cref="AuditEntry.CanonicalBytes"/>), seq must run 0 … n−1
/// in file order, every checkpoint's signature is checked with the exported key, its root against the
/// Merkle root of its first tree-size leaves, and each checkpoint against the next with a consistency
/// proof built from the leaves.
/// </summary>
public static class OfflineVerifier
{
    public static VerifyReport Verify(string directory, string? publicKeyPem = null)
    {
        var problems = new List<VerifyProblem>();
        var entries = ReadEntries(Path.Combine(directory, AuditExportFiles.Entries), problems);
        var checkpoints = ReadCheckpoints(Path.Combine(directory, AuditExportFiles.Checkpoints), problems);
        publicKeyPem ??= ReadKey(Path.Combine(directory, AuditExportFiles.PublicKey), problems);
        return Verify(entries, checkpoints, publicKeyPem, problems);
    }

    private static VerifyReport Verify(IReadOnlyList<Line> entries, IReadOnlyList<AuditCheckpoint> checkpoints, string? publicKeyPem, List<VerifyProblem> problems)
    {
        // Entries: seq contiguous from 0 in file order; leaves recomputed; the exported hash, if any, must agree.
        var leaves = new List<byte[]>(entries.Count);
        var tenants = new HashSet<string>(StringComparer.Ordinal);
        long expected = 0;
        foreach (var line in entries)
        {
            var entry = line.Entry;
            if (entry.Seq != expected)
            {
                problems.Add(new VerifyProblem("GAP", $"line {line.Number} has seq {entry.Seq} where seq {expected} was expected.", entry.Seq));
            }

            expected = entry.Seq + 1;
            tenants.Add(entry.TenantId);
            var leaf = entry.LeafHash();
            leaves.Add(leaf);
            if (line.LeafHash is { } exported && !string.Equals(exported, Convert.ToHexStringLower(leaf), StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(new VerifyProblem("ENTRY_CHANGED", $"line {line.Number}: the fields hash to {Convert.ToHexStringLower(leaf)}, not to the exported leaf hash {exported}.", entry.Seq));
            }
            else if (line.Canonical is { } canonical && canonical != System.Text.Encoding.UTF8.GetString(entry.CanonicalBytes()))
            {
                problems.Add(new VerifyProblem("ENTRY_CHANGED", $"line {line.Number}: the fields do not give the exported canonical bytes.", entry.Seq));
            }
        }

        foreach (var checkpoint in checkpoints)
        {
            tenants.Add(checkpoint.TenantId);
        }

        if (tenants.Count > 1)
        {
            problems.Add(new VerifyProblem("TENANT_MISMATCH", $"the export mixes tenants: {string.Join(", ", tenants.Order(StringComparer.Ordinal))}."));
        }

        // Checkpoints: key, signature, root; then each with the next.
        string? keyId = null;
        if (publicKeyPem is not null)
        {
            try
            {
                using var key = ECDsa.Create();
                key.ImportFromPem(publicKeyPem);
                keyId = CheckpointSigner.KeyIdOf(key);
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                problems.Add(new VerifyProblem("BAD_INPUT", $"the public key is not a PEM ECDSA key: {e.Message}"));
                publicKeyPem = null;
            }
        }

        AuditCheckpoint? previous = null;
        foreach (var checkpoint in checkpoints)
        {
            var size = checkpoint.TreeSize;
            if (publicKeyPem is not null)
            {
                if (checkpoint.KeyId != keyId)
                {
                    problems.Add(new VerifyProblem("UNKNOWN_KEY", $"signed by key {checkpoint.KeyId}, not by the exported key {keyId}.", TreeSize: size));
                }
                else if (!CheckpointSigner.Verify(publicKeyPem, checkpoint))
                {
                    problems.Add(new VerifyProblem("BAD_SIGNATURE", "the signature does not verify over the checkpoint's tenant, tree size, root and time.", TreeSize: size));
                }
            }

            if (size < 0 || size > leaves.Count)
            {
                problems.Add(new VerifyProblem("MISSING_ENTRIES", $"the checkpoint covers {size} entries; the export has {leaves.Count}.", TreeSize: size));
            }
            else if (!CryptographicOperations.FixedTimeEquals(MerkleLog.RootHash(leaves, size), checkpoint.RootHash))
            {
                problems.Add(new VerifyProblem("ROOT_MISMATCH", $"the first {size} entries hash to {Convert.ToHexStringLower(MerkleLog.RootHash(leaves, size))}, not to the signed root {Convert.ToHexStringLower(checkpoint.RootHash)}.", TreeSize: size));
            }

            if (previous is not null)
            {
                CheckConsistency(previous, checkpoint, leaves, problems);
            }

            previous = checkpoint;
        }

        var latest = checkpoints.Count == 0 ? (long?)null : checkpoints[^1].TreeSize;
        var unsigned = (int)Math.Max(0, leaves.Count - (latest ?? 0));
        return new VerifyReport(entries.Count, checkpoints.Count, latest, unsigned, problems);
    }

    private static void CheckConsistency(AuditCheckpoint older, AuditCheckpoint newer, List<byte[]> leaves, List<VerifyProblem> problems)
    {
        if (newer.TreeSize < older.TreeSize)
        {
            problems.Add(new VerifyProblem("INCONSISTENT_CHECKPOINTS", $"tree size {newer.TreeSize} follows the larger {older.TreeSize}: checkpoints must grow.", TreeSize: newer.TreeSize));
            return;
        }

        if (older.TreeSize == 0 || newer.TreeSize > leaves.Count)
        {
            return; // an empty tree is a prefix of any; a tree beyond the entries is reported as MISSING_ENTRIES
        }

        var proof = MerkleLog.ConsistencyProof(leaves, older.TreeSize, newer.TreeSize);
        if (!MerkleLog.VerifyConsistency(older.TreeSize, newer.TreeSize, older.RootHash, newer.RootHash, proof))
        {
            problems.Add(new VerifyProblem("INCONSISTENT_CHECKPOINTS", $"the entries give no consistency proof from tree size {older.TreeSize} to {newer.TreeSize} between the signed roots.", TreeSize: newer.TreeSize));
        }
    }

    private sealed record Line(int Number, AuditEntry Entry, string? LeafHash, string? Canonical);

    private static List<Line> ReadEntries(string path, List<VerifyProblem> problems)
    {
        var lines = new List<Line>();
        if (!File.Exists(path))
        {
            problems.Add(new VerifyProblem("BAD_INPUT", $"{path} does not exist."));
            return lines;
        }

        var number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                var json = JsonNode.Parse(text) as JsonObject ?? throw new FormatException("not a JSON object");
                lines.Add(new Line(number, AuditExportFiles.ReadEntry(json), AuditExportFiles.Optional(json, "leafHash"), AuditExportFiles.Optional(json, "canonical")));
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                problems.Add(new VerifyProblem("BAD_INPUT", $"{AuditExportFiles.Entries} line {number} is not an entry: {e.Message}"));
            }
        }

        return lines;
    }

    private static List<AuditCheckpoint> ReadCheckpoints(string path, List<VerifyProblem> problems)
    {
        var checkpoints = new List<AuditCheckpoint>();
        if (!File.Exists(path))
        {
            problems.Add(new VerifyProblem("BAD_INPUT", $"{path} does not exist."));
            return checkpoints;
        }

        try
        {
            var array = JsonNode.Parse(File.ReadAllText(path)) as JsonArray ?? throw new FormatException("not a JSON array");
            var index = 0;
            foreach (var item in array)
            {
                try
                {
                    checkpoints.Add(AuditExportFiles.ReadCheckpoint(item as JsonObject ?? throw new FormatException("not a JSON object")));
                }
                catch (Exception e) when (e is FormatException or InvalidOperationException)
                {
                    problems.Add(new VerifyProblem("BAD_INPUT", $"{AuditExportFiles.Checkpoints} item {index} is not a checkpoint: {e.Message}"));
                }

                index++;
            }
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            problems.Add(new VerifyProblem("BAD_INPUT", $"{AuditExportFiles.Checkpoints} is not a JSON array of checkpoints: {e.Message}"));
        }

        return checkpoints;
    }

    private static string? ReadKey(string path, List<VerifyProblem> problems)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path);
        }

        problems.Add(new VerifyProblem("BAD_INPUT", $"{path} does not exist: signatures cannot be checked."));
        return null;
    }
}
