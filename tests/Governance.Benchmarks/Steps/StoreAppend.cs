using System.Diagnostics;
using Governance.Benchmarks.Infrastructure;
using Governance.Benchmarks.Synthetic;
using Governance.Storage.Facts;
using Npgsql;

namespace Governance.Benchmarks.Steps;

/// <summary>The product's append alone, without GraphQL and without grains.</summary>
public sealed record StoreAppendResult(long Facts, TimeSpan AppendTime, TimeSpan WallTime)
{
    public double FactsPerSecond => Facts / AppendTime.TotalSeconds;
}

/// <summary>
/// Between COPY and GraphQL: the same batches through <see cref="FactStore"/> exactly as
/// FactIngestion uses it (take the tenant's lock, COPY into staging, check, insert…select, mark the
/// batch applied, release), timed from taking the lock to releasing it. Preparing the rows
/// (<see cref="FactRow.From"/>: payload JSON and hash), which the host does before the lock, is not
/// timed. The difference to COPY is the cost of the checks and of insert…select; the difference to
/// GraphQL is the GraphQL layer plus grain delivery, which the host does while holding the lock.
/// </summary>
public static class StoreAppend
{
    public static async Task<StoreAppendResult> RunAsync(ScratchDatabase database, SyntheticTenant tenant, int batchSize)
    {
        await CopyBaseline.Checkpoint(database);
        await using var dataSource = new NpgsqlDataSourceBuilder(database.ConnectionString).Build();
        var store = new FactStore(dataSource);
        // The batches' audit entries reference the tenant (facts alone do not).
        await using (var insert = dataSource.CreateCommand("insert into tenants (tenant_id, name, created_by) values ('bench-store', 'Benchmark', 'benchmark') on conflict do nothing"))
        {
            await insert.ExecuteNonQueryAsync();
        }

        long facts = 0;
        long appendTicks = 0;
        var started = Stopwatch.GetTimestamp();
        foreach (var batch in GenerateStep.Batches(tenant.AllFacts(), batchSize))
        {
            var rows = batch.Select((draft, index) => FactRow.From(index, draft)).ToList();
            var before = Stopwatch.GetTimestamp();
            await using (var session = await store.OpenSessionAsync("bench-store", CancellationToken.None))
            {
                var appended = await session.AppendAsync(rows, "benchmark", CancellationToken.None);
                if (appended.Rejected)
                {
                    throw new InvalidOperationException($"The store refused a batch: {string.Join("; ", appended.Errors.Take(5))}");
                }

                await session.MarkAppliedAsync(appended.BatchId, CancellationToken.None);
                facts += appended.Stored.Count;
            }

            appendTicks += Stopwatch.GetTimestamp() - before;
        }

        return new StoreAppendResult(facts, TimeSpan.FromSeconds(appendTicks / (double)Stopwatch.Frequency), Stopwatch.GetElapsedTime(started));
    }
}
