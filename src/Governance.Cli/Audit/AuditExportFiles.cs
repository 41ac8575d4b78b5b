using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Governance.Domain.Audit;

namespace Governance.Cli.Audit;

/// <summary>
/// The files of an audit export: <c>entries.jsonl</c> (one entry per line, oldest first, the fields
/// <c>auditEntries</c> returns plus <c>tenant</c>), <c>checkpoints.json</c> (an array of the fields
/// <c>auditCheckpoints</c> returns plus <c>tenant</c>) and <c>public-key.pem</c>.
/// </summary>
public static class AuditExportFiles
{
    public const string Entries = "entries.jsonl";
    public const string Checkpoints = "checkpoints.json";
    public const string PublicKey = "public-key.pem";

    /// <summary>The line of <paramref name="entry"/> as an export writes it, with its canonical bytes and leaf hash.</summary>
    public static JsonObject EntryJson(AuditEntry entry) => new()
    {
        ["tenant"] = entry.TenantId,
        ["seq"] = entry.Seq,
        ["at"] = entry.At.ToString("o", CultureInfo.InvariantCulture),
        ["actor"] = entry.Actor,
        ["action"] = entry.Action,
        ["subject"] = entry.Subject,
        ["reason"] = entry.Reason,
        ["before"] = entry.Before,
        ["after"] = entry.After,
        ["canonical"] = Encoding.UTF8.GetString(entry.CanonicalBytes()),
        ["leafHash"] = Convert.ToHexStringLower(entry.LeafHash()),
    };

    public static JsonObject CheckpointJson(AuditCheckpoint checkpoint) => new()
    {
        ["tenant"] = checkpoint.TenantId,
        ["treeSize"] = checkpoint.TreeSize,
        ["rootHash"] = Convert.ToHexStringLower(checkpoint.RootHash),
        ["at"] = checkpoint.At.ToString("o", CultureInfo.InvariantCulture),
        ["keyId"] = checkpoint.KeyId,
        ["signature"] = Convert.ToBase64String(checkpoint.Signature),
        ["signedText"] = Encoding.UTF8.GetString(checkpoint.SignedBytes()),
    };

    /// <summary>Reads an entry line; throws <see cref="FormatException"/> when a field is missing or malformed.</summary>
    public static AuditEntry ReadEntry(JsonObject json) => new(
        Required(json, "tenant"),
        RequiredLong(json, "seq"),
        Time(Required(json, "at")),
        Required(json, "actor"),
        Required(json, "action"),
        Required(json, "subject"),
        Optional(json, "reason"),
        Optional(json, "before"),
        Optional(json, "after"));

    public static AuditCheckpoint ReadCheckpoint(JsonObject json) => new(
        Required(json, "tenant"),
        RequiredLong(json, "treeSize"),
        Convert.FromHexString(Required(json, "rootHash")),
        Time(Required(json, "at")),
        Required(json, "keyId"),
        Convert.FromBase64String(Required(json, "signature")));

    /// <summary>The tenant named by canonical bytes (its first member), or by a signed checkpoint text (its second line).</summary>
    public static string TenantOfCanonical(string canonical) =>
        JsonNode.Parse(canonical)?["tenant"]?.GetValue<string>() ?? throw new FormatException("The canonical bytes name no tenant.");

    public static string TenantOfSignedText(string signedText) =>
        signedText.Split('\n') is { Length: > 2 } lines ? lines[1] : throw new FormatException("The signed text names no tenant.");

    public static string? Optional(JsonObject json, string name) => json[name]?.GetValue<string>();

    private static string Required(JsonObject json, string name) =>
        Optional(json, name) ?? throw new FormatException($"'{name}' is missing.");

    private static long RequiredLong(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<long>(out var number) ? number : throw new FormatException($"'{name}' is missing or not an integer.");

    private static DateTimeOffset Time(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at : throw new FormatException($"'{text}' is not a time.");
}
