using Hangfire;

namespace Governance.Api.Jobs;

/// <summary>
/// What Hangfire calls for every per-tenant job: finds the <see cref="ITenantJob"/> by name in a scope of
/// its own and runs it. A failure is retried (three times, with Hangfire's backoff) and then stays in the
/// dashboard's Failed list and the log: never dropped silently.
/// </summary>
public sealed class TenantJobRunner(IServiceScopeFactory scopes, ILogger<TenantJobRunner> logger)
{
    [AutomaticRetry(Attempts = 3, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [JobDisplayName("{0} for tenant {1}")]
    public async Task RunAsync(string job, string tenantId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var tenantJob = scope.ServiceProvider.GetServices<ITenantJob>().SingleOrDefault(j => j.Name == job)
            ?? throw new InvalidOperationException($"No tenant job is named '{job}'.");
        try
        {
            await tenantJob.RunAsync(tenantId, cancellationToken);
            logger.LogInformation("Job {Job} ran for tenant {TenantId}", job, tenantId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Job {Job} failed for tenant {TenantId}; Hangfire retries it, then lists it as failed", job, tenantId);
            throw;
        }
    }
}
