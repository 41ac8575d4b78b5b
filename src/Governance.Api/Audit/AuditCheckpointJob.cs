using Governance.Storage.Audit;
using Hangfire;

namespace Governance.Api.Audit;

/// <summary>
/// The recurring job <c>audit-checkpoints</c> (schedule <c>Jobs:AuditCheckpointSchedule</c>): signs a
/// checkpoint over the whole log of every tenant whose log grew since its latest one, so the service
/// publishes checkpoints without anyone asking. A tenant whose log does not verify (or fails otherwise)
/// is logged and skipped, so it cannot hold back the others' checkpoints; the run then fails, so
/// Hangfire retries it and shows it failed.
/// </summary>
public sealed class AuditCheckpointJob(AuditLog log, CheckpointWitness witness, ILogger<AuditCheckpointJob> logger)
{
    public const string JobId = "audit-checkpoints";

    // One run at a time: a second would find the same tenants and wait on their locks for nothing.
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failed = new List<string>();
        var tenants = await log.TenantsToCheckpointAsync(cancellationToken);
        foreach (var tenantId in tenants)
        {
            try
            {
                var checkpoint = await witness.CheckpointAsync(tenantId, cancellationToken);
                logger.LogInformation("Signed audit checkpoint of tenant {TenantId} at tree size {TreeSize}", tenantId, checkpoint?.TreeSize);
            }
            catch (AuditLogCorruptException e)
            {
                failed.Add(tenantId);
                // The exception's message lists every problem with its seq or tree size.
                logger.LogError(e, "The audit log of tenant {TenantId} does not verify; no checkpoint signed", tenantId);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed.Add(tenantId);
                logger.LogError(e, "Signing the audit checkpoint of tenant {TenantId} failed", tenantId);
            }
        }

        if (failed.Count > 0)
        {
            throw new AuditCheckpointsFailedException(failed, tenants.Count);
        }
    }
}

/// <summary>A run of <see cref="AuditCheckpointJob"/> left tenants without a checkpoint; each was logged with its cause.</summary>
public sealed class AuditCheckpointsFailedException(IReadOnlyList<string> tenantIds, int tenantCount)
    : Exception($"No audit checkpoint was signed for {tenantIds.Count} of {tenantCount} tenants: {string.Join(", ", tenantIds)}.")
{
    public IReadOnlyList<string> TenantIds { get; } = tenantIds;
}
