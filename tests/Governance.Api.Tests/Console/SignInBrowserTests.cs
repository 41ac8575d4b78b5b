using Governance.Abstractions.Security;
using Governance.Api.Tests.Infrastructure;
using OpenQA.Selenium;

namespace Governance.Api.Tests.Console;

/// <summary>Signing in and out of the console in a real browser, through the token server's code flow.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SignInBrowserTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task A_person_signs_in_sees_the_views_of_their_roles_and_signs_out()
    {
        var tenant = ApiFixture.NewTenantId("con");
        await fixture.Host.CreateTenantAsync(tenant);
        await fixture.Host.AddUserAsync(tenant, "ada", "ada-password-long", Roles.Auditor, Roles.DataOwner);

        fixture.SignIn(tenant, "ada", "ada-password-long");

        var driver = fixture.Driver;
        Assert.StartsWith($"{fixture.BaseUrl}/console/", driver.Url);
        Assert.DoesNotContain("code=", driver.Url);
        var links = driver.FindElements(By.CssSelector("#nav a")).Select(a => a.Text).ToList();
        Assert.Equal(["Audit", "Data quality"], links);
        Assert.Contains(tenant, fixture.Element("#session").Text);

        fixture.Element("#sign-out").Click();
        fixture.Until(d => d.FindElements(By.Id("sign-in")).Count == 1, "the sign-in button after sign-out");
        Assert.Empty(driver.FindElements(By.CssSelector("#nav a")));

        // The token server's session ended too: signing in again asks for the password.
        fixture.Element("#sign-in").Click();
        Assert.NotNull(fixture.Element("#password"));
    }

    [Fact]
    public void A_wrong_password_is_refused_on_the_token_servers_page()
    {
        fixture.Reset();
        fixture.Element("#sign-in").Click();
        fixture.Element("#tenant").SendKeys("nobody");
        fixture.Element("#username").SendKeys("nobody");
        fixture.Element("#password").SendKeys("wrong");
        fixture.Element("form button[type=submit]").Click();

        Assert.Contains("Unknown organisation, username or password.", fixture.Element("[role=alert]").Text);
    }
}
