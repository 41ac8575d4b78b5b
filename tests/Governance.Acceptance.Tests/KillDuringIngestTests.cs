using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Governance.Testing;
using Npgsql;

namespace Governance.Acceptance.Tests;

public sealed class KillDuringIngestTests
{
    private const int Accounts = 20;
    private const int BatchSize = 500;

    [Fact]
    public async Task ShouldCountEveryAcknowledgedFactExactlyOnceAfterAKillDuringSustainedIngest()
    {
        await using var database = await TestDatabase.CreateAsync();
        var dataDirectory = Directory.CreateTempSubdirectory("governance-kill-").FullName;
        var first = await HostProcess.StartAsync(database.ConnectionString, dataDirectory, $"kill-a-{Guid.NewGuid():N}");
        var platform = await first.GetTokenAsync("platform-admin", HostProcess.PlatformSecret);
        var client = (await first.GraphQLAsync(platform,
            """mutation { createTenant(input: {id: "kill-co", name: "Kill Co"}) { integrationClient { clientId clientSecret } } }"""))["createTenant"]!["integrationClient"]!;
        var (clientId, secret) = (client["clientId"]!.GetValue<string>(), client["clientSecret"]!.GetValue<string>());
        var token = await first.GetTokenAsync(clientId, secret);
        await first.GraphQLAsync(token, "mutation($input: IngestFactsInput!) { ingestFacts(input: $input) { accepted } }", new
        {
            input = new { facts = Enumerable.Range(0, Accounts).Select(a => new { source = "crm", externalId = $"c{a}", accountId = $"acc-{a}", occurredAt = "2026-03-01T00:00:00Z", accountCreated = new { name = $"A{a}" } }) },
        });

        // Two writers send usage batches without pause; the host is killed while they are at it.
        var acknowledged = new int[Accounts];
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            for (var batch = 0; !stop.IsCancellationRequested; batch++)
            {
                var facts = Enumerable.Range(0, BatchSize).Select(i => new
                {
                    source = "app", externalId = $"w{w}-b{batch}-{i}", accountId = $"acc-{i % Accounts}", occurredAt = "2026-03-15T00:00:00Z",
                    usageRecorded = new { userId = $"u{i % 9}", @event = "click", count = 1 },
                }).ToList();
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
                    {
                        Content = JsonContent.Create(new { query = "mutation($input: IngestFactsInput!) { ingestFacts(input: $input) { accepted } }", variables = new { input = new { facts } } }),
                    };
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    using var response = await first.Http.SendAsync(request);
                    var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
                    if (response.IsSuccessStatusCode && body?["data"]?["ingestFacts"]?["accepted"]?.GetValue<int>() == BatchSize)
                    {
                        foreach (var fact in facts)
                        {
                            Interlocked.Increment(ref acknowledged[int.Parse(fact.accountId[4..])]);
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
                {
                    return; // the host died under this request: its batch is not acknowledged
                }
            }
        })).ToList();

        while (acknowledged.Sum() < 20 * BatchSize)
        {
            await Task.Delay(50);
        }

        await first.KillAsync();
        stop.Cancel();
        await Task.WhenAll(writers);
        await first.DisposeAsync();

        await using var second = await HostProcess.StartAsync(database.ConnectionString, dataDirectory, $"kill-b-{Guid.NewGuid():N}");
        var stored = await StoredUsageByAccountAsync(database);
        var token2 = await second.GetTokenAsync(clientId, secret);
        long total = 0;
        for (var a = 0; a < Accounts; a++)
        {
            var data = await second.GraphQLAsync(token2, """query($id: ID!) { account(id: $id) { months(from: "2026-03", to: "2026-03") { measures { measure value } } } }""", new { id = $"acc-{a}" });
            var usage = data["account"]!["months"]![0]!["measures"]!.AsArray()
                .Where(m => m!["measure"]!.GetValue<string>() == "USAGE_EVENTS").Sum(m => m!["value"]!.GetValue<decimal>());
            var committed = stored.GetValueOrDefault($"acc-{a}");

            // Every acknowledged fact is stored; every stored fact is counted once (a batch cut off
            // after its commit but before its answer is stored without having been acknowledged).
            Assert.True(committed >= acknowledged[a], $"acc-{a}: {acknowledged[a]} acknowledged, only {committed} stored");
            Assert.Equal(committed, (long)usage);
            total += committed;
        }

        Assert.InRange(total - acknowledged.Sum(), 0, 2 * BatchSize);
        var tenant = await second.GraphQLAsync(token2, """{ tenantRollup { months(from: "2026-03", to: "2026-03") { measures { measure value } } } }""");
        Assert.Equal(total, (long)tenant["tenantRollup"]!["months"]![0]!["measures"]!.AsArray()
            .Where(m => m!["measure"]!.GetValue<string>() == "USAGE_EVENTS").Sum(m => m!["value"]!.GetValue<decimal>()));
    }

    private static async Task<Dictionary<string, long>> StoredUsageByAccountAsync(TestDatabase database)
    {
        await using var connection = database.Open();
        await using var command = new NpgsqlCommand("select account_id, count(*) from facts where kind = 'usage.recorded' group by account_id", connection);
        var counts = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }
}
