using System.Net;
using System.Text.Json.Nodes;
using Governance.Api.Tests.Infrastructure;
using Npgsql;

namespace Governance.Api.Tests.Facts;

[Collection(ApiCollection.Name)]
public sealed class IngestFactsTests(ApiFixture fixture)
{
    private const string Ingest = "mutation($input: IngestFactsInput!) { ingestFacts(input: $input) { batchId accepted duplicates late } }";

    private const string Months = """
        query($id: ID!, $from: String!, $to: String!) {
          account(id: $id) { name months(from: $from, to: $to) { month measures { measure value } } }
        }
        """;

    private GovernanceHost Host => fixture.Host;

    private static object Created(string accountId, string externalId = "created") => new
    {
        source = "crm", externalId = $"{externalId}-{accountId}", accountId, occurredAt = "2026-01-05T09:00:00Z",
        accountCreated = new { name = $"Customer {accountId}", segment = "smb" },
    };

    private static object Mrr(string accountId, string externalId, string movement, decimal amount, string occurredAt = "2026-02-10T00:00:00Z", string? supersedes = null) => new
    {
        source = "billing", externalId, accountId, occurredAt, supersedes,
        mrrChanged = new { movement, amount, currency = "USD" },
    };

    private static object Nps(string accountId, string externalId, int score, string occurredAt = "2026-02-11T00:00:00Z") => new
    {
        source = "surveys", externalId, accountId, occurredAt,
        surveyResponded = new { survey = "NPS", score },
    };

    private async Task<GraphQLResponse> IngestAsync(string token, params object[] facts) =>
        await Host.GraphQLAsync(token, Ingest, new { input = new { facts } });

    private async Task<Dictionary<string, decimal>> MeasuresAsync(string token, string accountId, string month)
    {
        var response = await Host.GraphQLAsync(token, Months, new { id = accountId, from = month, to = month });
        response.AssertNoErrors();
        return response.Data!["account"]!["months"]![0]!["measures"]!.AsArray()
            .ToDictionary(m => m!["measure"]!.GetValue<string>(), m => m!["value"]!.GetValue<decimal>());
    }

    private async Task<long> StoredFactsAsync(string tenantId)
    {
        await using var connection = fixture.Database.Open();
        await using var command = new NpgsqlCommand("select count(*) from facts where tenant_id = $1", connection);
        command.Parameters.Add(new() { Value = tenantId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static JsonNode Payload(GraphQLResponse response) => response.Data!["ingestFacts"]!;

    [Fact]
    public async Task ShouldStoreABatchAndCountItInTheAccountsMonths()
    {
        var tenant = ApiFixture.NewTenantId();
        var token = await Host.NewTenantTokenAsync(tenant);

        var response = await IngestAsync(token,
            Created("acc-1"),
            Mrr("acc-1", "m1", "NEW", 1000.50m),
            Mrr("acc-1", "m2", "EXPANSION", 200m),
            Nps("acc-1", "s1", 10), Nps("acc-1", "s2", 8), Nps("acc-1", "s3", 3));

        response.AssertNoErrors();
        Assert.Equal(6, Payload(response)["accepted"]!.GetValue<int>());
        Assert.Equal(0, Payload(response)["duplicates"]!.GetValue<int>());
        var february = await MeasuresAsync(token, "acc-1", "2026-02");
        Assert.Equal(1000.50m, february["MRR_NEW"]);
        Assert.Equal(200m, february["MRR_EXPANSION"]);
        Assert.Equal(1m, february["CUSTOMERS_NEW"]);
        Assert.Equal(3m, february["NPS_RESPONSES"]);
        Assert.Equal(1m, february["NPS_PROMOTERS"]);
        Assert.Equal(1m, february["NPS_PASSIVES"]);
        Assert.Equal(1m, february["NPS_DETRACTORS"]);
    }

    [Fact]
    public async Task ShouldRejectTheWholeBatchNamingTheFactAndField()
    {
        var tenant = ApiFixture.NewTenantId();
        var token = await Host.NewTenantTokenAsync(tenant);

        var response = await IngestAsync(token, Created("acc-1"), Mrr("acc-1", "m1", "NEW", 100m), Nps("acc-1", "s1", 11));

        Assert.Null(response.Data!["ingestFacts"]);
        var error = Assert.Single(response.Errors)!;
        Assert.Equal("INVALID_INPUT", error["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("input.facts[2].surveyResponded.score", error["extensions"]!["data"]!["field"]!.GetValue<string>());
        Assert.Equal(2, error["extensions"]!["data"]!["index"]!.GetValue<int>());
        Assert.Contains("NPS must be 0 to 10", error["message"]!.GetValue<string>());
        Assert.Equal(0, await StoredFactsAsync(tenant));
    }

    public static TheoryData<string, object, string, string> Rejections => new()
    {
        { "negative money", Mrr("acc-1", "x", "NEW", -5m), "mrrChanged.amount", "must not be negative" },
        { "too many decimals", Mrr("acc-1", "x", "NEW", 1.00001m), "mrrChanged.amount", "at most 4 decimal places" },
        { "future", Mrr("acc-1", "x", "NEW", 5m, occurredAt: "2099-01-01T00:00:00Z"), "occurredAt", "must not be in the future" },
        { "unknown account", Mrr("nobody", "x", "NEW", 5m), "accountId", "unknown account 'nobody'" },
        { "csat 6", new { source = "s", externalId = "x", accountId = "acc-1", occurredAt = "2026-02-01T00:00:00Z", surveyResponded = new { survey = "CSAT", score = 6 } }, "surveyResponded.score", "CSAT must be 1 to 5" },
        { "two kinds", new { source = "s", externalId = "x", accountId = "acc-1", occurredAt = "2026-02-01T00:00:00Z", qbrHeld = new { }, referralMade = new { } }, "", "set exactly one kind field (2 set)" },
        { "no kind", new { source = "s", externalId = "x", accountId = "acc-1", occurredAt = "2026-02-01T00:00:00Z" }, "", "set exactly one kind field (0 set)" },
        { "correction of nothing", Mrr("acc-1", "x", "NEW", 5m, supersedes: "never-sent"), "supersedes", "no stored fact 'never-sent'" },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task ShouldRefuseAnInvalidFactAndStoreNothingOfItsBatch(string why, object fact, string field, string message)
    {
        var tenant = ApiFixture.NewTenantId();
        var token = await Host.NewTenantTokenAsync(tenant);
        (await IngestAsync(token, Created("acc-1"))).AssertNoErrors();

        var response = await IngestAsync(token, Mrr("acc-1", "good", "NEW", 10m), fact);

        var error = Assert.Single(response.Errors)!;
        var expectedField = field.Length == 0 ? "input.facts[1]" : $"input.facts[1].{field}";
        Assert.True(expectedField == error["extensions"]!["data"]!["field"]!.GetValue<string>(), $"{why}: {error.ToJsonString()}");
        Assert.Contains(message, error["message"]!.GetValue<string>());
        Assert.Equal(1, await StoredFactsAsync(tenant)); // the account.created of the earlier batch only
    }

    [Fact]
    public async Task ShouldRefuseNaNMoneyBeforeExecutionNamingTheField()
    {
        var token = await Host.NewTenantTokenAsync(ApiFixture.NewTenantId());
        var fact = new { source = "b", externalId = "x", accountId = "acc-1", occurredAt = "2026-02-01T00:00:00Z", mrrChanged = new { movement = "NEW", amount = "NaN", currency = "USD" } };

        var response = await IngestAsync(token, fact);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("amount", response.Errors[0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShouldReportARepeatedBatchAsDuplicatesAndCountItOnce()
    {
        var token = await Host.NewTenantTokenAsync(ApiFixture.NewTenantId());
        object[] batch = [Created("acc-1"), Mrr("acc-1", "m1", "NEW", 100m), Nps("acc-1", "s1", 9)];

        (await IngestAsync(token, batch)).AssertNoErrors();
        var again = await IngestAsync(token, batch);

        again.AssertNoErrors();
        Assert.Equal(0, Payload(again)["accepted"]!.GetValue<int>());
        Assert.Equal(3, Payload(again)["duplicates"]!.GetValue<int>());
        var february = await MeasuresAsync(token, "acc-1", "2026-02");
        Assert.Equal(100m, february["MRR_NEW"]);
        Assert.Equal(1m, february["NPS_RESPONSES"]);
    }

    [Fact]
    public async Task ShouldRefuseTheSameExternalIdWithOtherContentAsAConflict()
    {
        var tenant = ApiFixture.NewTenantId();
        var token = await Host.NewTenantTokenAsync(tenant);
        (await IngestAsync(token, Created("acc-1"), Mrr("acc-1", "m1", "NEW", 100m))).AssertNoErrors();

        var response = await IngestAsync(token, Nps("acc-1", "s1", 9), Mrr("acc-1", "m1", "NEW", 150m));

        var error = Assert.Single(response.Errors)!;
        Assert.Equal("CONFLICT", error["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("input.facts[1].externalId", error["extensions"]!["data"]!["field"]!.GetValue<string>());
        Assert.Equal(2, await StoredFactsAsync(tenant));
        Assert.Equal(100m, (await MeasuresAsync(token, "acc-1", "2026-02"))["MRR_NEW"]);
    }

    [Fact]
    public async Task ShouldReplaceACorrectedFactsEffect()
    {
        var token = await Host.NewTenantTokenAsync(ApiFixture.NewTenantId());
        (await IngestAsync(token, Created("acc-1"), Mrr("acc-1", "m1", "NEW", 100m), Nps("acc-1", "s1", 3))).AssertNoErrors();

        var corrected = await IngestAsync(token,
            Mrr("acc-1", "m1-fix", "NEW", 120m, supersedes: "m1"),
            new { source = "surveys", externalId = "s1-fix", accountId = "acc-1", occurredAt = "2026-02-11T00:00:00Z", supersedes = "s1", surveyResponded = new { survey = "NPS", score = 9 } });

        corrected.AssertNoErrors();
        var february = await MeasuresAsync(token, "acc-1", "2026-02");
        Assert.Equal(120m, february["MRR_NEW"]);
        Assert.Equal(1m, february["NPS_RESPONSES"]);
        Assert.Equal(1m, february["NPS_PROMOTERS"]);
        Assert.False(february.ContainsKey("NPS_DETRACTORS"));

        var twice = await IngestAsync(token, Mrr("acc-1", "m1-fix-2", "NEW", 130m, supersedes: "m1"));
        Assert.Equal("CONFLICT", twice.FirstErrorCode);
    }

    [Fact]
    public async Task ShouldAcceptAndFlagAFactInAClosedMonth()
    {
        var tenant = ApiFixture.NewTenantId();
        var token = await Host.NewTenantTokenAsync(tenant);
        await Host.AddUserAsync(tenant, "admin", "admin-password", "tenant-admin");
        var admin = await new Identity.CodeFlow(Host).SignInAsync(tenant, "admin", "admin-password");
        (await IngestAsync(token, Created("acc-1"))).AssertNoErrors();

        var byIntegration = await Host.GraphQLAsync(token, "mutation { closePeriod(month: \"2026-01-01\") }");
        var byAdmin = await Host.GraphQLAsync(admin, "mutation { closePeriod(month: \"2026-01-20\") }");
        var late = await IngestAsync(token, Nps("acc-1", "jan", 9, occurredAt: "2026-01-31T23:00:00Z"), Nps("acc-1", "feb", 9, occurredAt: "2026-02-01T00:00:00Z"));

        Assert.Equal(HttpStatusCode.Forbidden, byIntegration.Status);
        byAdmin.AssertNoErrors();
        Assert.True(byAdmin.Data!["closePeriod"]!.GetValue<bool>());
        late.AssertNoErrors();
        Assert.Equal(2, Payload(late)["accepted"]!.GetValue<int>());
        Assert.Equal(1, Payload(late)["late"]!.GetValue<int>());
        Assert.Equal(1m, (await MeasuresAsync(token, "acc-1", "2026-01"))["NPS_PROMOTERS"]);
    }

    [Fact]
    public async Task ShouldTakeABatchOfTenThousandFacts()
    {
        var token = await Host.NewTenantTokenAsync(ApiFixture.NewTenantId());
        (await IngestAsync(token, Enumerable.Range(0, 50).Select(i => Created($"acc-{i}")).ToArray())).AssertNoErrors();
        var usage = Enumerable.Range(0, 10_000).Select(i => (object)new
        {
            source = "app", externalId = $"u{i}", accountId = $"acc-{i % 50}", occurredAt = "2026-02-01T10:00:00Z",
            usageRecorded = new { userId = $"user-{i % 7}", @event = "login", count = 1 },
        }).ToArray();

        var response = await IngestAsync(token, usage);

        response.AssertNoErrors();
        Assert.Equal(10_000, Payload(response)["accepted"]!.GetValue<int>());
        var february = await MeasuresAsync(token, "acc-0", "2026-02");
        Assert.Equal(200m, february["USAGE_EVENTS"]);
        Assert.Equal(7m, february["ACTIVE_USERS"]);
    }

    [Fact]
    public async Task ShouldRefuseMoreThanTenThousandFacts()
    {
        var token = await Host.NewTenantTokenAsync(ApiFixture.NewTenantId());

        var response = await IngestAsync(token, Enumerable.Range(0, 10_001).Select(i => Nps("acc-1", $"s{i}", 9)).ToArray());

        Assert.Equal("input.facts", response.Errors[0]!["extensions"]!["data"]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShouldNotLetAnotherTenantIngestIntoOrReadThisTenantsAccount()
    {
        var first = await Host.NewTenantTokenAsync(ApiFixture.NewTenantId("a"));
        var secondTenant = ApiFixture.NewTenantId("b");
        var second = await Host.NewTenantTokenAsync(secondTenant);
        (await IngestAsync(first, Created("acc-1"), Mrr("acc-1", "m1", "NEW", 100m))).AssertNoErrors();

        var intrusion = await IngestAsync(second, Mrr("acc-1", "m2", "CHURN", 100m));
        var peek = await Host.GraphQLAsync(second, Months, new { id = "acc-1", from = "2026-02", to = "2026-02" });

        Assert.Contains("unknown account 'acc-1'", intrusion.Errors[0]!["message"]!.GetValue<string>());
        Assert.Equal(0, await StoredFactsAsync(secondTenant));
        Assert.Equal("NOT_FOUND", peek.FirstErrorCode);
        Assert.Null(peek.Data!["account"]);
        var february = await MeasuresAsync(first, "acc-1", "2026-02");
        Assert.Equal(100m, february["MRR_NEW"]);
        Assert.False(february.ContainsKey("MRR_CHURNED"));
    }
}
