using System.Diagnostics;
using Governance.Benchmarks.Infrastructure;
using Governance.Benchmarks.Synthetic;
using Governance.Domain.Facts;
using Npgsql;
using NpgsqlTypes;

namespace Governance.Benchmarks.Steps;

/// <summary>Rows per second of one COPY target, counting only the time spent in COPY.</summary>
public sealed record CopyResult(string Target, long Rows, TimeSpan CopyTime, TimeSpan WallTime, long TableBytes)
{
    public double RowsPerSecond => Rows / CopyTime.TotalSeconds;
}

/// <summary>
/// Step 2: the ceiling. The same fact-shaped rows (payload JSON and content hash as FactStore writes
/// them) are COPYed in binary, one COPY per batch, each its own transaction like an acknowledged
/// batch: once into <c>facts_bare</c> (the columns of <c>facts</c>, no keys, no indexes) and once into
/// the real <c>facts</c> table of the migrations (primary key, unique idempotency key, the
/// superseded-once and per-account indexes). Preparing the rows is not timed.
/// </summary>
public static class CopyBaseline
{
    private const string Columns = "tenant_id, source, external_id, kind, account_id, occurred_at, payload, batch_id, recorded_by, content_hash";

    /// <summary>COPYs the batches into <paramref name="table"/>; <paramref name="maxBatches"/> stops early (the untimed warm-up).</summary>
    public static async Task<CopyResult> RunAsync(ScratchDatabase database, SyntheticTenant tenant, int batchSize, string table, int maxBatches = int.MaxValue)
    {
        await Checkpoint(database);
        await using var connection = await database.OpenAsync();
        long rows = 0;
        long copyTicks = 0;
        var started = Stopwatch.GetTimestamp();
        foreach (var batch in GenerateStep.Batches(tenant.AllFacts(), batchSize).Take(maxBatches))
        {
            var prepared = batch.Select(f =>
            {
                var payload = FactPayloads.ToJson(f.Payload);
                return (Fact: f, Kind: f.Kind.WireName(), Payload: payload, Hash: FactPayloads.ContentHash(f, payload));
            }).ToList();
            var batchId = Guid.NewGuid();

            var before = Stopwatch.GetTimestamp();
            await using (var importer = await connection.BeginBinaryImportAsync($"copy {table} ({Columns}) from stdin (format binary)"))
            {
                foreach (var row in prepared)
                {
                    await importer.StartRowAsync();
                    await importer.WriteAsync("bench", NpgsqlDbType.Text);
                    await importer.WriteAsync(row.Fact.Source, NpgsqlDbType.Text);
                    await importer.WriteAsync(row.Fact.ExternalId, NpgsqlDbType.Text);
                    await importer.WriteAsync(row.Kind, NpgsqlDbType.Text);
                    await importer.WriteAsync(row.Fact.AccountId, NpgsqlDbType.Text);
                    await importer.WriteAsync(row.Fact.OccurredAt.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                    await importer.WriteAsync(row.Payload, NpgsqlDbType.Jsonb);
                    await importer.WriteAsync(batchId, NpgsqlDbType.Uuid);
                    await importer.WriteAsync("benchmark", NpgsqlDbType.Text);
                    await importer.WriteAsync(row.Hash, NpgsqlDbType.Bytea);
                }

                await importer.CompleteAsync();
            }

            copyTicks += Stopwatch.GetTimestamp() - before;
            rows += prepared.Count;
        }

        var wall = Stopwatch.GetElapsedTime(started);
        var bytes = await database.ScalarAsync<long>($"select pg_total_relation_size('{table}')");
        return new CopyResult(table, rows, TimeSpan.FromSeconds(copyTicks / (double)Stopwatch.Frequency), wall, bytes);
    }

    /// <summary>Creates a bare table: the columns, defaults and identity of <c>facts</c>, nothing else.</summary>
    public static Task CreateBareTableAsync(ScratchDatabase database, string table) =>
        database.ExecuteAsync($"create table {table} (like facts including defaults including identity)");

    /// <summary>One untimed batch into a throwaway table, so the first timed COPY does not pay for the first connection and JIT.</summary>
    public static async Task WarmUpAsync(ScratchDatabase database, SyntheticTenant tenant, int batchSize)
    {
        await CreateBareTableAsync(database, "facts_warm_up");
        await RunAsync(database, tenant, batchSize, "facts_warm_up", maxBatches: 1);
        await database.ExecuteAsync("drop table facts_warm_up");
    }

    /// <summary>Starts each timed phase without a checkpoint of the previous one's WAL hanging over it.</summary>
    public static async Task Checkpoint(ScratchDatabase database)
    {
        try
        {
            await database.ExecuteAsync("checkpoint");
        }
        catch (PostgresException)
        {
            // Not a superuser: measure without it.
        }
    }
}
