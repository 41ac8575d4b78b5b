using Governance.Api.Tests.Infrastructure;
using OpenQA.Selenium;

namespace Governance.Api.Tests.Console;

/// <summary>A platform operator signs in, sees the tenants, the silos and the jobs, and creates a tenant whose secret is shown once.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class PlatformBrowserTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task An_operator_sees_tenants_silos_and_jobs_and_creates_a_tenant()
    {
        var existing = ApiFixture.NewTenantId("plat");
        await fixture.Host.CreateTenantAsync(existing);

        fixture.SignIn("platform", GovernanceHost.OperatorUsername, GovernanceHost.OperatorPassword);

        var driver = fixture.Driver;
        Assert.Equal(["Platform"], driver.FindElements(By.CssSelector("#nav a")).Select(a => a.Text));
        var view = fixture.Element("#view-platform");
        Assert.Contains(existing, view.Text);
        Assert.Contains("Active", view.Text); // this host's silo
        Assert.Contains($"anomalies:{existing}", view.Text);
        Assert.Contains("job servers", fixture.Element("#job-counts").Text);
        fixture.Screenshot("platform");

        var created = ApiFixture.NewTenantId("made");
        fixture.Element("#tenant-id").SendKeys(created);
        fixture.Element("#tenant-name").SendKeys("Made in the console");
        fixture.Element("#create-tenant button[type=submit]").Click();
        var credentials = fixture.Element($"[data-created='{created}']");
        var secret = credentials.FindElement(By.CssSelector("code.secret")).Text;
        Assert.False(string.IsNullOrWhiteSpace(secret));

        // The credentials work: the new tenant's integration gets a token with them.
        var clientId = credentials.FindElements(By.CssSelector("code"))[0].Text;
        var token = await fixture.Host.GetTokenAsync(clientId, secret);
        var viewer = await fixture.Host.GraphQLAsync(token, "query { viewer { tenantId } }");
        viewer.AssertNoErrors();
        Assert.Equal(created, viewer.Data!["viewer"]!["tenantId"]!.GetValue<string>());

        // A taken id is refused with the reason, in place.
        fixture.Open("#/platform");
        fixture.Element("#tenant-id").SendKeys(created);
        fixture.Element("#tenant-name").SendKeys("Again");
        fixture.Element("#create-tenant button[type=submit]").Click();
        fixture.Until(d => d.FindElement(By.CssSelector("#create-tenant [role=alert]")).Text.Contains("taken", StringComparison.Ordinal), "the conflict to be shown");
        Assert.Contains(created, fixture.Element("#view-platform table").Text);

        // The dashboard link works with the sign-in the console used (the token server's cookie).
        fixture.Element("#job-counts a[href='/hangfire']").Click();
        fixture.Until(d => d.Title.Contains("Hangfire", StringComparison.OrdinalIgnoreCase) && d.PageSource.Contains("Recurring Jobs", StringComparison.Ordinal), "the Hangfire dashboard");
    }
}
