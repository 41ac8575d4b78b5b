using Governance.Abstractions;
using Governance.Abstractions.Accounts;
using Governance.Abstractions.Facts;
using Governance.Domain.Facts;
using Governance.Storage.Facts;

namespace Governance.Api.Facts;

public sealed record IngestOutcome(IReadOnlyList<FactError> Errors, Guid? BatchId, int Accepted, int Duplicates, int Late)
{
    public bool Rejected => Errors.Count > 0;
}

/// <summary>
/// The ingest path (docs/adr/0004): validate the whole batch, append it in one transaction under the
/// tenant's lock (the acknowledgement), then deliver the stored facts to their account grains. A batch
/// whose delivery did not finish stays pending and is delivered first by the tenant's next ingest, by
/// the host's start, or by the minutely recovery job; grains skip what they already hold.
/// </summary>
public sealed class FactIngestion(FactStore store, IGrainFactory grains, TimeProvider time, ILogger<FactIngestion> logger)
{
    /// <summary>The largest batch one call takes.</summary>
    public const int MaxBatchSize = 10_000;

    public async Task<IngestOutcome> IngestAsync(string tenantId, string recordedBy, IReadOnlyList<FactDraft> drafts, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var errors = drafts.SelectMany((draft, index) => FactValidation.Validate(draft, index, now)).Take(FactStore.MaxErrors).ToList();
        if (errors.Count > 0)
        {
            return new IngestOutcome(errors, null, 0, 0, 0);
        }

        var rows = drafts.Select((draft, index) => FactRow.From(index, draft)).ToList();
        var validated = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var session = await store.OpenSessionAsync(tenantId, cancellationToken);
        var locked = System.Diagnostics.Stopwatch.GetTimestamp();
        await DeliverPendingAsync(session, tenantId, cancellationToken);
        var appended = await session.AppendAsync(rows, recordedBy, cancellationToken);
        var stored = System.Diagnostics.Stopwatch.GetTimestamp();
        if (appended.Rejected)
        {
            return new IngestOutcome(appended.Errors, null, 0, 0, 0);
        }

        try
        {
            await DeliverAsync(tenantId, appended.Stored);
            await session.MarkAppliedAsync(appended.BatchId, cancellationToken);
            logger.LogInformation(
                "Batch {BatchId}: {Accepted} stored, {Duplicates} duplicates; validate {ValidateMs:F0} ms, wait for lock {LockMs:F0} ms, append {AppendMs:F0} ms, deliver {DeliverMs:F0} ms",
                appended.BatchId, appended.Stored.Count, appended.Duplicates,
                Elapsed(started, validated), Elapsed(validated, locked), Elapsed(locked, stored), Elapsed(stored, System.Diagnostics.Stopwatch.GetTimestamp()));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Stored is stored: the caller's facts are safe and will reach the grains on the next pass.
            logger.LogError(e, "Batch {BatchId} is stored but not yet applied; it will be applied on the next pass", appended.BatchId);
        }

        return new IngestOutcome([], appended.BatchId, appended.Stored.Count, appended.Duplicates, appended.Stored.Count(f => f.Late));
    }

    private static double Elapsed(long from, long to) => System.Diagnostics.Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    /// <summary>Delivers every stored-but-unapplied batch of every tenant (host start, recovery job).</summary>
    public async Task DeliverAllPendingAsync(CancellationToken cancellationToken)
    {
        foreach (var tenantId in await store.TenantsWithPendingBatchesAsync(cancellationToken))
        {
            await using var session = await store.OpenSessionAsync(tenantId, cancellationToken);
            await DeliverPendingAsync(session, tenantId, cancellationToken);
        }
    }

    private async Task DeliverPendingAsync(IngestSession session, string tenantId, CancellationToken cancellationToken)
    {
        foreach (var batchId in await session.PendingBatchesAsync(cancellationToken))
        {
            var facts = await session.ReadBatchAsync(batchId, cancellationToken);
            logger.LogInformation("Applying pending batch {BatchId} ({Count} facts) of tenant {TenantId}", batchId, facts.Count, tenantId);
            await DeliverAsync(tenantId, facts);
            await session.MarkAppliedAsync(batchId, cancellationToken);
        }
    }

    /// <summary>Accounts delivered to at once: enough to keep the silos busy, few enough that cold activations do not empty the connection pools.</summary>
    public const int DeliveryParallelism = 256;

    private Task DeliverAsync(string tenantId, IReadOnlyList<FactMessage> facts) =>
        Parallel.ForEachAsync(
            facts.GroupBy(f => f.AccountId, StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = DeliveryParallelism },
            async (account, _) => await grains.GetGrain<IAccountGrain>(GrainKeys.Account(tenantId, account.Key)).ApplyAsync(account.ToList()));
}
