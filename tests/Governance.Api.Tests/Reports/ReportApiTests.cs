using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Governance.Abstractions.Security;
using Governance.Api.Jobs;
using Governance.Api.Reports;
using Governance.Api.Tests.Infrastructure;
using Governance.Api.Tests.Metrics;
using Governance.Storage.Findings;
using Microsoft.Extensions.DependencyInjection;
using static Governance.Api.Tests.Metrics.MetricFacts;

namespace Governance.Api.Tests.Reports;

/// <summary>
/// Reports through the API and as files over the retention story (<see cref="MetricFacts.RetentionStory"/>)
/// of one executive in 2025-Q1, in a tenant the tests only read.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ReportApiTests(ApiFixture fixture)
{
    private const string Executive = "exec-report";

    private const string ReportQuery = """
        query($cadence: ReportCadence!, $scope: MetricScopeInput!, $period: String!) {
          report(cadence: $cadence, scope: $scope, period: $period) {
            cadence title scope period currentPeriod previousPeriod yearAgoPeriod generatedAt notes markdown
            sections { key title items { kind text metricKey metricName unit direction accountId value previous change yearAgo changeFromYearAgo verdict band nullReason findingId } }
          }
        }
        """;

    private static readonly object ExecutiveScope = new { executive = Executive };

    private static readonly SharedSetup<Story> Shared = new(SetUpAsync);

    /// <summary>The story's accounts r-a … r-e in the executive's portfolio, and one open finding on its NRR of February 2025.</summary>
    private sealed record Story(string Tenant, string Reader);

    private static async Task<Story> SetUpAsync(GovernanceHost host)
    {
        var tenant = ApiFixture.NewTenantId("rep");
        var integration = await host.NewTenantTokenAsync(tenant);
        await new MetricValueApi(host).IngestAsync(integration, RetentionStory("r-", Executive, "mid-market"));
        await host.Services.GetRequiredService<FindingStore>().RaiseAsync(tenant,
        [
            new NewFinding("anomaly", $"anomaly:net_revenue_retention:executive:{Executive}:2025-02", $"executive:{Executive}", "net_revenue_retention", "2025-02",
                "billing", "NRR of February is far below its history", "{}"),
        ], "anomalies");
        return new Story(tenant, await host.NewRoleTokenAsync(tenant, Roles.Executive));
    }

    private Task<Story> StoryAsync() => Shared.GetAsync(fixture.Host);

    private static readonly string[] SectionTitles =
        ["Executive Summary", "Key Metrics & Trends", "Customer Health Highlights", "Churn & Expansion Risks", "Actions & Next Steps", "Wins & Learnings"];

    private GovernanceHost Host => fixture.Host;

    [Fact]
    public async Task ShouldBuildTheQuarterlyExecutiveReportInTheSixSectionsWithTheStorysNumbers()
    {
        var story = await StoryAsync();

        var report = await ReportAsync(story.Reader, "QUARTERLY_EXECUTIVE", ExecutiveScope, "2025-Q1");

        Assert.Equal(("QUARTERLY_EXECUTIVE", $"executive:{Executive}", "2025-Q1"), (report.Text("cadence"), report.Text("scope"), report.Text("period")));
        Assert.Equal(("2025-Q1", "2024-Q4", "2024-Q1"), (report.Text("currentPeriod"), report.Text("previousPeriod"), report.Text("yearAgoPeriod")));
        var sections = report["sections"]!.AsArray();
        Assert.Equal(
            ["EXECUTIVE_SUMMARY", "KEY_METRICS_AND_TRENDS", "CUSTOMER_HEALTH_HIGHLIGHTS", "CHURN_AND_EXPANSION_RISKS", "ACTIONS_AND_NEXT_STEPS", "WINS_AND_LEARNINGS"],
            sections.Select(s => s.Text("key")));
        Assert.Equal(SectionTitles, sections.Select(s => s.Text("title")));

        // The quarterly list, in order, each a value of the executive's portfolio.
        var metrics = Items(sections, "KEY_METRICS_AND_TRENDS").Where(i => i.Text("kind") == "METRIC").ToList();
        Assert.Equal(
            ["net_revenue_retention", "gross_revenue_retention", "customer_retention_rate", "customer_churn_rate", "customer_downgrade_rate",
             "check_in_impact_score", "qbr_engagement_rate", "annual_recurring_revenue", "customer_health_score"],
            metrics.Select(m => m.Text("metricKey")));
        // NRR (1,600 + 200 + 100 − 50 − 600) / 1,600 (MetricValueApiTests); 2024-Q4 and 2024-Q1 had no MRR at their start: no data, not 0.
        var nrr = metrics.ByKey("net_revenue_retention");
        Assert.Equal((0.78125m, null, null, null, "NO_DATA"), (nrr.Number(), nrr.Number("previous"), nrr.Number("change"), nrr.Number("yearAgo"), nrr.Text("verdict")));
        Assert.Equal(("RATIO", "HIGHER_IS_BETTER"), (nrr.Text("unit"), nrr.Text("direction")));
        // Customers at the start A, B, E; B lost by the end → 1 / 3.
        Assert.Equal(1m / 3m, metrics.ByKey("customer_churn_rate").Number());
        // ARR: 12 × MRR at the end, 1,500 (A 1,150 + D 250 + E 100) against 1,600 (A 1,000 + B 500 + E 100): worse for a higher-is-better metric.
        var arr = metrics.ByKey("annual_recurring_revenue");
        Assert.Equal((18_000m, 19_200m, -1_200m, 0m, "WORSENED"), (arr.Number(), arr.Number("previous"), arr.Number("change"), arr.Number("yearAgo"), arr.Text("verdict")));
        // No QBR was held: its impact has no value, and says why.
        Assert.Equal((null, "zero denominator: accounts_with_qbr"), (metrics.ByKey("check_in_impact_score").Number(), metrics.ByKey("check_in_impact_score").Text("nullReason")));
        // The same numbers as metricValue gives for the scope.
        var api = new MetricValueApi(Host);
        Assert.Equal((await api.ValueAsync(story.Reader, "customer_health_score", ExecutiveScope, "2025-Q1")).Number(), metrics.ByKey("customer_health_score").Number());

        var summary = Items(sections, "EXECUTIVE_SUMMARY").Select(i => i.Text("text")).ToList();
        Assert.Contains("Customers: 3 at the start of 2025-Q1, 1 lost, 1 new, 3 at the end; MRR 1,600.00 to 1,500.00.", summary);
        Assert.Contains("Net Revenue Retention: 78.1 % (2024-Q4: no data); 2024-Q1: no data.", summary);

        // Churn risk of A: 40 × its downgrade + 30 × no usage = 70; B and E only lack usage: 30.
        var churnRisks = Items(sections, "CHURN_AND_EXPANSION_RISKS").Where(i => i.Text("kind") == "CHURN_RISK").ToList();
        Assert.Equal([("r-a", 70m), ("r-b", 30m), ("r-e", 30m)], churnRisks.Select(r => (r.Text("accountId"), r.Number())));
        Assert.Contains(Items(sections, "CHURN_AND_EXPANSION_RISKS"), i => i.Text("text") == "Churned in 2025-Q1: r-b (MRR lost 500.00)" && i.Number() == 500m);

        var actions = Items(sections, "ACTIONS_AND_NEXT_STEPS");
        Assert.Contains(actions, a => a.Text("text") == "Reach out to 1 account with a churn risk of 50 or more (r-a).");
        Assert.Contains(actions, a => a.Text("text")!.StartsWith("Annual Recurring Revenue worsened (-1,200.00 vs 2024-Q4)", StringComparison.Ordinal));
        var finding = Assert.Single(actions, a => a.Text("kind") == "FINDING");
        Assert.Equal(("net_revenue_retention", true), (finding.Text("metricKey"), finding.Text("findingId") is not null));
        Assert.Contains("NRR of February is far below its history", finding.Text("text"));

        var wins = Items(sections, "WINS_AND_LEARNINGS");
        Assert.Contains(wins, w => w.Text("kind") == "WIN" && w.Text("accountId") == "r-a" && w.Number() == 200m);
        Assert.Contains(wins, w => w.Text("kind") == "LEARNING" && w.Text("metricKey") == "annual_recurring_revenue");

        var markdown = report.Text("markdown")!;
        Assert.StartsWith($"# Quarterly executive review — executive:{Executive} — 2025-Q1", markdown);
        var headings = SectionTitles.Select(t => markdown.IndexOf($"\n## {t}\n", StringComparison.Ordinal)).ToList();
        Assert.All(headings, h => Assert.True(h > 0));
        Assert.Equal(headings.Order(), headings);
        Assert.Contains("| Net Revenue Retention | 78.1 % | no data | no data | no data | no data | no data |", markdown);
        Assert.Contains("| Customer Churn Rate | 33.3 % |", markdown);
        Assert.Contains("| Annual Recurring Revenue | 18,000.00 | 19,200.00 | -1,200.00 | 0.00 | +18,000.00 | worse |", markdown);
        Assert.Contains("MRR 1,600.00 to 1,500.00", markdown);
        Assert.Contains("- **Win:** r-a expanded by 200.00 MRR.", markdown);
    }

    [Fact]
    public async Task ShouldReadTheMonthOfAWeekAndTheCadencesOwnMetrics()
    {
        var story = await StoryAsync();

        // ISO week 11 of 2025 runs from Monday 10 March to Sunday 16 March; week 14 from 31 March to 6 April: the month it ends in.
        var weekly = await ReportAsync(story.Reader, "WEEKLY_TEAM", ExecutiveScope, "2025-W11");
        var straddling = await ReportAsync(story.Reader, "WEEKLY_TEAM", ExecutiveScope, "2025-W14");
        var monthly = await ReportAsync(story.Reader, "MONTHLY_LEADERSHIP", ExecutiveScope, "2025-03");

        Assert.Equal(("2025-W11", "2025-03", "2025-02", null), (weekly.Text("period"), weekly.Text("currentPeriod"), weekly.Text("previousPeriod"), weekly.Text("yearAgoPeriod")));
        Assert.Equal("2025-04", straddling.Text("currentPeriod"));
        Assert.Equal(
            ["churn_risk_score", "expansion_opportunity_score", "customer_satisfaction_score", "average_csat", "customer_effort_score", "customer_health_score"],
            MetricKeys(weekly));
        Assert.Equal(("2025-03", "2025-02"), (monthly.Text("currentPeriod"), monthly.Text("previousPeriod")));
        Assert.Equal(
            ["net_revenue_retention", "gross_revenue_retention", "expansion_revenue_growth_rate", "customer_retention_rate",
             "customer_churn_rate", "net_revenue_churn", "expansion_revenue_rate", "customer_health_score"],
            MetricKeys(monthly));
        // March: MRR at the start A 1,150 + B 500 + D 250 = 1,900; B churned 500 → NRR 1,400 / 1,900; February: A 1,200 + B 500 + C 300 = 2,000 at the start,
        // A contracted 50, C churned 300 → 1,650 / 2,000 (D's return is not a flow of those paying at the start).
        var nrr = Items(monthly["sections"]!.AsArray(), "KEY_METRICS_AND_TRENDS").ByKey("net_revenue_retention");
        Assert.Equal((1_400m / 1_900m, 1_650m / 2_000m), (nrr.Number(), nrr.Number("previous")));
        Assert.Equal("WORSENED", nrr.Text("verdict"));
        Assert.Contains("## Executive Summary", monthly.Text("markdown"));
    }

    [Fact]
    public async Task ShouldServeTheSameReportAsAMarkdownFile()
    {
        var story = await StoryAsync();
        var report = await ReportAsync(story.Reader, "QUARTERLY_EXECUTIVE", ExecutiveScope, "2025-Q1");

        using var response = await FileAsync(story.Reader, $"/reports/quarterly-executive/2025-Q1.md?scope=executive:{Executive}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/markdown", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal($"quarterly-executive-executive-{Executive}-2025-Q1.md", response.Content.Headers.ContentDisposition.FileName);
        // The same document but for the moment it was generated.
        Assert.Equal(WithoutGenerated(report.Text("markdown")!), WithoutGenerated(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task ShouldRefuseTheFileWithoutATokenOrWithARoleThatDoesNotReadReports()
    {
        var story = await StoryAsync();
        const string path = $"/reports/quarterly-executive/2025-Q1.md?scope=executive:{Executive}";

        using var anonymous = await FileAsync(null, path);
        using var dataOwner = await FileAsync(await Host.NewRoleTokenAsync(story.Tenant, Roles.DataOwner), path);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("UNAUTHENTICATED", await CodeAsync(anonymous));
        Assert.Equal(HttpStatusCode.Forbidden, dataOwner.StatusCode);
        Assert.Equal("ACCESS_DENIED", await CodeAsync(dataOwner));
    }

    [Fact]
    public async Task ShouldShowAnotherTenantNothingOfTheFirst()
    {
        var story = await StoryAsync();
        var other = ApiFixture.NewTenantId("rep-other");
        await Host.CreateTenantAsync(other);
        var stranger = await Host.NewRoleTokenAsync(other, Roles.Executive);

        // As with metricValue: an executive the caller's tenant does not have is an empty portfolio, an account is NOT_FOUND.
        var report = await ReportAsync(stranger, "QUARTERLY_EXECUTIVE", ExecutiveScope, "2025-Q1");
        var account = await Host.GraphQLAsync(stranger, ReportQuery, new { cadence = "QUARTERLY_EXECUTIVE", scope = new { account = "r-a" }, period = "2025-Q1" });
        using var file = await FileAsync(stranger, $"/reports/quarterly-executive/2025-Q1.md?scope=executive:{Executive}");
        using var accountFile = await FileAsync(stranger, "/reports/quarterly-executive/2025-Q1.md?scope=account:r-a");

        var sections = report["sections"]!.AsArray();
        // ARR is 12 × MRR at the end, a sum: 0 for an empty portfolio, as metricValue gives it; every ratio and score has no data.
        var metrics = Items(sections, "KEY_METRICS_AND_TRENDS").Where(i => i.Text("kind") == "METRIC").ToList();
        Assert.Equal(0m, metrics.ByKey("annual_recurring_revenue").Number());
        Assert.All(metrics.Where(m => m.Text("metricKey") != "annual_recurring_revenue"), m => Assert.Null(m.Number()));
        Assert.Contains($"No accounts in executive:{Executive} for 2025-Q1: no data.", Items(sections, "EXECUTIVE_SUMMARY").Select(i => i.Text("text")));
        Assert.DoesNotContain(Items(sections, "ACTIONS_AND_NEXT_STEPS"), i => i.Text("kind") == "FINDING");
        var markdown = await file.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        foreach (var text in new[] { report.Text("markdown")!, markdown })
        {
            Assert.DoesNotContain("78.1", text);
            Assert.DoesNotContain("r-a", text);
            Assert.DoesNotContain("NRR of February", text);
        }

        Assert.Equal("NOT_FOUND", MetricValueApi.Code(account));
        Assert.Equal((HttpStatusCode.NotFound, "NOT_FOUND"), (accountFile.StatusCode, await CodeAsync(accountFile)));
    }

    [Theory]
    [InlineData("QUARTERLY_EXECUTIVE", "2025-03")]
    [InlineData("MONTHLY_LEADERSHIP", "2025-Q1")]
    [InlineData("WEEKLY_TEAM", "2025-W54")]
    [InlineData("WEEKLY_TEAM", "2025-03")]
    public async Task ShouldRefuseAPeriodOfAnotherCadenceNamingTheField(string cadence, string period)
    {
        var story = await StoryAsync();

        var response = await Host.GraphQLAsync(story.Reader, ReportQuery, new { cadence, scope = ExecutiveScope, period });

        Assert.Equal(("INVALID_INPUT", "period"), (MetricValueApi.Code(response), MetricValueApi.ErrorField(response)));
    }

    [Theory]
    [InlineData("/reports/yearly/2025.md?scope=tenant", "cadence")]
    [InlineData("/reports/quarterly-executive/2025-13.md?scope=tenant", "period")]
    [InlineData("/reports/monthly-leadership/2025-03.md", "scope")]
    [InlineData("/reports/monthly-leadership/2025-03.md?scope=cro-1", "scope")]
    public async Task ShouldRefuseABadFileRequestNamingTheField(string path, string field)
    {
        var story = await StoryAsync();

        using var response = await FileAsync(story.Reader, path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]![0]!;
        Assert.Equal(("INVALID_INPUT", field), (error["extensions"]!["code"]!.GetValue<string>(), error["extensions"]!["data"]!["field"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ShouldStoreTheLastCompletedPeriodOfEachCadenceOnceForTheTenantAndEachExecutive()
    {
        var story = await StoryAsync();
        var runner = Host.Services.GetRequiredService<TenantJobRunner>();
        var today = DateOnly.FromDateTime(Host.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);

        // Two runs at once and one after: one set of reports, each audited once.
        await Task.WhenAll(runner.RunAsync(ReportJob.JobName, story.Tenant, CancellationToken.None), runner.RunAsync(ReportJob.JobName, story.Tenant, CancellationToken.None));
        await runner.RunAsync(ReportJob.JobName, story.Tenant, CancellationToken.None);

        var stored = await Host.GraphQLAsync(story.Reader, "{ storedReports(first: 50) { id cadence scope period markdown sha256 generatedBy generatedAt } }");
        stored.AssertNoErrors();
        var reports = stored.Data!["storedReports"]!.AsArray().Select(r => r!).ToList();
        var expected = new[] { "WEEKLY_TEAM", "MONTHLY_LEADERSHIP", "QUARTERLY_EXECUTIVE" }
            .SelectMany(c => new[] { "tenant", $"executive:{Executive}" }.Select(s => (c, s, Label(c, today))))
            .Order().ToList();
        Assert.Equal(expected, reports.Select(r => (r.Text("cadence")!, r.Text("scope")!, r.Text("period")!)).Order().ToList());
        Assert.All(reports, r => Assert.Equal("job:reports", r.Text("generatedBy")));
        var auditor = await Host.NewRoleTokenAsync(story.Tenant, Roles.Auditor);
        var audit = await Host.GraphQLAsync(auditor, "{ auditEntries(action: \"report.generated\", first: 50) { subject actor } }");
        audit.AssertNoErrors();
        Assert.Equal(6, audit.Data!["auditEntries"]!.AsArray().Count);

        // What was stored is the report the API renders for the same cadence, scope and period.
        var quarterly = reports.Single(r => r.Text("cadence") == "QUARTERLY_EXECUTIVE" && r.Text("scope") == $"executive:{Executive}");
        var live = await ReportAsync(story.Reader, "QUARTERLY_EXECUTIVE", ExecutiveScope, quarterly.Text("period")!);
        Assert.Equal(WithoutGenerated(live.Text("markdown")!), WithoutGenerated(quarterly.Text("markdown")!));

        // Another tenant stores and sees nothing of these.
        var other = ApiFixture.NewTenantId("rep-job");
        await Host.CreateTenantAsync(other);
        var strangers = await Host.GraphQLAsync(await Host.NewRoleTokenAsync(other, Roles.Executive), "{ storedReports { id } }");
        strangers.AssertNoErrors();
        Assert.Empty(strangers.Data!["storedReports"]!.AsArray());
    }

    [Theory]
    [InlineData("2025-04-07", "2025-W14", "2025-03", "2025-Q1")] // a Monday: the week that just ended (31 March to 6 April)
    [InlineData("2025-04-01", "2025-W13", "2025-03", "2025-Q1")] // the 1st of a quarter's first month
    [InlineData("2025-01-01", "2024-W52", "2024-12", "2024-Q4")]
    public void ShouldReportTheLastCompletedPeriodOfEachCadence(string day, string week, string month, string quarter)
    {
        var today = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(
            (week, month, quarter),
            (Label("WEEKLY_TEAM", today), Label("MONTHLY_LEADERSHIP", today), Label("QUARTERLY_EXECUTIVE", today)));
    }

    private static string Label(string cadence, DateOnly today)
    {
        var value = cadence switch
        {
            "WEEKLY_TEAM" => ReportCadence.WeeklyTeam,
            "MONTHLY_LEADERSHIP" => ReportCadence.MonthlyLeadership,
            _ => ReportCadence.QuarterlyExecutive,
        };
        return ReportPeriod.LabelFor(value, ReportJob.LastCompleted(value, today));
    }

    private async Task<JsonNode> ReportAsync(string token, string cadence, object scope, string period)
    {
        var response = await Host.GraphQLAsync(token, ReportQuery, new { cadence, scope, period });
        response.AssertNoErrors();
        return response.Data!["report"]!;
    }

    private async Task<HttpResponseMessage> FileAsync(string? token, string path)
    {
        using var client = Host.NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request);
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())?["errors"]?[0]?["extensions"]?["code"]?.GetValue<string>();

    private static List<JsonNode> Items(JsonArray sections, string key) =>
        sections.Single(s => s.Text("key") == key)!["items"]!.AsArray().Select(i => i!).ToList();

    private static List<string?> MetricKeys(JsonNode report) =>
        Items(report["sections"]!.AsArray(), "KEY_METRICS_AND_TRENDS").Where(i => i.Text("kind") == "METRIC").Select(i => i.Text("metricKey")).ToList();

    private static string WithoutGenerated(string markdown) =>
        string.Join('\n', markdown.Split('\n').Where(l => !l.StartsWith("Generated ", StringComparison.Ordinal)));
}

internal static class ReportJson
{
    public static JsonNode ByKey(this IEnumerable<JsonNode> items, string key) => items.Single(i => i.Text("metricKey") == key && i.Text("kind") == "METRIC");
}
