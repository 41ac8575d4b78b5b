using System.Text.Json.Nodes;
using Governance.Api.Tests.Infrastructure;
using Governance.Domain.Audit;
using Governance.Storage.Audit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Governance.Api.Tests.Facts;

/// <summary>What ingestFacts writes to the tenant's audit log (docs/audit.md): per batch, per correction, per portfolio change.</summary>
[Collection(ApiCollection.Name)]
public sealed class IngestAuditTests(ApiFixture fixture)
{
    private const string Ingest = "mutation($input: IngestFactsInput!) { ingestFacts(input: $input) { batchId accepted duplicates } }";

    private GovernanceHost Host => fixture.Host;

    private AuditLog Log => Host.Services.GetRequiredService<AuditLog>();

    private static object Created(string accountId, string? owner = null) => new
    {
        source = "crm", externalId = $"created-{accountId}", accountId, occurredAt = "2026-01-05T09:00:00Z",
        accountCreated = new { name = $"Customer {accountId}", ownerExecutiveId = owner },
    };

    private static object Mrr(string externalId, decimal amount, string? supersedes = null) => new
    {
        source = "billing", externalId, accountId = "acc-1", occurredAt = "2026-02-10T00:00:00Z", supersedes,
        mrrChanged = new { movement = "NEW", amount, currency = "USD" },
    };

    private static object Nps(string externalId, int score) => new
    {
        source = "surveys", externalId, accountId = "acc-1", occurredAt = "2026-02-11T00:00:00Z",
        surveyResponded = new { survey = "NPS", score },
    };

    private static object Assign(string externalId, string accountId, string executiveId, string effectiveFrom, string? supersedes = null) => new
    {
        source = "crm", externalId, accountId, occurredAt = "2026-01-20T00:00:00Z", supersedes,
        accountAssigned = new { executiveId, effectiveFrom },
    };

    private async Task<(string Tenant, string ClientId, string Token)> NewTenantAsync()
    {
        var tenant = ApiFixture.NewTenantId("ia");
        var (clientId, secret) = await Host.CreateTenantAsync(tenant);
        return (tenant, clientId, await Host.GetTokenAsync(clientId, secret));
    }

    private async Task<GraphQLResponse> IngestAsync(string token, params object[] facts) =>
        await Host.GraphQLAsync(token, Ingest, new { input = new { facts } });

    private async Task<IReadOnlyList<AuditEntry>> EntriesAsync(string tenant, string? action = null) =>
        await Log.EntriesAsync(tenant, new AuditFilter(Action: action), null, AuditLog.MaxPage);

    private async Task<long> FactIdAsync(string tenant, string externalId)
    {
        await using var connection = fixture.Database.Open();
        await using var command = new NpgsqlCommand("select fact_id from facts where tenant_id = $1 and external_id = $2", connection);
        command.Parameters.Add(new() { Value = tenant });
        command.Parameters.Add(new() { Value = externalId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static JsonNode Json(string? json) => JsonNode.Parse(json!)!;

    [Fact]
    public async Task ShouldAuditAStoredBatchOnceAndNothingForARejectedOrDuplicateBatch()
    {
        var (tenant, clientId, token) = await NewTenantAsync();
        object[] batch = [Created("acc-1"), Mrr("m1", 100m), Nps("s1", 9), Nps("s2", 3)];

        var stored = await IngestAsync(token, batch);
        var afterStored = await EntriesAsync(tenant);
        var unknownAccount = await IngestAsync(token, Nps("s3", 9), new { source = "surveys", externalId = "x", accountId = "nobody", occurredAt = "2026-02-11T00:00:00Z", surveyResponded = new { survey = "NPS", score = 9 } });
        var conflict = await IngestAsync(token, Nps("s3", 9), Mrr("m1", 150m));
        var repeated = await IngestAsync(token, batch);
        var afterRefusals = await EntriesAsync(tenant);
        var partly = await IngestAsync(token, [.. batch, Nps("s3", 10)]);

        stored.AssertNoErrors();
        Assert.NotEmpty(unknownAccount.Errors);
        Assert.Equal("CONFLICT", conflict.FirstErrorCode);
        repeated.AssertNoErrors();
        Assert.Equal(4, repeated.Data!["ingestFacts"]!["duplicates"]!.GetValue<int>());
        Assert.Equal(afterStored, afterRefusals);

        var ingested = await EntriesAsync(tenant, "facts.ingested");
        Assert.Equal(2, ingested.Count);
        var first = ingested[0];
        var batchId = stored.Data!["ingestFacts"]!["batchId"]!.GetValue<string>();
        Assert.Equal((clientId, $"batch:{batchId}", (string?)null), (first.Actor, first.Subject, first.Before));
        var after = Json(first.After);
        Assert.Equal(batchId, after["batchId"]!.GetValue<string>());
        Assert.Equal((4, 0, 0), (after["facts"]!.GetValue<int>(), after["duplicates"]!.GetValue<int>(), after["late"]!.GetValue<int>()));
        Assert.Equal(await FactIdAsync(tenant, "created-acc-1"), after["firstFactId"]!.GetValue<long>());
        Assert.Equal(await FactIdAsync(tenant, "s2"), after["lastFactId"]!.GetValue<long>());
        Assert.Equal(new Dictionary<string, int> { ["account.created"] = 1, ["mrr.changed"] = 1, ["survey.responded"] = 2 },
            after["kinds"]!.AsObject().ToDictionary(k => k.Key, k => k.Value!.GetValue<int>()));
        var second = Json(ingested[1].After);
        Assert.Equal((1, 4), (second["facts"]!.GetValue<int>(), second["duplicates"]!.GetValue<int>()));
        Assert.Equal($"batch:{partly.Data!["ingestFacts"]!["batchId"]!.GetValue<string>()}", ingested[1].Subject);
    }

    [Fact]
    public async Task ShouldAuditACorrectionWithTheFactItReplacesAndTheNewOne()
    {
        var (tenant, clientId, token) = await NewTenantAsync();
        (await IngestAsync(token, Created("acc-1"), Mrr("m1", 100m))).AssertNoErrors();

        (await IngestAsync(token, Nps("s1", 9), Mrr("m1-fix", 120.50m, supersedes: "m1"))).AssertNoErrors();

        var corrected = Assert.Single(await EntriesAsync(tenant, "fact.corrected"));
        var (oldId, newId) = (await FactIdAsync(tenant, "m1"), await FactIdAsync(tenant, "m1-fix"));
        Assert.Equal((clientId, $"fact:{newId}"), (corrected.Actor, corrected.Subject));
        var before = Json(corrected.Before);
        var after = Json(corrected.After);
        Assert.Equal((oldId, "mrr.changed", "acc-1"), (before["factId"]!.GetValue<long>(), before["kind"]!.GetValue<string>(), before["accountId"]!.GetValue<string>()));
        Assert.Equal(new DateTimeOffset(2026, 2, 10, 0, 0, 0, TimeSpan.Zero), before["occurredAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(100m, before["payload"]!["amount"]!.GetValue<decimal>());
        Assert.Equal((newId, 120.5m, "new"), (after["factId"]!.GetValue<long>(), after["payload"]!["amount"]!.GetValue<decimal>(), after["payload"]!["movement"]!.GetValue<string>()));
        // The batch's own entry comes first, then the correction, all in the batch's transaction.
        var log = await EntriesAsync(tenant);
        Assert.Equal(["facts.ingested", "fact.corrected"], log.TakeLast(2).Select(e => e.Action));
    }

    [Fact]
    public async Task ShouldAuditAPortfolioChangeWithTheOwnerItHadAtTheEffectiveMonth()
    {
        var (tenant, clientId, token) = await NewTenantAsync();
        (await IngestAsync(token, Created("a", owner: "cro"), Created("n"))).AssertNoErrors();

        (await IngestAsync(token, Assign("a-to-cco", "a", "cco", "2026-03-16"), Assign("n-to-vp", "n", "vp", "2026-02-01"))).AssertNoErrors();
        // In one batch: the second sees the first, and owners are taken at each one's effective month.
        (await IngestAsync(token, Assign("a-to-vp", "a", "vp", "2026-05-01"), Assign("a-to-cso", "a", "cso", "2026-02-01"))).AssertNoErrors();
        (await IngestAsync(token, Assign("a-to-cfo", "a", "cfo", "2026-03-01", supersedes: "a-to-cco"))).AssertNoErrors();

        var entries = await EntriesAsync(tenant, "account.assigned");
        string? Owner(string? json) => json is null ? null : Json(json)["executiveId"]!.GetValue<string>();
        Assert.Equal(
            [("account:a", "cro", "cco"), ("account:n", null, "vp"), ("account:a", "cco", "vp"), ("account:a", "cro", "cso"), ("account:a", "cco", "cfo")],
            entries.Select(e => (e.Subject, Owner(e.Before), Owner(e.After))));
        Assert.All(entries, e => Assert.Equal(clientId, e.Actor));

        var first = entries[0];
        Assert.Equal(await FactIdAsync(tenant, "created-a"), Json(first.Before)["factId"]!.GetValue<long>());
        Assert.Equal("2026-01-05", Json(first.Before)["effectiveFrom"]!.GetValue<string>());
        Assert.Equal(await FactIdAsync(tenant, "a-to-cco"), Json(first.After)["factId"]!.GetValue<long>());
        Assert.Equal("2026-03-16", Json(first.After)["effectiveFrom"]!.GetValue<string>());
        Assert.NotNull(Json(first.After)["occurredAt"]);
        Assert.Equal(await FactIdAsync(tenant, "a-to-cfo"), Json(Assert.Single(await EntriesAsync(tenant, "fact.corrected")).After)["factId"]!.GetValue<long>());
    }

    [Fact]
    public async Task ShouldKeepTheLogVerifiableAfterBatchesOfTenThousandFactsAndCorrections()
    {
        var (tenant, _, token) = await NewTenantAsync();
        (await IngestAsync(token, Enumerable.Range(0, 50).Select(i => Created($"acc-{i}")).ToArray())).AssertNoErrors();
        object Usage(int i, int count, string? supersedes = null) => new
        {
            source = "app", externalId = supersedes is null ? $"u{i}" : $"u{i}-fix", accountId = $"acc-{i % 50}", occurredAt = "2026-02-01T10:00:00Z", supersedes,
            usageRecorded = new { userId = $"user-{i % 7}", @event = "login", count },
        };

        (await IngestAsync(token, Enumerable.Range(0, 10_000).Select(i => Usage(i, 1)).ToArray())).AssertNoErrors();
        var corrections = await IngestAsync(token, Enumerable.Range(0, 10_000).Select(i => Usage(i, 2, supersedes: $"u{i}")).ToArray());

        corrections.AssertNoErrors();
        var verification = await Log.VerifyAsync(tenant);
        Assert.True(verification.Ok, string.Join("; ", verification.Problems.Select(p => p.Message)));
        // The seeding, three batches and one entry per correction.
        Assert.Equal(1 + 3 + 10_000, verification.TreeSize);
        Assert.Equal(verification.TreeSize, (await Log.CheckpointAsync(tenant))!.TreeSize);
        var last = (await Log.EntriesAsync(tenant, new AuditFilter(FromSeq: verification.TreeSize - 1), null, 1))[0];
        Assert.Equal(("fact.corrected", $"fact:{await FactIdAsync(tenant, "u9999-fix")}"), (last.Action, last.Subject));
    }
}
