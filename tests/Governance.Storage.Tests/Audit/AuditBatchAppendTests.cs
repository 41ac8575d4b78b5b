using System.Security.Cryptography;
using Governance.Domain.Audit;
using Governance.Storage.Audit;
using Governance.Storage.Tests.Metrics;

namespace Governance.Storage.Tests.Audit;

public sealed class AuditBatchAppendTests(DefinitionDatabase db) : IClassFixture<DefinitionDatabase>, IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly CheckpointSigner _signer = new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    private AuditLog Log => new(db.DataSource, TimeProvider.System, _signer);

    public void Dispose() => _signer.Dispose();

    // JSON that jsonb prints otherwise than given (key order, spacing, number forms), nulls, escapes.
    private static AuditEvent Event(int i) => new("ingest", i % 3 == 0 ? "fact.corrected" : "account.assigned", $"fact:{i}",
        i % 5 == 0 ? $"why {i}\t\"quoted\"" : null,
        i % 4 == 0 ? null : $$"""{ "z": {{i}}.10, "a": [1, 2.50, {"y": null, "b": "é\n"}], "n": {{i}} }""",
        $$"""{"factId":{{i}},"amount":1e2,"kind":"mrr.changed"}""");

    private async Task<IReadOnlyList<AuditEntry>> AppendBatchAsync(string tenant, IReadOnlyList<AuditEvent> changes, bool commit = true)
    {
        await using var session = await TenantSession.BeginAsync(db.DataSource, tenant);
        var entries = await AuditLog.AppendBatchAsync(session.Connection, session.Transaction, tenant, changes, At, CancellationToken.None);
        if (commit)
        {
            await session.CommitAsync();
        }

        return entries;
    }

    [Fact]
    public async Task ShouldAppendALargeBatchAfterEarlierEntriesSoTheLogStillVerifies()
    {
        var tenant = await db.NewTenantAsync();
        await Log.AppendAsync(tenant, Event(0));
        await Log.CheckpointAsync(tenant);

        var appended = await AppendBatchAsync(tenant, Enumerable.Range(1, 12_000).Select(Event).ToList());
        await Log.AppendAsync(tenant, Event(12_001));

        Assert.Equal(Enumerable.Range(1, 12_000).Select(i => (long)i), appended.Select(e => e.Seq));
        var stored = new List<AuditEntry>();
        for (long? after = null; stored.Count < 12_002; after = stored[^1].Seq)
        {
            stored.AddRange(await Log.EntriesAsync(tenant, new AuditFilter(), after, AuditLog.MaxPage));
        }

        // What was hashed is what jsonb stored and prints back, field by field.
        Assert.Equal(appended, stored.Skip(1).Take(12_000));
        Assert.Equal("""{"a": [1, 2.50, {"b": "é\n", "y": null}], "n": 1, "z": 1.10}""", appended[0].Before);
        Assert.Equal("""{"kind": "mrr.changed", "amount": 100, "factId": 1}""", appended[0].After);
        Assert.Null(appended[3].Before);
        Assert.Equal("why 5\t\"quoted\"", appended[4].Reason);
        var verification = await Log.VerifyAsync(tenant);
        Assert.True(verification.Ok, string.Join("; ", verification.Problems.Select(p => p.Message)));
        Assert.Equal(12_002, verification.TreeSize);
        Assert.Equal(12_002, (await Log.CheckpointAsync(tenant))!.TreeSize);
    }

    [Fact]
    public async Task ShouldAppendNothingForAnEmptyBatchOrARolledBackOne()
    {
        var tenant = await db.NewTenantAsync();

        Assert.Empty(await AppendBatchAsync(tenant, []));
        await AppendBatchAsync(tenant, [Event(1), Event(2)], commit: false);
        var later = await AppendBatchAsync(tenant, [Event(3)]);

        Assert.Equal(0, later[0].Seq);
        Assert.Single(await Log.EntriesAsync(tenant, new AuditFilter(), null, 500));
    }
}
