using System.Text.Json;

namespace Governance.Cli.Import;

/// <summary>
/// How far an import of one file got: written beside the file (<c>&lt;file&gt;.import-progress</c>) after
/// every batch the server acknowledged, removed when the import completes. It holds for the file as it
/// was (length and last write time) and for the server and client it was sent to; for anything else it
/// is ignored. It only saves time: the server is idempotent on (source, externalId), so sending
/// acknowledged lines again would count them as duplicates, not twice.
/// </summary>
public sealed record ImportCheckpoint
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Length of the file in bytes when it was imported.</summary>
    public required long Length { get; init; }

    /// <summary>Last write time of the file (UTC) when it was imported.</summary>
    public required DateTime LastWriteTimeUtc { get; init; }

    /// <summary>Every fact that ends on or before this file line (1-based; a CSV header counts) was acknowledged.</summary>
    public required long LinesAcknowledged { get; init; }

    /// <summary>How many facts those lines hold.</summary>
    public required long FactsAcknowledged { get; init; }

    /// <summary>The host the facts went to.</summary>
    public required string Url { get; init; }

    /// <summary>The client (and so the tenant) that sent them.</summary>
    public required string ClientId { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public static string PathFor(string file) => file + ".import-progress";

    /// <summary>The checkpoint beside <paramref name="file"/>, or null if there is none or it cannot be read.</summary>
    public static ImportCheckpoint? Load(string file)
    {
        var path = PathFor(file);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ImportCheckpoint>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>True when this checkpoint was written for the same file, host and client.</summary>
    public bool Matches(FileInfo file, string url, string clientId) =>
        file.Length == Length
        && file.LastWriteTimeUtc == LastWriteTimeUtc
        && string.Equals(Url.TrimEnd('/'), url.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
        && string.Equals(ClientId, clientId, StringComparison.Ordinal);

    /// <summary>Writes the checkpoint whole or not at all (a new file moved over the old one).</summary>
    public void Save(string file)
    {
        var path = PathFor(file);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }

    public static void Delete(string file) => File.Delete(PathFor(file));
}
