using System.Text.Json.Nodes;
using Governance.Cli.Import;

namespace Governance.Cli.Audit;

/// <summary>
/// Writes a tenant's audit log to files an auditor keeps: every entry as returned (with its canonical
/// bytes and leaf hash), every checkpoint (after asking for the latest, so it covers the whole log) and
/// the public key. See <see cref="AuditExportFiles"/>.
/// </summary>
public sealed class AuditExporter(GovernanceClient client)
{
    /// <summary>Entries per auditEntries call: 10 fields × 150 stays under the endpoint's query complexity limit (2,000), as 500 would not.</summary>
    public const int PageSize = 150;

    private const string EntryFields = "seq at actor action subject reason before after canonical leafHash";
    private const string CheckpointFields = "treeSize rootHash at keyId signature signedText";

    public sealed record Result(int Entries, int Checkpoints, long? LatestTreeSize, string KeyId);

    public async Task<Result> ExportAsync(string directory, CancellationToken cancellationToken)
    {
        // The latest checkpoint first: the service signs one over the whole log if it grew since the last.
        await client.QueryAsync("{ auditCheckpoint { treeSize } }", null, cancellationToken);

        var entries = new List<JsonObject>();
        long? after = null;
        while (true)
        {
            var data = await client.QueryAsync(
                $"query($first: Int!, $after: Long) {{ auditEntries(first: $first, after: $after) {{ {EntryFields} }} }}",
                new JsonObject { ["first"] = PageSize, ["after"] = after },
                cancellationToken);
            var page = data["auditEntries"] as JsonArray ?? throw new AccessException("auditEntries returned no list.");
            foreach (var node in page)
            {
                var entry = (JsonObject)node!.DeepClone();
                var canonical = entry["canonical"]?.GetValue<string>() ?? throw new AccessException("an entry came without canonical bytes.");
                var withTenant = new JsonObject { ["tenant"] = AuditExportFiles.TenantOfCanonical(canonical) };
                foreach (var (name, value) in entry)
                {
                    withTenant[name] = value?.DeepClone();
                }

                entries.Add(withTenant);
                after = entry["seq"]!.GetValue<long>();
            }

            if (page.Count < PageSize)
            {
                break;
            }
        }

        var checkpointData = await client.QueryAsync($"{{ auditCheckpoints {{ {CheckpointFields} }} }}", null, cancellationToken);
        var checkpoints = new JsonArray();
        foreach (var node in checkpointData["auditCheckpoints"] as JsonArray ?? [])
        {
            var checkpoint = new JsonObject { ["tenant"] = AuditExportFiles.TenantOfSignedText(node!["signedText"]!.GetValue<string>()) };
            foreach (var (name, value) in (JsonObject)node)
            {
                checkpoint[name] = value?.DeepClone();
            }

            checkpoints.Add(checkpoint);
        }

        var key = (await client.QueryAsync("{ auditPublicKey { keyId publicKeyPem } }", null, cancellationToken))["auditPublicKey"]!;

        Directory.CreateDirectory(directory);
        await File.WriteAllLinesAsync(Path.Combine(directory, AuditExportFiles.Entries), entries.Select(e => e.ToJsonString()), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, AuditExportFiles.Checkpoints), checkpoints.ToJsonString(new() { WriteIndented = true }) + "\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, AuditExportFiles.PublicKey), key["publicKeyPem"]!.GetValue<string>(), cancellationToken);
        var latest = checkpoints.Count == 0 ? (long?)null : checkpoints[^1]!["treeSize"]!.GetValue<long>();
        return new Result(entries.Count, checkpoints.Count, latest, key["keyId"]!.GetValue<string>());
    }
}
