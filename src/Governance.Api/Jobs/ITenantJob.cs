namespace Governance.Api.Jobs;

/// <summary>
/// A job that runs per tenant on a schedule (anomalies, reconciliation, freshness, clawback checks…).
/// Each tenant gets its own recurring Hangfire job <c>{Name}:{tenantId}</c>, visible on the dashboard.
/// A run must be idempotent and safe to run twice at once (on two silos): what it raises is keyed so a
/// second run finds it there. It sets its tenant itself: every store call takes the tenant id.
/// </summary>
public interface ITenantJob
{
    /// <summary>Stable, lower-case, used in job ids and as the actor of what the job writes (<c>job:{Name}</c>).</summary>
    string Name { get; }

    /// <summary>Cron (UTC) when <c>Jobs:Schedules:{Name}</c> does not say otherwise.</summary>
    string DefaultSchedule { get; }

    Task RunAsync(string tenantId, CancellationToken cancellationToken);
}
