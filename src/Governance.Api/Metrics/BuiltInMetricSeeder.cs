using Governance.Storage.Metrics;

namespace Governance.Api.Metrics;

/// <summary>
/// At host start, gives every existing tenant the built-in metrics it lacks (tenants created before
/// a built-in was added). New tenants get them when they are created (<see cref="Tenants.TenantProvisioning"/>).
/// Idempotent, so hosts starting together may both run it.
/// </summary>
public sealed class BuiltInMetricSeeder(MetricDefinitionStore store, ILogger<BuiltInMetricSeeder> logger)
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var builtIns = BuiltInCatalog.Drafts;
        var tenants = await store.TenantsMissingAnyAsync(builtIns.Select(d => d.Key).ToList(), cancellationToken);
        foreach (var tenantId in tenants)
        {
            var added = await store.SeedBuiltInsAsync(tenantId, builtIns, cancellationToken);
            logger.LogInformation("Added {Count} built-in metric definitions to tenant {TenantId}", added, tenantId);
        }
    }
}
