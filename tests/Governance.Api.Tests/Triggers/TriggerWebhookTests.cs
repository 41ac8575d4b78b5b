using System.Globalization;
using System.Text.Json.Nodes;
using Governance.Abstractions.Security;
using Governance.Api.Jobs;
using Governance.Api.Tests.Infrastructure;
using Governance.Api.Tests.Metrics;
using Governance.Api.Triggers;
using Governance.Domain.Triggers;
using Microsoft.Extensions.DependencyInjection;
using static Governance.Api.Tests.Metrics.MetricFacts;

namespace Governance.Api.Tests.Triggers;

/// <summary>
/// Trigger rules through the API, the triggers job on a standing clock, and webhook deliveries received by
/// a real HTTP server (<see cref="WebhookReceiver"/>). Each test has its own tenant and receiver.
/// </summary>
[Collection(TriggerCollection.Name)]
public sealed class TriggerWebhookTests(TriggerFixture fixture)
{
    private const string CreateRule = "mutation($input: CreateTriggerRuleInput!) { createTriggerRule(input: $input) { id version name metricKey condition band threshold enabled changedBy } }";
    private const string SetWebhook = "mutation($url: String!) { setWebhook(url: $url) { secret webhook { url version } } }";
    private const string Tasks = "query { triggerTasks { id ruleId ruleVersion accountId ownerExecutiveId metricKey period value previous status openedBy } }";
    private const string Deliveries = "query { webhookDeliveries { eventId eventType attempt url statusCode error succeeded durationMs } }";

    private GovernanceHost Host => fixture.Host;

    /// <summary>The last ended month on the fixture's clock (what the job evaluates), the one before, and the one before that.</summary>
    private DateOnly Month(int back)
    {
        var now = fixture.Clock.GetUtcNow();
        return new DateOnly(now.Year, now.Month, 1).AddMonths(-back);
    }

    private static string Day(DateOnly month, int day) => month.AddDays(day - 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed record Tenant(string Id, string Admin);

    /// <summary>
    /// A tenant with two accounts of exec-t: "up" pays 1,000 from three months back and expands by 500 in the last
    /// ended month (ARR 12,000 → 18,000); "flat" pays 1,000 throughout (ARR 12,000 both months).
    /// </summary>
    private async Task<Tenant> TenantAsync(string prefix)
    {
        var tenant = ApiFixture.NewTenantId(prefix);
        var integration = await Host.NewTenantTokenAsync(tenant);
        await new MetricValueApi(Host).IngestAsync(integration,
            Created("up", Day(Month(3), 1), "exec-t"), Mrr("up", "up-new", "NEW", 1_000m, Day(Month(3), 1)), Mrr("up", "up-more", "EXPANSION", 500m, Day(Month(1), 5)),
            Created("flat", Day(Month(3), 1), "exec-t"), Mrr("flat", "flat-new", "NEW", 1_000m, Day(Month(3), 1)));
        return new Tenant(tenant, await Host.NewRoleTokenAsync(tenant, Roles.TenantAdmin));
    }

    private async Task<JsonNode> OkAsync(string token, string query, object? variables = null)
    {
        var response = await Host.GraphQLAsync(token, query, variables);
        response.AssertNoErrors();
        return response.Data!;
    }

    private Task RunJobAsync(string tenantId) =>
        Host.Services.GetRequiredService<TenantJobRunner>().RunAsync(TriggerJob.JobName, tenantId, CancellationToken.None);

    private static object ArrAbove(decimal threshold) =>
        new { input = new { name = "ARR crossed 15k", metricKey = "annual_recurring_revenue", condition = "RISES_ABOVE", threshold } };

    [Fact]
    public async Task ShouldDeliverASignedEventForAFiredRuleAndRetryAFailedAttempt()
    {
        var tenant = await TenantAsync("hook");
        await using var receiver = await WebhookReceiver.StartAsync(500);
        var webhook = (await OkAsync(tenant.Admin, SetWebhook, new { url = receiver.Url }))["setWebhook"]!;
        var secret = webhook["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret);
        await using (var connection = fixture.Database.Open())
        {
            // Kept encrypted with the host's data-protection keys: a copy of the database cannot sign as us.
            await using var read = new Npgsql.NpgsqlCommand("select secret from webhooks where tenant_id = @t", connection);
            read.Parameters.AddWithValue("t", tenant.Id);
            var stored = (string)(await read.ExecuteScalarAsync())!;
            Assert.StartsWith("dp1:", stored);
            Assert.DoesNotContain(secret["whsec_".Length..], stored, StringComparison.Ordinal);
        }

        var rule = (await OkAsync(tenant.Admin, CreateRule, ArrAbove(15_000m)))["createTriggerRule"]!;
        Assert.Equal(("RISES_ABOVE", 15_000m, true, 1), (rule["condition"]!.GetValue<string>(), rule["threshold"]!.GetValue<decimal>(), rule["enabled"]!.GetValue<bool>(), rule["version"]!.GetValue<int>()));

        await RunJobAsync(tenant.Id);

        // The first attempt is answered 500, the retry 200: the same event, body and id both times, each signed.
        var first = await receiver.NextAsync();
        var second = await receiver.NextAsync();
        Assert.Equal((500, 200), (first.AnsweredWith, second.AnsweredWith));
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(first.Headers["Governance-Event-Id"], second.Headers["Governance-Event-Id"]);
        Assert.Equal(("1", "2"), (first.Headers["Governance-Delivery-Attempt"], second.Headers["Governance-Delivery-Attempt"]));
        foreach (var received in new[] { first, second })
        {
            Assert.True(WebhookSignature.Verify(secret, received.Headers[WebhookSignature.Header], received.Body, fixture.Clock.GetUtcNow(), TimeSpan.FromMinutes(5)),
                $"signature {received.Headers[WebhookSignature.Header]} does not verify");
            Assert.StartsWith("application/json", received.Headers["Content-Type"]);
        }

        Assert.False(WebhookSignature.Verify("whsec_wrong", second.Headers[WebhookSignature.Header], second.Body, fixture.Clock.GetUtcNow(), TimeSpan.FromMinutes(5)));

        var payload = JsonNode.Parse(second.Body)!;
        var lastMonth = Month(1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        Assert.Equal((first.Headers["Governance-Event-Id"], "trigger.fired", tenant.Id, rule["id"]!.GetValue<string>(), "up", "exec-t", "annual_recurring_revenue", lastMonth),
            (payload["id"]!.GetValue<string>(), payload["type"]!.GetValue<string>(), payload["tenant"]!.GetValue<string>(), payload["rule"]!["id"]!.GetValue<string>(),
             payload["account"]!.GetValue<string>(), payload["owner"]!.GetValue<string>(), payload["metric"]!.GetValue<string>(), payload["period"]!.GetValue<string>()));
        Assert.Equal((18_000m, 12_000m), (payload["value"]!.GetValue<decimal>(), payload["previous"]!.GetValue<decimal>()));
        Assert.Equal(fixture.Clock.GetUtcNow(), payload["occurredAt"]!.GetValue<DateTimeOffset>());

        // One task, for the account whose ARR crossed; the flat account fired nothing.
        var task = Assert.Single((await OkAsync(tenant.Admin, Tasks))["triggerTasks"]!.AsArray())!;
        Assert.Equal((payload["taskId"]!.GetValue<string>(), "up", "exec-t", lastMonth, 18_000m, 12_000m, "OPEN", "job:triggers"),
            (task["id"]!.GetValue<string>(), task["accountId"]!.GetValue<string>(), task["ownerExecutiveId"]!.GetValue<string>(), task["period"]!.GetValue<string>(),
             task["value"]!.GetValue<decimal>(), task["previous"]!.GetValue<decimal>(), task["status"]!.GetValue<string>(), task["openedBy"]!.GetValue<string>()));

        // Both attempts logged once their jobs finished, under the same event id.
        var watch = DeliveryWatch.Shared;
        Assert.Equal(await watch.NextAsync(tenant.Id), await watch.NextAsync(tenant.Id));
        var attempts = (await OkAsync(tenant.Admin, Deliveries))["webhookDeliveries"]!.AsArray().OrderBy(d => d!["attempt"]!.GetValue<int>()).ToList();
        Assert.Equal([(1, 500, false), (2, 200, true)], attempts.Select(a => (a!["attempt"]!.GetValue<int>(), a["statusCode"]!.GetValue<int>(), a["succeeded"]!.GetValue<bool>())));
        Assert.All(attempts, a => Assert.Equal((payload["id"]!.GetValue<string>(), "trigger.fired", receiver.Url),
            (a!["eventId"]!.GetValue<string>(), a["eventType"]!.GetValue<string>(), a["url"]!.GetValue<string>())));

        // Audited: the webhook (without its secret), the rule, the task.
        var auditor = await Host.NewRoleTokenAsync(tenant.Id, Roles.Auditor);
        var audit = (await OkAsync(auditor, "query { auditEntries(first: 100) { action actor after } }"))["auditEntries"]!.AsArray();
        var actions = audit.Select(e => e!["action"]!.GetValue<string>()).ToList();
        Assert.Contains("webhook.set", actions);
        Assert.Contains("trigger_rule.created", actions);
        Assert.Equal("job:triggers", audit.Single(e => e!["action"]!.GetValue<string>() == "task.opened")!["actor"]!.GetValue<string>());
        Assert.DoesNotContain(audit, e => e!["after"]?.GetValue<string>().Contains(secret, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task ShouldOpenOneTaskAndOneEventWhenTheJobRunsTwiceAtOnceAndAgain()
    {
        var tenant = await TenantAsync("race");
        await using var receiver = await WebhookReceiver.StartAsync();
        await OkAsync(tenant.Admin, SetWebhook, new { url = receiver.Url });
        await OkAsync(tenant.Admin, CreateRule, ArrAbove(15_000m));

        await Task.WhenAll(RunJobAsync(tenant.Id), RunJobAsync(tenant.Id));
        await RunJobAsync(tenant.Id);

        Assert.Single((await OkAsync(tenant.Admin, Tasks))["triggerTasks"]!.AsArray());
        var received = await receiver.NextAsync();
        await DeliveryWatch.Shared.NextAsync(tenant.Id);
        var delivery = Assert.Single((await OkAsync(tenant.Admin, Deliveries))["webhookDeliveries"]!.AsArray())!;
        Assert.Equal(received.Headers["Governance-Event-Id"], delivery["eventId"]!.GetValue<string>());
        Assert.Equal(0, receiver.Pending);
    }

    [Fact]
    public async Task ShouldSendNothingWhenNoRuleFires()
    {
        var tenant = await TenantAsync("quiet");
        await using var receiver = await WebhookReceiver.StartAsync();
        await OkAsync(tenant.Admin, SetWebhook, new { url = receiver.Url });
        // Above the highest value (no crossing), below the lowest (none falls), and a disabled rule that would fire.
        await OkAsync(tenant.Admin, CreateRule, ArrAbove(20_000m));
        await OkAsync(tenant.Admin, CreateRule, new { input = new { name = "ARR fell under 10k", metricKey = "annual_recurring_revenue", condition = "FALLS_BELOW", threshold = 10_000m } });
        var wouldFire = (await OkAsync(tenant.Admin, CreateRule, ArrAbove(15_000m)))["createTriggerRule"]!["id"]!.GetValue<string>();
        var disabled = (await OkAsync(tenant.Admin, "mutation($id: ID!) { disableTriggerRule(ruleId: $id, reason: \"too noisy\") { version enabled reason } }", new { id = wouldFire }))["disableTriggerRule"]!;
        Assert.Equal((2, false, "too noisy"), (disabled["version"]!.GetValue<int>(), disabled["enabled"]!.GetValue<bool>(), disabled["reason"]!.GetValue<string>()));
        Assert.Equal("CONFLICT", MetricValueApi.Code(await Host.GraphQLAsync(tenant.Admin, "mutation($id: ID!) { disableTriggerRule(ruleId: $id, reason: \"again\") { version } }", new { id = wouldFire })));

        await RunJobAsync(tenant.Id);

        // The job queues deliveries while it runs: with no task opened there is no event to deliver.
        Assert.Empty((await OkAsync(tenant.Admin, Tasks))["triggerTasks"]!.AsArray());
        Assert.Empty((await OkAsync(tenant.Admin, Deliveries))["webhookDeliveries"]!.AsArray());
        Assert.Equal(0, receiver.Pending);
        Assert.Equal(2, (await OkAsync(tenant.Admin, "query { triggerRules { id } }"))["triggerRules"]!.AsArray().Count);
        Assert.Equal(3, (await OkAsync(tenant.Admin, "query { triggerRules(includeDisabled: true) { id } }"))["triggerRules"]!.AsArray().Count);
    }

    [Fact]
    public async Task ShouldKeepRulesTasksAndDeliveriesFromAnotherTenant()
    {
        var tenant = await TenantAsync("mine");
        await using var receiver = await WebhookReceiver.StartAsync();
        await OkAsync(tenant.Admin, SetWebhook, new { url = receiver.Url });
        var ruleId = (await OkAsync(tenant.Admin, CreateRule, ArrAbove(15_000m)))["createTriggerRule"]!["id"]!.GetValue<string>();
        await RunJobAsync(tenant.Id);
        await receiver.NextAsync();
        await DeliveryWatch.Shared.NextAsync(tenant.Id);

        var other = ApiFixture.NewTenantId("other");
        await Host.CreateTenantAsync(other);
        var otherAdmin = await Host.NewRoleTokenAsync(other, Roles.TenantAdmin);
        var seen = await OkAsync(otherAdmin, "query { triggerRules(includeDisabled: true) { id } triggerTasks { id } webhookDeliveries { eventId } webhook { url } }");
        Assert.Empty(seen["triggerRules"]!.AsArray());
        Assert.Empty(seen["triggerTasks"]!.AsArray());
        Assert.Empty(seen["webhookDeliveries"]!.AsArray());
        Assert.Null(seen["webhook"]);
        Assert.Equal("NOT_FOUND", MetricValueApi.Code(await Host.GraphQLAsync(otherAdmin, "mutation($id: ID!) { disableTriggerRule(ruleId: $id, reason: \"mine now\") { version } }", new { id = ruleId })));

        // The other tenant's job finds none of the first tenant's rules or accounts.
        await RunJobAsync(other);
        Assert.Empty((await OkAsync(otherAdmin, Tasks))["triggerTasks"]!.AsArray());
        Assert.Single((await OkAsync(tenant.Admin, Tasks))["triggerTasks"]!.AsArray());
    }

    [Theory]
    [InlineData("no_such_metric", "RISES_ABOVE", null, 1.0, "input.metricKey")]
    [InlineData("annual_recurring_revenue", "ENTERS_BAND", "RED", null, "input.metricKey")] // not a health score
    [InlineData("customer_health_score", "ENTERS_BAND", null, null, "input.band")]
    [InlineData("customer_health_score", "ENTERS_BAND", "RED", 40.0, "input.threshold")]
    [InlineData("annual_recurring_revenue", "FALLS_BELOW", null, null, "input.threshold")]
    [InlineData("annual_recurring_revenue", "FALLS_BELOW", "RED", 1.0, "input.band")]
    [InlineData("", "RISES_ABOVE", null, 1.0, "input.metricKey")]
    public async Task ShouldRefuseARuleThatCannotBeEvaluated(string metricKey, string condition, string? band, double? threshold, string field)
    {
        var tenant = await TenantAsync("bad");
        var response = await Host.GraphQLAsync(tenant.Admin, CreateRule,
            new { input = new { name = "rule", metricKey, condition, band, threshold = (decimal?)threshold } });

        Assert.Equal(("INVALID_INPUT", field), (MetricValueApi.Code(response), MetricValueApi.ErrorField(response)));
    }

    [Fact]
    public async Task ShouldAcceptAHealthBandRuleAndRefuseBlankNamesAndUnsafeUrls()
    {
        var tenant = await TenantAsync("input");
        var health = (await OkAsync(tenant.Admin, CreateRule,
            new { input = new { name = "Health went red", metricKey = "customer_health_score", condition = "ENTERS_BAND", band = "RED" } }))["createTriggerRule"]!;
        Assert.Equal(("ENTERS_BAND", "RED"), (health["condition"]!.GetValue<string>(), health["band"]!.GetValue<string>()));

        var blank = await Host.GraphQLAsync(tenant.Admin, CreateRule, new { input = new { name = " ", metricKey = "annual_recurring_revenue", condition = "RISES_ABOVE", threshold = 1m } });
        Assert.Equal(("INVALID_INPUT", "input.name"), (MetricValueApi.Code(blank), MetricValueApi.ErrorField(blank)));
        foreach (var url in new[] { "", "not a url", "http://hooks.example.com/governance", "ftp://127.0.0.1/x", "https://user:pw@hooks.example.com/", "https://169.254.169.254/latest", "https://10.0.0.5/hook", "https://[fd00::1]/hook" })
        {
            var response = await Host.GraphQLAsync(tenant.Admin, SetWebhook, new { url });
            Assert.True(("INVALID_INPUT", "url") == (MetricValueApi.Code(response), MetricValueApi.ErrorField(response)), $"{url}: {response}");
        }

        var set = (await OkAsync(tenant.Admin, SetWebhook, new { url = "https://hooks.example.com/governance" }))["setWebhook"]!;
        Assert.Equal(("https://hooks.example.com/governance", 1), (set["webhook"]!["url"]!.GetValue<string>(), set["webhook"]!["version"]!.GetValue<int>()));
        var again = (await OkAsync(tenant.Admin, SetWebhook, new { url = "https://hooks.example.com/v2" }))["setWebhook"]!;
        Assert.Equal(2, again["webhook"]!["version"]!.GetValue<int>());
        Assert.NotEqual(set["secret"]!.GetValue<string>(), again["secret"]!.GetValue<string>());
        Assert.Equal("https://hooks.example.com/v2", (await OkAsync(tenant.Admin, "query { webhook { url } }"))["webhook"]!["url"]!.GetValue<string>());
    }
}
