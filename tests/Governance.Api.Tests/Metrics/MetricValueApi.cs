using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Governance.Api.Tests.Infrastructure;

namespace Governance.Api.Tests.Metrics;

/// <summary>The metric value queries and the facts the value tests send, over one host.</summary>
internal sealed class MetricValueApi(GovernanceHost host)
{
    public const string ValueFields = """
        key version versionStatus inForceVersion scope period value nullReason
        measures { measure period value }
        restatement { originalVersion originalValue originalNullReason difference }
        health { band segment coverage components { metricKey version weight value points missingReason } }
        trend { previousPeriod previousScore previousBand change direction }
        """;

    /// <summary>For lists: the health breakdown is left out, as its nested lists would make the query too complex (docs/api.md).</summary>
    public const string ListFields = """
        key version versionStatus inForceVersion scope period value nullReason
        measures { measure value }
        restatement { originalVersion originalValue difference }
        health { band }
        """;

    public const string Value = $$"""
        query($key: String!, $scope: MetricScopeInput!, $period: String!, $version: Int) {
          metricValue(key: $key, scope: $scope, period: $period, version: $version) { {{ValueFields}} }
        }
        """;

    public const string Values = $$"""
        query($keys: [String!], $scope: MetricScopeInput!, $period: String!) {
          metricValues(keys: $keys, scope: $scope, period: $period) { {{ListFields}} }
        }
        """;

    public const string Series = $$"""
        query($key: String!, $scope: MetricScopeInput!, $from: String!, $to: String!, $version: Int) {
          metricSeries(key: $key, scope: $scope, from: $from, to: $to, version: $version) { {{ListFields}} }
        }
        """;

    private const string Ingest = "mutation($input: IngestFactsInput!) { ingestFacts(input: $input) { accepted duplicates late } }";

    public GovernanceHost Host { get; } = host;

    public Task<GraphQLResponse> ValueResponseAsync(string token, string key, object scope, string period, int? version = null) =>
        Host.GraphQLAsync(token, Value, new { key, scope, period, version });

    public async Task<JsonNode> ValueAsync(string token, string key, object scope, string period, int? version = null)
    {
        var response = await ValueResponseAsync(token, key, scope, period, version);
        response.AssertNoErrors();
        return response.Data!["metricValue"]!;
    }

    /// <summary>metricValues for the keys given; with none, without the keys argument (every metric in force).</summary>
    public async Task<JsonArray> ValuesAsync(string token, object scope, string period, params string[] keys)
    {
        var response = await Host.GraphQLAsync(token, Values, new { keys = keys.Length == 0 ? null : keys, scope, period });
        response.AssertNoErrors();
        return response.Data!["metricValues"]!.AsArray();
    }

    public async Task<JsonArray> SeriesAsync(string token, string key, object scope, string from, string to, int? version = null)
    {
        var response = await Host.GraphQLAsync(token, Series, new { key, scope, from, to, version });
        response.AssertNoErrors();
        return response.Data!["metricSeries"]!.AsArray();
    }

    /// <summary>Sends facts; delivery to the grains and roll-ups is over when the mutation answers.</summary>
    public async Task<JsonNode> IngestAsync(string token, params object[] facts)
    {
        var response = await Host.GraphQLAsync(token, Ingest, new { input = new { facts } });
        response.AssertNoErrors();
        return response.Data!["ingestFacts"]!;
    }

    public async Task ClosePeriodAsync(string token, string month)
    {
        var response = await Host.GraphQLAsync(token, "mutation($month: DateOnly!) { closePeriod(month: $month) }", new { month });
        response.AssertNoErrors();
    }

    /// <summary>Proposes a formula metric (a ratio) as <paramref name="author"/>; returns its version.</summary>
    public async Task<int> ProposeAsync(string author, string key, string formula, string effectiveFrom, string reason)
    {
        var input = new Dictionary<string, object?>
        {
            ["key"] = key,
            ["name"] = key,
            ["description"] = reason,
            ["kind"] = "FORMULA",
            ["formula"] = formula,
            ["unit"] = "RATIO",
            ["direction"] = "LOWER_IS_BETTER",
            ["focusArea"] = "RETENTION_AND_CHURN",
            ["journeyStage"] = "VALUE_REALIZATION",
            ["indicator"] = "LAGGING",
            ["dataOwner"] = "CS Ops",
            ["effectiveFrom"] = effectiveFrom,
            ["reason"] = reason,
        };
        var proposed = await Host.GraphQLAsync(author,
            "mutation($input: ProposeMetricDefinitionInput!) { proposeMetricDefinition(input: $input) { version } }", new { input });
        proposed.AssertNoErrors();
        return proposed.Data!["proposeMetricDefinition"]!["version"]!.GetValue<int>();
    }

    /// <summary>Proposes a formula metric as <paramref name="author"/> and approves it as <paramref name="approver"/> (another subject).</summary>
    public async Task ProposeAndApproveAsync(string author, string approver, string key, string formula, string effectiveFrom, string reason)
    {
        var version = await ProposeAsync(author, key, formula, effectiveFrom, reason);
        var approved = await Host.GraphQLAsync(approver,
            "mutation($key: String!, $version: Int!) { approveMetricDefinition(key: $key, version: $version, reason: \"checked\") { status } }",
            new { key, version });
        approved.AssertNoErrors();
        Assert.Equal("APPROVED", approved.Data!["approveMetricDefinition"]!["status"]!.GetValue<string>());
    }

    public static string Code(GraphQLResponse response) => response.FirstErrorCode ?? $"no error: {response}";

    public static string? ErrorField(GraphQLResponse response) => response.Errors.FirstOrDefault()?["extensions"]?["data"]?["field"]?.GetValue<string>();

    public static string ErrorMessage(GraphQLResponse response) => response.Errors[0]!["message"]!.GetValue<string>();
}

/// <summary>Reading a metric value's JSON.</summary>
internal static class ValueJson
{
    // JsonArray items are nullable; a missing value is a failed test either way.
    public static decimal? Number(this JsonNode? value, string field = "value") => value![field]?.GetValue<decimal>();

    public static string? Text(this JsonNode? value, string field) => value![field]?.GetValue<string>();

    public static int? Int(this JsonNode? value, string field) => value![field]?.GetValue<int>();

    /// <summary>The measures a value was computed from, as (measure, value) in the order the formula reads them.</summary>
    public static (string Measure, decimal? Value)[] Measures(this JsonNode value) =>
        value["measures"]!.AsArray().Select(m => (m!["measure"]!.GetValue<string>(), m["value"]?.GetValue<decimal>())).ToArray();

    public static JsonNode ByKey(this JsonArray values, string key) => values.Single(v => v!["key"]!.GetValue<string>() == key)!;
}

/// <summary>Fact inputs as the ingest mutation takes them; days are "yyyy-MM-dd" (midnight UTC).</summary>
internal static class MetricFacts
{
    public static object Created(string account, string day, string? owner = null, string? segment = null) => new
    {
        source = "crm", externalId = $"created-{account}", accountId = account, occurredAt = At(day),
        accountCreated = new { name = $"Customer {account}", segment, ownerExecutiveId = owner },
    };

    public static object Mrr(string account, string externalId, string movement, decimal amount, string day, string? supersedes = null) => new
    {
        source = "billing", externalId, accountId = account, occurredAt = At(day), supersedes,
        mrrChanged = new { movement, amount, currency = "USD" },
    };

    public static object Nps(string account, string externalId, int score, string day) => new
    {
        source = "surveys", externalId, accountId = account, occurredAt = At(day),
        surveyResponded = new { survey = "NPS", score },
    };

    public static object Usage(string account, string externalId, string user, string day, string? feature = null) => new
    {
        source = "app", externalId, accountId = account, occurredAt = At(day),
        usageRecorded = new { userId = user, @event = "open", feature, count = 1 },
    };

    public static object Resolved(string account, string ticketId, string day, int contacts) => new
    {
        source = "helpdesk", externalId = $"resolved-{ticketId}", accountId = account, occurredAt = At(day, "T12:00:00Z"),
        ticketResolved = new { ticketId, openedAt = At(day), contacts },
    };

    /// <summary>
    /// Five customers of one portfolio over the first quarter of 2025 (the story of the domain's
    /// KpiCatalogTests), all created 2024-10-01, amounts in USD:
    /// A paid 1,000 from November, expanded 200 in January, contracted 50 in February;
    /// B paid 500 from December and churned in March;
    /// C was acquired for 300 in January and churned in February (acquired and lost in the quarter);
    /// D paid 400 from October, churned in December and came back for 250 in February (reactivated after an earlier quarter's churn);
    /// E paid 100 from December, churned in January and came back for 100 in March (left and returned within the quarter).
    /// Customers at the end of each month: Dec A B E; Jan A B C; Feb A B D; Mar A D E; and so on.
    /// </summary>
    public static object[] RetentionStory(string prefix, string executive, string? segment) =>
    [
        Created($"{prefix}a", "2024-10-01", executive, segment),
        Created($"{prefix}b", "2024-10-01", executive, segment),
        Created($"{prefix}c", "2024-10-01", executive, segment),
        Created($"{prefix}d", "2024-10-01", executive, segment),
        Created($"{prefix}e", "2024-10-01", executive, segment),
        Mrr($"{prefix}a", $"{prefix}a-new", "NEW", 1_000m, "2024-11-01"),
        Mrr($"{prefix}a", $"{prefix}a-up", "EXPANSION", 200m, "2025-01-10"),
        Mrr($"{prefix}a", $"{prefix}a-down", "CONTRACTION", 50m, "2025-02-10"),
        Mrr($"{prefix}b", $"{prefix}b-new", "NEW", 500m, "2024-12-01"),
        Mrr($"{prefix}b", $"{prefix}b-churn", "CHURN", 500m, "2025-03-10"),
        Mrr($"{prefix}c", $"{prefix}c-new", "NEW", 300m, "2025-01-05"),
        Mrr($"{prefix}c", $"{prefix}c-churn", "CHURN", 300m, "2025-02-05"),
        Mrr($"{prefix}d", $"{prefix}d-new", "NEW", 400m, "2024-10-01"),
        Mrr($"{prefix}d", $"{prefix}d-churn", "CHURN", 400m, "2024-12-15"),
        Mrr($"{prefix}d", $"{prefix}d-back", "REACTIVATION", 250m, "2025-02-20"),
        Mrr($"{prefix}e", $"{prefix}e-new", "NEW", 100m, "2024-12-01"),
        Mrr($"{prefix}e", $"{prefix}e-churn", "CHURN", 100m, "2025-01-20"),
        Mrr($"{prefix}e", $"{prefix}e-back", "REACTIVATION", 100m, "2025-03-20"),
    ];

    private static string At(string day, string time = "T00:00:00Z") => day + time;
}

/// <summary>
/// State a test class sets up once and its tests only read: one per host (the collection shares
/// one), built on first use. Tests of a collection run one at a time, so no lock is needed.
/// </summary>
internal sealed class SharedSetup<T>(Func<GovernanceHost, Task<T>> setUp)
    where T : class
{
    private readonly ConditionalWeakTable<GovernanceHost, Task<T>> _byHost = [];

    public Task<T> GetAsync(GovernanceHost host) => _byHost.GetValue(host, h => setUp(h));
}
