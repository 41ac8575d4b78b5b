using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Governance.Benchmarks.Infrastructure;

namespace Governance.Benchmarks.Steps;

/// <summary>One GraphQL ingest pass.</summary>
public sealed record IngestResult(
    string Label,
    int Tenants,
    int Writers,
    long Facts,
    int Batches,
    TimeSpan Wall,
    TimeSpan BodyBuilding,
    double[] LatencyMs,
    double[] ServerMs,
    TimeSpan HostCpu,
    long StoredFacts,
    double[] LockHeldMs,
    long RollupRebuilds)
{
    /// <summary>Acknowledged facts per second of wall time: an acknowledged batch is committed.</summary>
    public double FactsPerSecond => Facts / Wall.TotalSeconds;
}

/// <summary>
/// Step 3: <c>ingestFacts</c> batches posted by concurrent writers. The request bodies are cut from
/// the JSONL file (each line already is a FactInput), so the client only concatenates bytes. Every
/// tenant's account.created facts go first and are acknowledged before the activity starts, because
/// a fact about an account that is not stored yet is refused, and concurrent batches may commit in
/// any order.
/// </summary>
public static class GraphQLIngest
{
    private static readonly byte[] Prefix =
        "{\"query\":\"mutation($input: IngestFactsInput!) { ingestFacts(input: $input) { accepted duplicates } }\",\"variables\":{\"input\":{\"facts\":["u8.ToArray();

    private static readonly byte[] Suffix = "]}}}"u8.ToArray();

    private sealed record Batch(TenantClient Tenant, byte[] Body, int Facts);

    /// <summary>What the producer thread did: time spent building bodies and how many it sent.</summary>
    private sealed class Production
    {
        public long BuildTicks { get; set; }

        public int Batches { get; set; }
    }

    public static async Task<IngestResult> RunAsync(
        HostProcess host, IReadOnlyList<TenantClient> tenants, DataSetSummary data, int batchSize, int writers, string label, ScratchDatabase database)
    {
        host.TakeMutationMilliseconds();
        var cpuBefore = host.CpuTime();
        var rebuildsBefore = host.RollupRebuilds;
        var latencies = new List<double>();
        long acknowledged = 0;
        var production = new Production();
        var started = Stopwatch.GetTimestamp();

        using var lines = new JsonLines(data.File);
        foreach (var phase in new[] { data.CreatedFacts, int.MaxValue })
        {
            var channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(writers * 2) { SingleWriter = true });
            using var failed = new CancellationTokenSource();
            var producer = Task.Factory.StartNew(
                () => Produce(lines, phase, tenants, batchSize, channel.Writer, production, failed.Token),
                failed.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var consumers = Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
            {
                try
                {
                    await foreach (var batch in channel.Reader.ReadAllAsync(failed.Token))
                    {
                        var (accepted, ms) = await PostAsync(host.Http, batch, failed.Token);
                        Interlocked.Add(ref acknowledged, accepted);
                        lock (latencies)
                        {
                            latencies.Add(ms);
                        }
                    }
                }
                catch
                {
                    await failed.CancelAsync();
                    throw;
                }
            })).ToList();

            try
            {
                await Task.WhenAll(consumers.Append(producer));
            }
            catch (Exception) when (consumers.FirstOrDefault(c => c.IsFaulted) is { } first)
            {
                var cause = first.Exception!.InnerException!;
                throw new InvalidOperationException($"{label}: a writer failed: {cause.Message}\nHost errors:\n{host.Errors()}", cause);
            }
        }

        var wall = Stopwatch.GetElapsedTime(started);
        var hostCpu = host.CpuTime() - cpuBefore;
        await host.WaitForQuietLogAsync(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
        // Cast to object: a string[] would otherwise be taken as the params array itself.
        var tenantIds = tenants.Select(t => t.TenantId).ToArray();
        var stored = await database.ScalarAsync<long>("select count(*) from facts where tenant_id = any($1)", (object)tenantIds);

        // received_at is the append transaction's start, applied_at is set once every grain has the batch:
        // between them the tenant's lock is held for the append and the delivery.
        var lockHeld = await database.ColumnAsync<double>(
            "select (extract(epoch from applied_at - received_at) * 1000)::float8 from ingest_batches where tenant_id = any($1) and applied_at is not null", (object)tenantIds);
        return new IngestResult(label, tenants.Count, writers, acknowledged, production.Batches, wall,
            TimeSpan.FromSeconds(production.BuildTicks / (double)Stopwatch.Frequency), [.. latencies], [.. host.TakeMutationMilliseconds()], hostCpu, stored,
            [.. lockHeld], host.RollupRebuilds - rebuildsBefore);
    }

    /// <summary>Cuts up to <paramref name="maxLines"/> lines into per-tenant request bodies; runs on its own thread.</summary>
    private static void Produce(
        JsonLines lines, int maxLines, IReadOnlyList<TenantClient> tenants, int batchSize, ChannelWriter<Batch> writer,
        Production production, CancellationToken cancellationToken)
    {
        var bodies = tenants.Select(_ => new ArrayBufferWriter<byte>(batchSize * 256)).ToArray();
        var counts = new int[tenants.Count];
        try
        {
            for (var read = 0; read < maxLines && lines.TryRead(out var line); read++)
            {
                var before = Stopwatch.GetTimestamp();
                var tenant = tenants.Count == 1 ? 0 : JsonLines.AccountIndexOf(line) % tenants.Count;
                var body = bodies[tenant];
                body.Write(counts[tenant] == 0 ? Prefix : ","u8);
                body.Write(line);
                counts[tenant]++;
                production.BuildTicks += Stopwatch.GetTimestamp() - before;
                if (counts[tenant] == batchSize)
                {
                    Send(tenant);
                }
            }

            for (var tenant = 0; tenant < tenants.Count; tenant++)
            {
                if (counts[tenant] > 0)
                {
                    Send(tenant);
                }
            }

            writer.Complete();
        }
        catch (Exception e)
        {
            writer.Complete(e);
            throw;
        }

        void Send(int tenant)
        {
            var before = Stopwatch.GetTimestamp();
            bodies[tenant].Write(Suffix);
            var batch = new Batch(tenants[tenant], bodies[tenant].WrittenSpan.ToArray(), counts[tenant]);
            bodies[tenant].ResetWrittenCount();
            counts[tenant] = 0;
            production.BuildTicks += Stopwatch.GetTimestamp() - before;
            production.Batches++;
            while (!writer.TryWrite(batch))
            {
                if (!writer.WaitToWriteAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
                {
                    return;
                }
            }
        }
    }

    private static async Task<(int Accepted, double Milliseconds)> PostAsync(HttpClient http, Batch batch, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new ByteArrayContent(batch.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", batch.Tenant.Token);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (response.IsSuccessStatusCode && !json.RootElement.TryGetProperty("errors", out _)
                && json.RootElement.GetProperty("data").GetProperty("ingestFacts") is { ValueKind: JsonValueKind.Object } payload)
            {
                var accepted = payload.GetProperty("accepted").GetInt32();
                var duplicates = payload.GetProperty("duplicates").GetInt32();
                if (accepted + duplicates == batch.Facts)
                {
                    return (accepted, elapsed);
                }
            }
        }
        catch (JsonException)
        {
            // reported below with the body
        }

        throw new InvalidOperationException(
            $"ingestFacts for tenant {batch.Tenant.TenantId} ({batch.Facts} facts) answered {(int)response.StatusCode}: {GovernanceClient.Truncate(Encoding.UTF8.GetString(body))}");
    }
}
