using Governance.Abstractions.Security;
using Governance.Api.Tests.Incentives;
using OpenQA.Selenium;

namespace Governance.Api.Tests.Console;

/// <summary>Two committee members approve a verified payout in the browser; the quorum of two makes it APPROVED.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CommitteeBrowserTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Two_members_approve_a_verified_payout_in_the_console()
    {
        var api = new IncentiveApi(fixture.Host);
        var story = await api.StoryAsync("cc");
        var id = IncentiveApi.Payout(await api.ProposeAsync(story.Admin), "proposePayout")["id"]!.GetValue<string>();
        await api.CloseQuarterAsync(story);

        Assert.Equal("VERIFIED", IncentiveApi.Payout(await api.DecideAsync(story.DataOwner, "verifyPayout", id), "verifyPayout")["status"]!.GetValue<string>());
        await fixture.Host.AddUserAsync(story.Tenant, "cora", "cora-password-long", Roles.CommitteeMember);
        await fixture.Host.AddUserAsync(story.Tenant, "milo", "milo-password-long", Roles.CommitteeMember);

        Approve(story.Tenant, "cora", "cora-password-long", id, "Statement matches the pinned values", expectedApprovals: 1);
        var card = fixture.Element($"[data-payout='{id}']");
        Assert.Contains("14,296.88 EUR", card.Text);
        Assert.Contains("net_revenue_retention", card.Text);
        Assert.Contains("gross_revenue_retention", card.Text);
        Assert.Contains("1 of 2 approvals", card.Text);
        fixture.Screenshot("committee");

        Approve(story.Tenant, "milo", "milo-password-long", id, null, expectedApprovals: 2);

        var payout = await fixture.Host.GraphQLAsync(story.Auditor, "query($id: ID!) { payout(id: $id) { status approvals } }", new { id });
        payout.AssertNoErrors();
        Assert.Equal("APPROVED", payout.Data!["payout"]!["status"]!.GetValue<string>());
        Assert.Equal(2, payout.Data["payout"]!["approvals"]!.AsArray().Count);
        // Decided, it leaves the waiting list for the table of vesting and clawback.
        fixture.Until(d => d.FindElements(By.CssSelector($"[data-payout='{id}']")).Count == 0, "the approved payout to leave the waiting list");
        Assert.Contains("APPROVED", fixture.Element("#view-committee table").Text);

        // Vesting: the first tranche (due 2025-04-01) is released; the second (due 2027) is held with a reason.
        fixture.Element($"[data-tranche='{id}-0'] button[value=release]").Click();
        fixture.Until(d => d.FindElement(By.CssSelector($"[data-tranche='{id}-0']")).Text.Contains("RELEASED", StringComparison.Ordinal), "tranche 0 released");
        fixture.Element($"[data-tranche='{id}-1'] input").SendKeys("retention under review");
        fixture.Element($"[data-tranche='{id}-1'] button[value=hold]").Click();
        fixture.Until(d => d.FindElement(By.CssSelector($"[data-tranche='{id}-1']")).Text.Contains("HELD", StringComparison.Ordinal), "tranche 1 held");
        var tranches = await fixture.Host.GraphQLAsync(story.Auditor, "query($id: ID!) { payout(id: $id) { tranches { status } } }", new { id });
        tranches.AssertNoErrors();
        Assert.Equal(["RELEASED", "HELD"], tranches.Data!["payout"]!["tranches"]!.AsArray().Select(t => t!["status"]!.GetValue<string>()));
    }

    private void Approve(string tenant, string username, string password, string payoutId, string? reason, int expectedApprovals)
    {
        fixture.SignIn(tenant, username, password, "#/committee");
        var card = fixture.Element($"[data-payout='{payoutId}']");
        if (reason is not null)
        {
            card.FindElement(By.CssSelector("textarea")).SendKeys(reason);
        }

        card.FindElement(By.CssSelector("button[value=approve]")).Click();
        fixture.Until(d => d.FindElements(By.CssSelector(expectedApprovals == 1 ? $"[data-payout='{payoutId}'] [data-approvals='1']" : "#view-committee table")).Count > 0
            && (expectedApprovals == 1 || d.FindElements(By.CssSelector($"[data-payout='{payoutId}']")).Count == 0),
            $"{expectedApprovals} approval(s) on the page");
    }
}
