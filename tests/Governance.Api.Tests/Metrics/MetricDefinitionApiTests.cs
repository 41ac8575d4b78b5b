using System.Net;
using System.Text.Json.Nodes;
using Governance.Abstractions.Security;
using Governance.Api.Tests.Infrastructure;
using Governance.Domain.Metrics.Catalog;
using Npgsql;

namespace Governance.Api.Tests.Metrics;

[Collection(ApiCollection.Name)]
public sealed class MetricDefinitionApiTests(ApiFixture fixture)
{
    private const string Fields = """
        key version status name description kind formula unit direction focusArea journeyStage indicator dataOwner
        effectiveFrom reason author proposedAt approvedBy approvedAt approveReason retiredBy retiredAt retireReason
        health { profiles { segment components { metricKey weight worst best } redBelow greenFrom missing minCoverage } }
        """;

    private const string Propose = $"mutation($input: ProposeMetricDefinitionInput!) {{ proposeMetricDefinition(input: $input) {{ {Fields} }} }}";

    private const string Approve = $"mutation($key: String!, $version: Int!, $reason: String) {{ approveMetricDefinition(key: $key, version: $version, reason: $reason) {{ {Fields} }} }}";

    private const string Retire = $"mutation($key: String!, $version: Int!, $reason: String!) {{ retireMetricDefinition(key: $key, version: $version, reason: $reason) {{ {Fields} }} }}";

    private const string One = $"query($key: String!, $version: Int) {{ metricDefinition(key: $key, version: $version) {{ {Fields} }} }}";

    private const string History = "query($key: String!) { metricDefinitionHistory(key: $key) { version status author approvedBy retiredBy } }";

    private const string List = """
        query($key: String, $status: MetricDefinitionStatus, $focusArea: FocusArea, $allVersions: Boolean) {
          metricDefinitions(key: $key, status: $status, focusArea: $focusArea, allVersions: $allVersions) { key version status }
        }
        """;

    private const string Diff = """
        query($key: String!, $from: Int!, $to: Int!) {
          metricDefinitionDiff(key: $key, fromVersion: $from, toVersion: $to) { from { version } to { version } changes { field before after } }
        }
        """;

    private const string Check = """
        query($formula: String!, $unit: MetricUnit!) {
          checkMetricFormula(formula: $formula, unit: $unit) { valid errors { code message line column offset length } }
        }
        """;

    private GovernanceHost Host => fixture.Host;

    /// <summary>A new tenant with two data owners (distinct subjects) and a CS manager.</summary>
    private async Task<(string Tenant, string Ada, string Grace, string Manager)> NewTenantAsync(string prefix = "m")
    {
        var tenant = ApiFixture.NewTenantId(prefix);
        await Host.CreateTenantAsync(tenant);
        return (tenant,
            await Host.NewRoleTokenAsync(tenant, Roles.DataOwner),
            await Host.NewRoleTokenAsync(tenant, Roles.DataOwner),
            await Host.NewRoleTokenAsync(tenant, Roles.CsManager));
    }

    private static Dictionary<string, object?> Input(string key = "logo_retention", string? formula = "customers_retained / customers_start else null", string reason = "first version")
        => new()
        {
            ["key"] = key,
            ["name"] = "Logo retention",
            ["description"] = "Customers kept.",
            ["kind"] = "FORMULA",
            ["formula"] = formula,
            ["unit"] = "RATIO",
            ["direction"] = "HIGHER_IS_BETTER",
            ["focusArea"] = "RETENTION_AND_CHURN",
            ["journeyStage"] = "VALUE_REALIZATION",
            ["indicator"] = "LAGGING",
            ["dataOwner"] = "CS Ops",
            ["effectiveFrom"] = "2026-04-01",
            ["reason"] = reason,
        };

    private async Task<JsonNode> ProposeAsync(string token, Dictionary<string, object?> input)
    {
        var response = await Host.GraphQLAsync(token, Propose, new { input });
        response.AssertNoErrors();
        return response.Data!["proposeMetricDefinition"]!;
    }

    private async Task<string> SubjectAsync(string token)
    {
        var response = await Host.GraphQLAsync(token, "{ viewer { subject } }");
        response.AssertNoErrors();
        return response.Data!["viewer"]!["subject"]!.GetValue<string>();
    }

    private async Task<string?> StatusAsync(string token, string key, int version)
    {
        var response = await Host.GraphQLAsync(token, One, new { key, version });
        return response.Data?["metricDefinition"]?["status"]?.GetValue<string>();
    }

    private async Task<long> StoredVersionsAsync(string tenant)
    {
        await using var connection = fixture.Database.Open();
        await using var command = new NpgsqlCommand("select count(*) from metric_definitions where tenant_id = $1", connection);
        command.Parameters.Add(new() { Value = tenant });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string Code(JsonNode? error) => error!["extensions"]!["code"]!.GetValue<string>();

    private static string Field(JsonNode? error) => error!["extensions"]!["data"]!["field"]!.GetValue<string>();

    [Fact]
    public async Task ShouldGiveANewTenantTheBuiltInsAtVersionOneApproved()
    {
        var (_, ada, _, _) = await NewTenantAsync();

        var response = await Host.GraphQLAsync(ada, One, new { key = "net_revenue_retention" });

        response.AssertNoErrors();
        var nrr = response.Data!["metricDefinition"]!;
        Assert.Equal(1, nrr["version"]!.GetValue<int>());
        Assert.Equal("APPROVED", nrr["status"]!.GetValue<string>());
        Assert.Equal("system", nrr["author"]!.GetValue<string>());
        Assert.Equal("system", nrr["approvedBy"]!.GetValue<string>());
        Assert.Equal("built-in catalog", nrr["reason"]!.GetValue<string>());
        Assert.Equal("2000-01-01", nrr["effectiveFrom"]!.GetValue<string>());
        Assert.Equal("Customer Success Operations", nrr["dataOwner"]!.GetValue<string>());
        Assert.Equal(BuiltInMetrics.All.Single(d => d.Key == "net_revenue_retention").Formula, nrr["formula"]!.GetValue<string>());
        Assert.Equal(("RATIO", "HIGHER_IS_BETTER", "RETENTION_AND_CHURN", "VALUE_REALIZATION", "LAGGING"),
            (nrr["unit"]!.GetValue<string>(), nrr["direction"]!.GetValue<string>(), nrr["focusArea"]!.GetValue<string>(),
             nrr["journeyStage"]!.GetValue<string>(), nrr["indicator"]!.GetValue<string>()));

        var list = await Host.GraphQLAsync(ada, List, new { status = "APPROVED" });
        list.AssertNoErrors();
        var keys = list.Data!["metricDefinitions"]!.AsArray().Select(d => (d!["key"]!.GetValue<string>(), d["version"]!.GetValue<int>())).ToList();
        Assert.Contains(("net_revenue_retention", 1), keys);
        Assert.Contains(("gross_revenue_retention", 1), keys);
    }

    [Fact]
    public async Task ShouldTakeANewVersionFromDraftToApprovedToRetired()
    {
        var (_, ada, grace, _) = await NewTenantAsync();
        var input = Input(key: "net_revenue_retention", formula: "(mrr_start + mrr_expansion - mrr_contraction - mrr_churned - mrr_net_decrease) / mrr_start else null", reason: "count net decreases");

        var draft = await ProposeAsync(ada, input);
        Assert.Equal((2, "DRAFT"), (draft["version"]!.GetValue<int>(), draft["status"]!.GetValue<string>()));
        Assert.Equal(await SubjectAsync(ada), draft["author"]!.GetValue<string>());
        Assert.Null(draft["approvedBy"]);

        // Separation of duties: the author cannot approve, whatever their roles.
        var own = await Host.GraphQLAsync(ada, Approve, new { key = "net_revenue_retention", version = 2 });
        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Null(own.Data!["approveMetricDefinition"]);
        Assert.Equal("FORBIDDEN", own.FirstErrorCode);
        Assert.Contains("Separation of duties", own.Errors[0]!["message"]!.GetValue<string>());
        Assert.Equal("DRAFT", await StatusAsync(ada, "net_revenue_retention", 2));

        var approved = await Host.GraphQLAsync(grace, Approve, new { key = "net_revenue_retention", version = 2, reason = "matches finance" });
        approved.AssertNoErrors();
        var definition = approved.Data!["approveMetricDefinition"]!;
        Assert.Equal("APPROVED", definition["status"]!.GetValue<string>());
        Assert.Equal(await SubjectAsync(grace), definition["approvedBy"]!.GetValue<string>());
        Assert.Equal("matches finance", definition["approveReason"]!.GetValue<string>());
        Assert.NotNull(definition["approvedAt"]);

        var again = await Host.GraphQLAsync(grace, Approve, new { key = "net_revenue_retention", version = 2 });
        Assert.Equal("CONFLICT", again.FirstErrorCode);
        Assert.Contains("approved already", again.Errors[0]!["message"]!.GetValue<string>());

        var retired = await Host.GraphQLAsync(grace, Retire, new { key = "net_revenue_retention", version = 2, reason = "finance changed its mind" });
        retired.AssertNoErrors();
        Assert.Equal("RETIRED", retired.Data!["retireMetricDefinition"]!["status"]!.GetValue<string>());
        Assert.Equal("finance changed its mind", retired.Data["retireMetricDefinition"]!["retireReason"]!.GetValue<string>());

        var retiredTwice = await Host.GraphQLAsync(grace, Retire, new { key = "net_revenue_retention", version = 2, reason = "again" });
        Assert.Equal("CONFLICT", retiredTwice.FirstErrorCode);
        var approveRetired = await Host.GraphQLAsync(ada, Approve, new { key = "net_revenue_retention", version = 2 });
        Assert.Equal("CONFLICT", approveRetired.FirstErrorCode);
    }

    [Fact]
    public async Task ShouldRequireAReasonToRetire()
    {
        var (_, ada, _, _) = await NewTenantAsync();

        var response = await Host.GraphQLAsync(ada, Retire, new { key = "gross_revenue_retention", version = 1, reason = " " });

        Assert.Equal("INVALID_INPUT", response.FirstErrorCode);
        Assert.Equal("reason", Field(response.Errors[0]));
        Assert.Equal("APPROVED", await StatusAsync(ada, "gross_revenue_retention", 1));
    }

    [Fact]
    public async Task ShouldListEveryVersionInTheHistoryWithItsStatus()
    {
        var (_, ada, grace, manager) = await NewTenantAsync();
        await ProposeAsync(manager, Input());
        (await Host.GraphQLAsync(ada, Approve, new { key = "logo_retention", version = 1 })).AssertNoErrors();
        await ProposeAsync(ada, Input(reason: "second"));
        await ProposeAsync(ada, Input(reason: "third"));
        (await Host.GraphQLAsync(grace, Retire, new { key = "logo_retention", version = 3, reason = "withdrawn" })).AssertNoErrors();

        var response = await Host.GraphQLAsync(grace, History, new { key = "logo_retention" });

        response.AssertNoErrors();
        var history = response.Data!["metricDefinitionHistory"]!.AsArray();
        Assert.Equal([(1, "APPROVED"), (2, "DRAFT"), (3, "RETIRED")],
            history.Select(h => (h!["version"]!.GetValue<int>(), h["status"]!.GetValue<string>())));
        Assert.Equal(await SubjectAsync(manager), history[0]!["author"]!.GetValue<string>());
        Assert.Equal(await SubjectAsync(ada), history[0]!["approvedBy"]!.GetValue<string>());

        var latest = await Host.GraphQLAsync(grace, List, new { key = "logo_retention" });
        Assert.Equal(3, Assert.Single(latest.Data!["metricDefinitions"]!.AsArray())!["version"]!.GetValue<int>());
        var all = await Host.GraphQLAsync(grace, List, new { key = "logo_retention", allVersions = true });
        Assert.Equal(3, all.Data!["metricDefinitions"]!.AsArray().Count);
        var drafts = await Host.GraphQLAsync(grace, List, new { status = "DRAFT" });
        Assert.Equal(2, Assert.Single(drafts.Data!["metricDefinitions"]!.AsArray())!["version"]!.GetValue<int>());
        var health = await Host.GraphQLAsync(grace, List, new { focusArea = "HEALTH_AND_ENGAGEMENT" });
        Assert.DoesNotContain(health.Data!["metricDefinitions"]!.AsArray(), d => d!["key"]!.GetValue<string>() == "logo_retention");
    }

    [Fact]
    public async Task ShouldShowTheChangedFieldsInADiff()
    {
        var (_, ada, _, _) = await NewTenantAsync();
        await ProposeAsync(ada, Input());
        var second = Input(formula: "customers_retained / customers_start else 0", reason: "zero when nobody was a customer");
        second["effectiveFrom"] = "2026-07-01";
        second["direction"] = "LOWER_IS_BETTER";
        await ProposeAsync(ada, second);

        var response = await Host.GraphQLAsync(ada, Diff, new { key = "logo_retention", from = 1, to = 2 });

        response.AssertNoErrors();
        var diff = response.Data!["metricDefinitionDiff"]!;
        Assert.Equal((1, 2), (diff["from"]!["version"]!.GetValue<int>(), diff["to"]!["version"]!.GetValue<int>()));
        var changes = diff["changes"]!.AsArray()
            .ToDictionary(c => c!["field"]!.GetValue<string>(), c => (c!["before"]?.GetValue<string>(), c["after"]?.GetValue<string>()));
        Assert.Equal(["formula", "direction", "effectiveFrom", "reason"], changes.Keys);
        Assert.Equal(("customers_retained / customers_start else null", "customers_retained / customers_start else 0"), changes["formula"]);
        Assert.Equal(("2026-04-01", "2026-07-01"), changes["effectiveFrom"]);

        var missing = await Host.GraphQLAsync(ada, Diff, new { key = "logo_retention", from = 1, to = 9 });
        Assert.Equal("NOT_FOUND", missing.FirstErrorCode);
    }

    [Fact]
    public async Task ShouldNameEveryInvalidFieldAndStoreNothing()
    {
        var (tenant, ada, _, _) = await NewTenantAsync();
        var before = await StoredVersionsAsync(tenant);
        var input = Input(key: "Bad Key", reason: "");
        input["name"] = " ";
        input["dataOwner"] = "";
        input["effectiveFrom"] = "1999-12-31";

        var response = await Host.GraphQLAsync(ada, Propose, new { input });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Null(response.Data!["proposeMetricDefinition"]);
        Assert.All(response.Errors, e => Assert.Equal("INVALID_INPUT", Code(e)));
        Assert.Equal(["input.key", "input.name", "input.dataOwner", "input.reason", "input.effectiveFrom"], response.Errors.Select(Field));
        Assert.All(response.Errors, e => Assert.StartsWith(Field(e), e!["message"]!.GetValue<string>()));
        Assert.Equal(before, await StoredVersionsAsync(tenant));
    }

    [Fact]
    public async Task ShouldReportAnUnknownMeasureWithItsLineAndColumn()
    {
        // Depends on the formula compiler (UNKNOWN_MEASURE and its position).
        var (tenant, ada, _, _) = await NewTenantAsync();
        var before = await StoredVersionsAsync(tenant);

        var response = await Host.GraphQLAsync(ada, Propose, new { input = Input(formula: "customers_retained\n  / nonsense_measure else null") });

        Assert.All(response.Errors, e => Assert.Equal("input.formula", Field(e)));
        var error = response.Errors.First(e => e!["extensions"]!["data"]!["formulaCode"]!.GetValue<string>() == "UNKNOWN_MEASURE")!;
        Assert.Equal("INVALID_INPUT", Code(error));
        var data = error["extensions"]!["data"]!;
        Assert.Equal("UNKNOWN_MEASURE", data["formulaCode"]!.GetValue<string>());
        Assert.Equal((2, 5, 23), (data["line"]!.GetValue<int>(), data["column"]!.GetValue<int>(), data["offset"]!.GetValue<int>()));
        Assert.Contains("line 2, column 5", error["message"]!.GetValue<string>());
        Assert.Equal(before, await StoredVersionsAsync(tenant));
    }

    public static TheoryData<string, string, string, int, int> CompilerRejections => new()
    {
        // Depend on the formula compiler: codes and positions as agreed for the formula language.
        { "mrr_start + * mrr_end", "MONEY", "SYNTAX", 1, 13 },
        { "mrr_start +\n  customers_start", "MONEY", "UNIT_MISMATCH", 0, 0 },
        { "mrr_retained / mrr_start", "RATIO", "UNGUARDED_DIVISION", 1, 0 },
    };

    [Theory]
    [MemberData(nameof(CompilerRejections))]
    public async Task ShouldRefuseAProposalTheCompilerRejectsNamingWhere(string formula, string unit, string code, int line, int column)
    {
        var (tenant, ada, _, _) = await NewTenantAsync();
        var before = await StoredVersionsAsync(tenant);
        var input = Input(formula: formula);
        input["unit"] = unit;

        var response = await Host.GraphQLAsync(ada, Propose, new { input });

        Assert.Null(response.Data!["proposeMetricDefinition"]);
        var error = response.Errors.FirstOrDefault(e => e!["extensions"]!["data"]!["formulaCode"]?.GetValue<string>() == code);
        Assert.True(error is not null, response.ToString());
        Assert.Equal("INVALID_INPUT", Code(error));
        Assert.Equal("input.formula", Field(error));
        AssertPosition(error!["extensions"]!["data"]!, line, column);
        Assert.Equal(before, await StoredVersionsAsync(tenant));
    }

    [Theory]
    [MemberData(nameof(CompilerRejections))]
    public async Task ShouldExplainACompilerRejectionWhenCheckingAFormula(string formula, string unit, string code, int line, int column)
    {
        var (_, ada, _, _) = await NewTenantAsync();

        var response = await Host.GraphQLAsync(ada, Check, new { formula, unit });

        response.AssertNoErrors();
        var check = response.Data!["checkMetricFormula"]!;
        Assert.False(check["valid"]!.GetValue<bool>());
        var error = check["errors"]!.AsArray().FirstOrDefault(e => e!["code"]!.GetValue<string>() == code);
        Assert.True(error is not null, response.ToString());
        AssertPosition(error!, line, column);
    }

    /// <summary>Line and column as given; 0 means "any valid position" where the compiler decides the exact span.</summary>
    private static void AssertPosition(JsonNode data, int line, int column)
    {
        var actualLine = data["line"]!.GetValue<int>();
        var actualColumn = data["column"]!.GetValue<int>();
        Assert.True(line == 0 ? actualLine >= 1 : actualLine == line, $"line {actualLine}");
        Assert.True(column == 0 ? actualColumn >= 1 : actualColumn == column, $"column {actualColumn}");
    }

    [Fact]
    public async Task ShouldCheckAValidFormulaWithoutStoringAnything()
    {
        var (tenant, ada, _, _) = await NewTenantAsync();
        var before = await StoredVersionsAsync(tenant);

        var valid = await Host.GraphQLAsync(ada, Check, new { formula = "mrr_retained / mrr_start else null", unit = "RATIO" });
        var invalid = await Host.GraphQLAsync(ada, Check, new { formula = "mrr_start - churn_everything", unit = "MONEY" });

        valid.AssertNoErrors();
        Assert.True(valid.Data!["checkMetricFormula"]!["valid"]!.GetValue<bool>());
        Assert.Empty(valid.Data["checkMetricFormula"]!["errors"]!.AsArray());
        invalid.AssertNoErrors();
        Assert.False(invalid.Data!["checkMetricFormula"]!["valid"]!.GetValue<bool>());
        var error = invalid.Data["checkMetricFormula"]!["errors"]!.AsArray().First(e => e!["code"]!.GetValue<string>() == "UNKNOWN_MEASURE")!;
        Assert.Equal((1, 13), (error["line"]!.GetValue<int>(), error["column"]!.GetValue<int>()));
        Assert.Equal(before, await StoredVersionsAsync(tenant));
    }

    private static Dictionary<string, object?> HealthInput(params string[] componentKeys)
    {
        var input = Input(key: "customer_health", formula: null);
        input["kind"] = "HEALTH_SCORE";
        input["unit"] = "SCORE";
        input["focusArea"] = "HEALTH_AND_ENGAGEMENT";
        input["health"] = new
        {
            profiles = new object[]
            {
                new
                {
                    segment = (string?)null,
                    components = componentKeys.Select(k => new { metricKey = k, weight = 1m, worst = 0.8m, best = 1.2m }).ToArray(),
                    redBelow = 40m, greenFrom = 70m, missing = "RENORMALIZE", minCoverage = 0.5m,
                },
                new
                {
                    segment = "enterprise",
                    components = new[] { new { metricKey = componentKeys[0], weight = 3m, worst = 1.0m, best = 0.9m } },
                    redBelow = 50m, greenFrom = 80m, missing = "NO_SCORE", minCoverage = 1m,
                },
            },
        };
        return input;
    }

    [Fact]
    public async Task ShouldProposeAHealthScoreOverTheTenantsFormulaMetrics()
    {
        var (_, ada, _, _) = await NewTenantAsync();

        var health = await ProposeAsync(ada, HealthInput("net_revenue_retention", "gross_revenue_retention"));

        Assert.Equal(("HEALTH_SCORE", "DRAFT", "SCORE"), (health["kind"]!.GetValue<string>(), health["status"]!.GetValue<string>(), health["unit"]!.GetValue<string>()));
        Assert.Null(health["formula"]);
        var profiles = health["health"]!["profiles"]!.AsArray();
        Assert.Equal(2, profiles.Count);
        Assert.Null(profiles[0]!["segment"]);
        Assert.Equal(["net_revenue_retention", "gross_revenue_retention"], profiles[0]!["components"]!.AsArray().Select(c => c!["metricKey"]!.GetValue<string>()));
        Assert.Equal("RENORMALIZE", profiles[0]!["missing"]!.GetValue<string>());
        Assert.Equal((50m, 80m), (profiles[1]!["redBelow"]!.GetValue<decimal>(), profiles[1]!["greenFrom"]!.GetValue<decimal>()));
        Assert.Equal(0.9m, profiles[1]!["components"]![0]!["best"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task ShouldRefuseAHealthScoreOverAMetricTheTenantDoesNotHave()
    {
        var (tenant, ada, _, _) = await NewTenantAsync();
        var before = await StoredVersionsAsync(tenant);

        var response = await Host.GraphQLAsync(ada, Propose, new { input = HealthInput("net_revenue_retention", "no_such_metric") });

        var error = Assert.Single(response.Errors);
        Assert.Equal("INVALID_INPUT", Code(error));
        Assert.Equal("input.health.profiles[0].components[1].metricKey", Field(error));
        Assert.Equal(before, await StoredVersionsAsync(tenant));
    }

    [Fact]
    public async Task ShouldNotLetASecondTenantSeeOrChangeTheFirstTenantsDefinitions()
    {
        var (_, firstOwner, _, _) = await NewTenantAsync("a");
        var (_, secondOwner, secondOther, _) = await NewTenantAsync("b");
        await ProposeAsync(firstOwner, Input(key: "first_only"));

        var seen = await Host.GraphQLAsync(secondOwner, One, new { key = "first_only" });
        var missing = await Host.GraphQLAsync(secondOwner, One, new { key = "never_proposed" });
        var history = await Host.GraphQLAsync(secondOwner, History, new { key = "first_only" });
        var diff = await Host.GraphQLAsync(secondOwner, Diff, new { key = "first_only", from = 1, to = 1 });
        var list = await Host.GraphQLAsync(secondOwner, List, new { allVersions = true });
        var approve = await Host.GraphQLAsync(secondOther, Approve, new { key = "first_only", version = 1 });
        var retire = await Host.GraphQLAsync(secondOther, Retire, new { key = "first_only", version = 1, reason = "not ours" });

        // The same answer as for a key nobody has: nothing says the first tenant holds it.
        Assert.Null(seen.Data!["metricDefinition"]);
        Assert.Equal("NOT_FOUND", seen.FirstErrorCode);
        Assert.Equal(
            missing.Errors[0]!["message"]!.GetValue<string>().Replace("never_proposed", "first_only", StringComparison.Ordinal),
            seen.Errors[0]!["message"]!.GetValue<string>());
        Assert.Equal("NOT_FOUND", history.FirstErrorCode);
        Assert.Equal("NOT_FOUND", diff.FirstErrorCode);
        Assert.DoesNotContain(list.Data!["metricDefinitions"]!.AsArray(), d => d!["key"]!.GetValue<string>() == "first_only");
        Assert.Equal("NOT_FOUND", approve.FirstErrorCode);
        Assert.Null(approve.Data!["approveMetricDefinition"]);
        Assert.Equal("NOT_FOUND", retire.FirstErrorCode);
        Assert.Equal("DRAFT", await StatusAsync(firstOwner, "first_only", 1));
        Assert.Null((await Host.GraphQLAsync(firstOwner, One, new { key = "first_only", version = 1 })).Data!["metricDefinition"]!["approvedBy"]);
    }

    [Fact]
    public async Task ShouldRefuseDefinitionsToAnIntegrationAndApprovalToACsManager()
    {
        var tenant = ApiFixture.NewTenantId();
        var integration = await Host.NewTenantTokenAsync(tenant);
        var manager = await Host.NewRoleTokenAsync(tenant, Roles.CsManager);
        var auditor = await Host.NewRoleTokenAsync(tenant, Roles.Auditor);

        var propose = await Host.GraphQLAsync(integration, Propose, new { input = Input() });
        var read = await Host.GraphQLAsync(integration, List, new { });
        var auditorPropose = await Host.GraphQLAsync(auditor, Propose, new { input = Input() });
        var auditorRead = await Host.GraphQLAsync(auditor, List, new { });
        var managerApproves = await Host.GraphQLAsync(manager, Approve, new { key = "net_revenue_retention", version = 1 });

        Assert.Equal((HttpStatusCode.Forbidden, "ACCESS_DENIED"), (propose.Status, propose.FirstErrorCode));
        Assert.Equal((HttpStatusCode.Forbidden, "ACCESS_DENIED"), (read.Status, read.FirstErrorCode));
        Assert.Equal((HttpStatusCode.Forbidden, "ACCESS_DENIED"), (auditorPropose.Status, auditorPropose.FirstErrorCode));
        auditorRead.AssertNoErrors();
        Assert.Equal((HttpStatusCode.Forbidden, "ACCESS_DENIED"), (managerApproves.Status, managerApproves.FirstErrorCode));
        Assert.Equal("logo_retention", (await ProposeAsync(manager, Input()))["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShouldGiveConcurrentProposalsDistinctVersions()
    {
        var (_, ada, grace, manager) = await NewTenantAsync();
        string[] tokens = [ada, grace, manager, ada, grace, manager];

        var proposals = await Task.WhenAll(tokens.Select((token, i) => ProposeAsync(token, Input(reason: $"proposal {i}"))));

        Assert.Equal([1, 2, 3, 4, 5, 6], proposals.Select(p => p["version"]!.GetValue<int>()).Order());
    }

    [Fact]
    public async Task ShouldSeedTheBuiltInsOfExistingTenantsWhenAHostStarts()
    {
        // A tenant from before the catalog existed: its row only, no definitions.
        var tenant = ApiFixture.NewTenantId("old");
        await using (var connection = fixture.Database.Open())
        await using (var insert = new NpgsqlCommand("insert into tenants (tenant_id, name, created_by) values ($1, 'Old tenant', 'test')", connection))
        {
            insert.Parameters.Add(new() { Value = tenant });
            await insert.ExecuteNonQueryAsync();
        }

        Assert.Equal(0, await StoredVersionsAsync(tenant));

        await using (var restarted = new GovernanceHost(Host.Settings))
        {
            _ = restarted.Server; // start: seeding runs before the host serves
        }

        var token = await Host.NewRoleTokenAsync(tenant, Roles.Auditor);
        var response = await Host.GraphQLAsync(token, List, new { allVersions = true });
        response.AssertNoErrors();
        Assert.Equal(BuiltInMetrics.All.Select(d => $"{d.Key}:1:APPROVED").Order(),
            response.Data!["metricDefinitions"]!.AsArray().Select(d => $"{d!["key"]}:{d["version"]}:{d["status"]}"));
        var audit = await Host.GraphQLAsync(token, "{ auditEntries { actor action after } }");
        audit.AssertNoErrors();
        var seeded = Assert.Single(audit.Data!["auditEntries"]!.AsArray())!;
        Assert.Equal(("system", "metric_definition.seeded"), (seeded["actor"]!.GetValue<string>(), seeded["action"]!.GetValue<string>()));
        Assert.Equal(BuiltInMetrics.All.Select(d => d.Key).Order(StringComparer.Ordinal),
            System.Text.Json.Nodes.JsonNode.Parse(seeded["after"]!.GetValue<string>())!["added"]!.AsArray().Select(a => a!["key"]!.GetValue<string>()));
    }
}
