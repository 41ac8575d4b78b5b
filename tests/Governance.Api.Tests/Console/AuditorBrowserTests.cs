using Governance.Abstractions.Security;
using Governance.Api.Audit;
using Governance.Api.Tests.Infrastructure;
using Governance.Api.Tests.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;

namespace Governance.Api.Tests.Console;

/// <summary>An auditor follows a value to its facts in the browser and checks an entry against the signed checkpoint.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AuditorBrowserTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task An_auditor_follows_a_value_to_its_facts_and_proves_an_entry()
    {
        var tenant = ApiFixture.NewTenantId("ca");
        var integration = await fixture.Host.NewTenantTokenAsync(tenant);
        await new MetricValueApi(fixture.Host).IngestAsync(integration, MetricFacts.RetentionStory("ca-", "exec-p", "mid"));
        await fixture.Host.AddUserAsync(tenant, "audrey", "audrey-password-long", Roles.Auditor);
        using (var scope = fixture.Host.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AuditCheckpointJob>().RunAsync(CancellationToken.None);
        }

        fixture.SignIn(tenant, "audrey", "audrey-password-long", "#/auditor?key=net_revenue_retention&scope=executive:exec-p&period=2025-Q1");

        var tree = fixture.Element("[aria-label='Lineage tree']");
        fixture.Until(d => d.FindElements(By.CssSelector("[data-fact]")).Count > 0, "the value's facts");
        Assert.Contains("net_revenue_retention = 0.78125", tree.Text);
        Assert.Contains("definition v1", tree.Text);
        Assert.Contains("ca-a-up", tree.Text);
        Assert.Contains("mrr.changed", fixture.Driver.FindElements(By.CssSelector("[data-fact]")).Single(f => f.Text.Contains("ca-a-up")).Text);

        fixture.Element("#proof-seq").SendKeys("1");
        fixture.Element("#check-inclusion").Click();
        var proof = fixture.Until(d => d.FindElement(By.Id("proof")).Text is var text && text.Contains("Root") ? text : null, "the inclusion proof");
        Assert.Contains("matches the signed checkpoint", proof);
        fixture.Screenshot("auditor");
    }
}
