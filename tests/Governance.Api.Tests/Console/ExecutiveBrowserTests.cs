using Governance.Abstractions.Security;
using Governance.Api.Tests.Incentives;
using OpenQA.Selenium;

namespace Governance.Api.Tests.Console;

/// <summary>An executive reads their scorecard for a quarter: attainment per metric, a trend and the accounts that moved it.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ExecutiveBrowserTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task An_executive_reads_the_scorecard_with_trends_and_movers()
    {
        var story = await new IncentiveApi(fixture.Host).StoryAsync("ce");
        await fixture.Host.AddUserAsync(story.Tenant, "eve", "eve-password-long", Roles.Executive);
        (await fixture.Host.GraphQLAsync(story.Admin, """mutation { linkExecutive(username: "eve", executiveId: "exec-p", reason: "eve runs exec-p") { username } }""")).AssertNoErrors();

        // Linked to exec-p, she starts on her own portfolio.
        fixture.SignIn(story.Tenant, "eve", "eve-password-long", "#/executive");
        Assert.Equal(IncentiveApi.Executive, fixture.Element("#executive").GetAttribute("value"));
        fixture.Open($"#/executive?executive={IncentiveApi.Executive}&period=2025-Q1");

        // Overall 0.6 × 0.9765625 + 0.4 × 0.75 = 0.8859375 (see IncentiveApi).
        Assert.Equal("88.6 %", fixture.Element("#overall").Text);
        var nrr = fixture.Element("[data-metric=net_revenue_retention]");
        Assert.Contains("97.7 %", nrr.Text);
        Assert.NotEmpty(nrr.FindElements(By.CssSelector("svg.chart path.line")));
        Assert.Contains("Accounts that moved it most since 2024-Q4", nrr.Text);
        Assert.Contains("75 %", fixture.Element("[data-metric=customer_churn_rate]").Text);
        fixture.Screenshot("executive");
    }
}
