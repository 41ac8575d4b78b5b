using Governance.Api.Audit;
using Governance.Api.Facts;
using Governance.Api.Hosting;
using Hangfire;

namespace Governance.Api.Jobs;

/// <summary>
/// Every recurring Hangfire job of the host, registered (or updated) at start under a fixed id. The
/// registrations live in Hangfire's storage, shared by the cluster: every host writes the same ones, and
/// whichever host has workers runs them. A job removed from this list must be removed from storage too
/// (<see cref="IRecurringJobManager.RemoveIfExists"/>), or it keeps running.
/// </summary>
public static class RecurringJobs
{
    public static void Register(IServiceProvider services)
    {
        var jobs = services.GetRequiredService<IRecurringJobManager>();
        var options = services.GetRequiredService<GovernanceOptions>();
        jobs.AddOrUpdate<PendingBatchRecovery>(PendingBatchRecovery.JobId, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
        jobs.AddOrUpdate<AuditCheckpointJob>(AuditCheckpointJob.JobId, job => job.RunAsync(CancellationToken.None), options.Jobs.AuditCheckpointSchedule);
    }
}
