using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Testing;

namespace Governance.Acceptance.Tests;

/// <summary>One host process on its own database for the import tests; each test has a tenant of its own.</summary>
public sealed class CliHostFixture : IAsyncLifetime
{
    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("governance-cli-host-");
    private TestDatabase? _database;

    public HostProcess Host { get; private set; } = null!;

    public string Url => $"http://127.0.0.1:{Host.HttpPort}";

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Host = await HostProcess.StartAsync(_database.ConnectionString, _dataDirectory.FullName, $"acceptance-{Guid.NewGuid():N}");
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await _database!.DisposeAsync();
        _dataDirectory.Delete(recursive: true);
    }
}

public sealed class CliImportTests(CliHostFixture fixture) : IClassFixture<CliHostFixture>, IDisposable
{
    private const string Header = "source,externalId,accountId,occurredAt,kind,supersedes,payload";

    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("governance-cli-files-");

    private HostProcess Host => fixture.Host;

    [Fact]
    public async Task ShouldImportCsvFactsIntoMonthlyMeasuresAndCountEverythingAsDuplicatesTheSecondTime()
    {
        var tenant = await CreateTenantAsync("csv-co");
        // Line numbers: the header is line 1; the survey on line 7 has a line break inside its quoted payload.
        var file = Write("facts.csv",
            Header,
            Csv("crm", "acc-acme", "acme", "2025-01-10T09:00:00Z", "account.created", """{"name":"Acme Corp","segment":"enterprise"}"""),
            Csv("billing", "inv-1", "acme", "2025-01-15T00:00:00Z", "mrr.changed", """{"movement":"NEW","amount":100.50,"currency":"USD"}"""),
            Csv("billing", "inv-2", "acme", "2025-02-03T00:00:00Z", "mrr.changed", """{"movement":"EXPANSION","amount":20.25,"currency":"USD"}"""),
            Csv("surveys", "nps-1", "acme", "2025-02-10T12:00:00Z", "survey.responded", """{"survey":"NPS","score":9,"respondentId":"u1"}"""),
            Csv("surveys", "nps-2", "acme", "2025-02-11T12:00:00Z", "survey.responded", """{"survey":"NPS","score":6}"""),
            Csv("surveys", "csat-1", "acme", "2025-02-12T12:00:00Z", "survey.responded", "{\"survey\":\"CSAT\",\n\"score\":4}"),
            Csv("billing", "inv-3", "acme", "2025-03-01T00:00:00Z", "mrr.changed", """{"movement":"CONTRACTION","amount":10,"currency":"USD"}"""),
            Csv("crm", "acc-beta", "beta", "2025-02-01T00:00:00Z", "account.created", """{"name":"Beta"}"""),
            Csv("billing", "inv-b1", "beta", "2025-02-01T00:00:00Z", "mrr.changed", """{"movement":"NEW","amount":50,"currency":"USD"}"""));
        Dictionary<string, Dictionary<string, decimal>> acme = new()
        {
            ["2025-01"] = new() { ["MRR_NEW"] = 100.5m, ["CUSTOMERS_NEW"] = 1, ["ACCOUNTS_CREATED"] = 1 },
            ["2025-02"] = new()
            {
                ["MRR_EXPANSION"] = 20.25m, ["CUSTOMERS_EXPANDED"] = 1, ["MRR_EXPANSION_EXISTING"] = 20.25m,
                ["NPS_RESPONSES"] = 2, ["NPS_PROMOTERS"] = 1, ["NPS_DETRACTORS"] = 1,
                ["CSAT_RESPONSES"] = 1, ["CSAT_SATISFIED"] = 1, ["CSAT_SCORE_SUM"] = 4,
            },
            ["2025-03"] = new() { ["MRR_CONTRACTION"] = 10m, ["CUSTOMERS_DOWNGRADED"] = 1, ["MRR_DECREASE"] = 10m, ["MRR_CONTRACTION_EXISTING"] = 10m },
        };

        // Batches of 3: account.created goes in the first, the rest of its facts in later ones.
        var first = await ImportAsync(tenant, file, "--batch-size", "3");

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Equal(9, first.Summary("Facts sent"));
        Assert.Equal(9, first.Summary("Accepted"));
        Assert.Equal(0, first.Summary("Duplicates"));
        Assert.Equal(3, first.Summary("Batches"));
        Assert.Equal(11, first.Summary("Lines read"));
        Assert.False(File.Exists(file + ".import-progress"), "A completed import leaves no checkpoint.");
        Assert.Equal(acme, await MeasuresAsync(tenant, "acme"));
        Assert.Equal(new Dictionary<string, Dictionary<string, decimal>>
        {
            ["2025-01"] = [],
            ["2025-02"] = new() { ["MRR_NEW"] = 50m, ["CUSTOMERS_NEW"] = 1, ["ACCOUNTS_CREATED"] = 1 },
            ["2025-03"] = [],
        }, await MeasuresAsync(tenant, "beta"));

        var again = await ImportAsync(tenant, file);

        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Equal(0, again.Summary("Accepted"));
        Assert.Equal(9, again.Summary("Duplicates"));
        Assert.Equal(acme, await MeasuresAsync(tenant, "acme"));
    }

    [Fact]
    public async Task ShouldStopAtARejectedBatchNamingTheFileLineAndFieldAndStoreNothingOfThatBatch()
    {
        var tenant = await CreateTenantAsync("jsonl-co");
        string[] lines =
        [
            Fact("crm", "acc-gamma", "2025-01-05T00:00:00Z", "accountCreated", new { name = "Gamma" }),
            Fact("billing", "g-1", "2025-01-06T00:00:00Z", "mrrChanged", new { movement = "NEW", amount = 50, currency = "EUR" }),
            Fact("surveys", "g-nps-1", "2025-01-07T00:00:00Z", "surveyResponded", new { survey = "NPS", score = 10 }),
            "",
            Fact("surveys", "g-nps-2", "2025-01-08T00:00:00Z", "surveyResponded", new { survey = "NPS", score = 8 }),
            Fact("surveys", "g-nps-3", "2025-01-09T00:00:00Z", "surveyResponded", new { survey = "NPS", score = 11 }),
            Fact("cs", "g-qbr-1", "2025-01-10T00:00:00Z", "qbrHeld", new { notes = "fine" }),
            Fact("surveys", "g-nps-4", "2025-01-11T00:00:00Z", "surveyResponded", new { survey = "NPS", score = 2 }),
        ];
        var file = Write("facts.jsonl", lines);

        // Batches of 3 facts: lines 1–3, then 5–7 (line 4 is blank), then 8.
        var rejected = await ImportAsync(tenant, file, "--batch-size", "3");

        Assert.True(rejected.ExitCode == 2, rejected.Output);
        Assert.Contains("line 6: surveyResponded.score: NPS must be 0 to 10", rejected.Output);
        Assert.Equal(3, rejected.Summary("Accepted"));
        Assert.Equal(1, rejected.Summary("Batches"));
        // Lines 5 and 7 were valid but in the rejected batch: not stored. Line 8 was never sent.
        Assert.Equal(new Dictionary<string, Dictionary<string, decimal>>
        {
            ["2025-01"] = new() { ["MRR_NEW"] = 50m, ["CUSTOMERS_NEW"] = 1, ["NPS_RESPONSES"] = 1, ["NPS_PROMOTERS"] = 1, ["ACCOUNTS_CREATED"] = 1 },
        }, await MeasuresAsync(tenant, "gamma", "2025-01", "2025-01"));
        var checkpoint = JsonNode.Parse(await File.ReadAllTextAsync(file + ".import-progress"))!;
        Assert.Equal(3, checkpoint["linesAcknowledged"]!.GetValue<long>());

        // Corrected, the file is another file to the checkpoint: every line is sent, the first batch counts as duplicates.
        lines[5] = Fact("surveys", "g-nps-3", "2025-01-09T00:00:00Z", "surveyResponded", new { survey = "NPS", score = 1 });
        await File.WriteAllLinesAsync(file, lines);
        var fixedRun = await ImportAsync(tenant, file, "--batch-size", "3");

        Assert.True(fixedRun.ExitCode == 0, fixedRun.Output);
        Assert.Contains("starting from line 1", fixedRun.Output);
        Assert.Equal(3, fixedRun.Summary("Duplicates"));
        Assert.Equal(4, fixedRun.Summary("Accepted"));
        Assert.Equal(new Dictionary<string, Dictionary<string, decimal>>
        {
            ["2025-01"] = new()
            {
                ["MRR_NEW"] = 50m, ["CUSTOMERS_NEW"] = 1, ["NPS_RESPONSES"] = 4, ["NPS_PROMOTERS"] = 1, ["NPS_PASSIVES"] = 1,
                ["NPS_DETRACTORS"] = 2, ["QBRS_HELD"] = 1, ["ACCOUNTS_CREATED"] = 1, ["ACCOUNTS_WITH_QBR"] = 1,
            },
        }, await MeasuresAsync(tenant, "gamma", "2025-01", "2025-01"));
    }

    [Fact]
    public async Task ShouldSendOnlyTheLinesAfterTheCheckpointWhenResumingAnInterruptedImport()
    {
        var tenant = await CreateTenantAsync("resume-co");
        string[] facts =
        [
            Csv("crm", "acc-delta", "delta", "2025-04-01T00:00:00Z", "account.created", """{"name":"Delta"}"""),
            .. Enumerable.Range(1, 9).Select(i =>
                Csv("billing", $"d-{i}", "delta", $"2025-04-{i + 1:00}T00:00:00Z", "mrr.changed", $$"""{"movement":"{{(i == 1 ? "NEW" : "EXPANSION")}}","amount":{{i}},"currency":"USD"}""")),
        ];
        // The first run stored the first half (header and 5 facts, lines 1–6), then was interrupted.
        var firstHalf = Write("first-half.csv", [Header, .. facts[..5]]);
        var firstRun = await ImportAsync(tenant, firstHalf);
        Assert.True(firstRun.ExitCode == 0, firstRun.Output);
        var file = Write("facts.csv", [Header, .. facts]);
        var info = new FileInfo(file);
        await File.WriteAllTextAsync(file + ".import-progress", new JsonObject
        {
            ["length"] = info.Length,
            ["lastWriteTimeUtc"] = info.LastWriteTimeUtc,
            ["linesAcknowledged"] = 6,
            ["factsAcknowledged"] = 5,
            ["url"] = fixture.Url,
            ["clientId"] = tenant.ClientId,
        }.ToJsonString());

        var resumed = await ImportAsync(tenant, file);

        Assert.True(resumed.ExitCode == 0, resumed.Output);
        Assert.Contains("Resuming: lines 1 to 6 (5 facts)", resumed.Output);
        Assert.Equal(6, resumed.Summary("Lines skipped (checkpoint)"));
        Assert.Equal(5, resumed.Summary("Facts sent"));
        Assert.Equal(5, resumed.Summary("Accepted"));
        // Had the acknowledged half been sent again, it would show here.
        Assert.Equal(0, resumed.Summary("Duplicates"));
        Assert.False(File.Exists(file + ".import-progress"));
        Assert.Equal(new Dictionary<string, Dictionary<string, decimal>>
        {
            ["2025-04"] = new() { ["MRR_NEW"] = 1m, ["CUSTOMERS_NEW"] = 1, ["MRR_EXPANSION"] = 44m, ["CUSTOMERS_EXPANDED"] = 1, ["ACCOUNTS_CREATED"] = 1 },
        }, await MeasuresAsync(tenant, "delta", "2025-04", "2025-04"));
    }

    public void Dispose() => _files.Delete(recursive: true);

    private sealed record Tenant(string ClientId, string ClientSecret, string Token);

    private async Task<Tenant> CreateTenantAsync(string prefix)
    {
        var id = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        var platform = await Host.GetTokenAsync("platform-admin", HostProcess.PlatformSecret);
        var created = await Host.GraphQLAsync(platform,
            "mutation($input: CreateTenantInput!) { createTenant(input: $input) { integrationClient { clientId clientSecret } } }",
            new { input = new { id, name = prefix } });
        var client = created["createTenant"]!["integrationClient"]!;
        var (clientId, secret) = (client["clientId"]!.GetValue<string>(), client["clientSecret"]!.GetValue<string>());
        return new Tenant(clientId, secret, await Host.GetTokenAsync(clientId, secret));
    }

    private Task<CliRun> ImportAsync(Tenant tenant, string file, params string[] more) =>
        CliProcess.RunAsync(["import", "--url", fixture.Url, "--client-id", tenant.ClientId, "--client-secret", tenant.ClientSecret, "--file", file, .. more]);

    /// <summary>Month → measure → value, as the GraphQL API reports the account's months.</summary>
    private async Task<Dictionary<string, Dictionary<string, decimal>>> MeasuresAsync(Tenant tenant, string accountId, string from = "2025-01", string to = "2025-03")
    {
        var data = await Host.GraphQLAsync(tenant.Token,
            "query($id: ID!, $from: String!, $to: String!) { account(id: $id) { months(from: $from, to: $to) { month measures { measure value } } } }",
            new { id = accountId, from, to });
        return data["account"]!["months"]!.AsArray().ToDictionary(
            m => m!["month"]!.GetValue<string>(),
            m => m!["measures"]!.AsArray().ToDictionary(v => v!["measure"]!.GetValue<string>(), v => v!["value"]!.GetValue<decimal>()));
    }

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_files.FullName, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private static string Csv(string source, string externalId, string accountId, string occurredAt, string kind, string payload) =>
        $"{source},{externalId},{accountId},{occurredAt},{kind},,\"{payload.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static string Fact(string source, string externalId, string occurredAt, string kindField, object payload) =>
        new JsonObject
        {
            ["source"] = source,
            ["externalId"] = externalId,
            ["accountId"] = "gamma",
            ["occurredAt"] = occurredAt,
            [kindField] = JsonSerializer.SerializeToNode(payload),
        }.ToJsonString();
}
