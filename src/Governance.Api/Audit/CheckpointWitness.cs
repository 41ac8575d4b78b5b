using System.Globalization;
using System.Text.Json;
using Governance.Api.Hosting;
using Governance.Domain.Audit;
using Governance.Storage.Audit;

namespace Governance.Api.Audit;

/// <summary>
/// Keeps every signed checkpoint outside the database as well, one write-once file per tree size under
/// <c>{DataDirectory}/audit-witness/{tenant}/</c> (the data folder the silos of a cluster share). Someone
/// who can change the database can cut a log's tail together with its stored checkpoints, and the log
/// still verifies against itself; it no longer verifies against the checkpoint kept here. Every checkpoint
/// the service signs goes through <see cref="CheckpointAsync"/>, and verification reads the latest one kept.
/// </summary>
public sealed class CheckpointWitness(AuditLog log, GovernanceOptions options, ILogger<CheckpointWitness> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Signs a checkpoint when the log grew (<see cref="AuditLog.CheckpointAsync"/>) and keeps it here too.</summary>
    public async Task<AuditCheckpoint?> CheckpointAsync(string tenantId, CancellationToken cancellationToken)
    {
        var checkpoint = await log.CheckpointAsync(tenantId, cancellationToken);
        if (checkpoint is not null)
        {
            await KeepAsync(checkpoint, cancellationToken);
        }

        return checkpoint;
    }

    /// <summary>The kept checkpoint of the largest tree, or null when none was kept (or it cannot be read, which is logged).</summary>
    public async Task<AuditCheckpoint?> LatestAsync(string tenantId, CancellationToken cancellationToken)
    {
        var directory = new DirectoryInfo(Folder(tenantId));
        var latest = directory.Exists ? directory.EnumerateFiles("*.json").MaxBy(f => f.Name, StringComparer.Ordinal) : null;
        if (latest is null)
        {
            return null;
        }

        try
        {
            await using var stream = latest.OpenRead();
            return await JsonSerializer.DeserializeAsync<AuditCheckpoint>(stream, Json, cancellationToken);
        }
        catch (JsonException e)
        {
            logger.LogError(e, "The witnessed audit checkpoint {File} cannot be read", latest.FullName);
            return null;
        }
    }

    private async Task KeepAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var folder = Folder(checkpoint.TenantId);
        // Zero-padded so that the largest tree sorts last by name.
        var path = Path.Combine(folder, checkpoint.TreeSize.ToString("D15", CultureInfo.InvariantCulture) + ".json");
        if (File.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(folder);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(checkpoint, Json), cancellationToken);
        try
        {
            File.Move(temporary, path, overwrite: false); // write-once: a silo that got there first wins
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
    }

    private string Folder(string tenantId) => Path.Combine(options.DataDirectory, "audit-witness", tenantId);
}
