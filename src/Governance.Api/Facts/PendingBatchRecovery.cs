using Hangfire;

namespace Governance.Api.Facts;

/// <summary>
/// Applies acknowledged batches that never reached their grains (the process stopped in between):
/// once when the host has started, and every minute as a Hangfire job, so a quiet tenant's numbers
/// do not wait for its next ingest.
/// </summary>
public sealed class PendingBatchRecovery(FactIngestion ingestion)
{
    public const string JobId = "facts:apply-pending-batches";

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task RunAsync(CancellationToken cancellationToken) => ingestion.DeliverAllPendingAsync(cancellationToken);

    /// <summary>Runs once when the host has started; the minutely run is registered by <see cref="Jobs.RecurringJobs"/>.</summary>
    public static void RunAtStart(IServiceProvider services)
    {
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(async () =>
        {
            using var scope = services.CreateScope();
            var logger = scope.ServiceProvider.GetRequiredService<ILogger<PendingBatchRecovery>>();
            try
            {
                await scope.ServiceProvider.GetRequiredService<PendingBatchRecovery>().RunAsync(lifetime.ApplicationStopping);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Applying pending batches at start failed; the minutely job will retry");
            }
        }));
    }
}
