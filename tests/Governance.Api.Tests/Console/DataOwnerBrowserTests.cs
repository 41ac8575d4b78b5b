using Governance.Abstractions.Security;
using Governance.Api.Tests.Infrastructure;
using Governance.Api.Tests.Metrics;
using Governance.Storage.Findings;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;

namespace Governance.Api.Tests.Console;

/// <summary>A data owner sees an anomaly with its series and flagged month, and resolves it with a reason.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class DataOwnerBrowserTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task A_data_owner_resolves_a_finding_in_the_console()
    {
        var tenant = ApiFixture.NewTenantId("cd");
        var integration = await fixture.Host.NewTenantTokenAsync(tenant);
        await new MetricValueApi(fixture.Host).IngestAsync(integration, MetricFacts.RetentionStory("cd-", "exec-p", "mid"));
        await fixture.Host.AddUserAsync(tenant, "dora", "dora-password-long", Roles.DataOwner);
        var store = fixture.Host.Services.GetRequiredService<FindingStore>();
        await store.RaiseAsync(tenant, [new NewFinding("anomaly", "anomaly:net_revenue_retention:executive:exec-p:2025-02", "executive:exec-p",
            "net_revenue_retention", "2025-02", null, "net_revenue_retention of executive:exec-p is unusual in 2025-02", """{"score": 5.1}""")], "anomalies");

        // A colleague's second version of a metric waits for another data owner's approval.
        var metrics = new MetricValueApi(fixture.Host);
        var colleague = await fixture.Host.NewRoleTokenAsync(tenant, Roles.DataOwner);
        await metrics.ProposeAndApproveAsync(colleague, await fixture.Host.NewRoleTokenAsync(tenant, Roles.TenantAdmin),
            "console_churn", "customers_churned / customers_start else null", "2024-01-01", "first version");
        await metrics.ProposeAsync(colleague, "console_churn", "customers_lost / customers_end else null", "2025-01-01", "count the period's end");

        fixture.SignIn(tenant, "dora", "dora-password-long", "#/dataowner");

        var card = fixture.Element("[data-finding]");
        Assert.Contains("is unusual in 2025-02", card.Text);
        var chart = card.FindElement(By.CssSelector("svg.chart[role=img]"));
        Assert.Single(chart.FindElements(By.CssSelector("circle.flag")));
        Assert.Contains("2025-02 flagged", chart.GetAttribute("aria-label"));
        fixture.Screenshot("dataowner");

        card.FindElement(By.CssSelector("textarea")).SendKeys("Known one-off churn of a pilot customer");
        card.FindElement(By.CssSelector("button[type=submit]")).Click();
        fixture.Element("[data-resolved]");

        var draft = fixture.Element("[data-definition='console_churn@2']");
        Assert.Contains("Changes from v1", draft.Text);
        Assert.Contains("customers_lost / customers_end else null", draft.FindElement(By.CssSelector("table.diff")).Text);
        draft.FindElement(By.CssSelector("button[type=submit]")).Click();
        fixture.Until(d => d.FindElement(By.CssSelector("[data-definition='console_churn@2'] [role=status]")).Text == "Approved.", "the draft's approval");

        var open = await fixture.Host.GraphQLAsync(await fixture.Host.NewRoleTokenAsync(tenant, Roles.DataOwner),
            "query { findings(open: false) { open resolveReason resolvedBy } }");
        open.AssertNoErrors();
        var finding = open.Data!["findings"]!.AsArray().Single()!;
        Assert.False(finding["open"]!.GetValue<bool>());
        Assert.Equal("Known one-off churn of a pilot customer", finding["resolveReason"]!.GetValue<string>());
    }
}
