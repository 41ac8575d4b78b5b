using System.Net;
using System.Text.Json.Nodes;
using Governance.Api.Tests.Identity;
using Governance.Api.Tests.Infrastructure;
using Governance.Abstractions.Security;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Governance.Api.Tests.Hosting;

[Collection(ApiCollection.Name)]
public sealed class HostTests(ApiFixture fixture)
{
    private GovernanceHost Host => fixture.Host;

    [Fact]
    public async Task ShouldAnswerLiveness()
    {
        using var client = Host.NewClient();

        using var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ShouldBeReadyWhenPostgresAndTheSiloAnswer()
    {
        using var client = Host.NewClient();

        using var response = await client.GetAsync("/health/ready");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", body["checks"]!["postgresql"]!["status"]!.GetValue<string>());
        Assert.Equal("Healthy", body["checks"]!["silo"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShouldKeepTheJobDashboardFromAnonymousCallers()
    {
        using var client = Host.NewClient();

        using var response = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ShouldKeepTheJobDashboardFromTenantPeople()
    {
        var tenantId = ApiFixture.NewTenantId();
        await Host.CreateTenantAsync(tenantId);
        using (var scope = Host.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<Governance.Api.Tenants.TenantProvisioning>()
                .EnsureUserAsync(tenantId, "admin", "Admin", "pw-123456", [Roles.TenantAdmin], "test", CancellationToken.None);
        }

        using var browser = await SignedInBrowserAsync(tenantId, "admin", "pw-123456");
        using var response = await browser.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ShouldShowTheJobDashboardToASignedInPlatformOperator()
    {
        using var browser = await SignedInBrowserAsync(Roles.PlatformTenant, GovernanceHost.OperatorUsername, GovernanceHost.OperatorPassword);

        using var response = await browser.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Hangfire", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ShouldListTheClusterSilosToPlatformOperatorsOnly()
    {
        var operatorView = await Host.GraphQLAsync(await Host.GetPlatformTokenAsync(), "{ clusterSilos { address status } }");
        var tenantView = await Host.GraphQLAsync(await Host.NewTenantTokenAsync(ApiFixture.NewTenantId()), "{ clusterSilos { address } }");

        operatorView.AssertNoErrors();
        Assert.Contains(operatorView.Data!["clusterSilos"]!.AsArray(), s => s!["status"]!.GetValue<string>() == "Active");
        Assert.Equal(HttpStatusCode.Forbidden, tenantView.Status);
    }

    private async Task<HttpClient> SignedInBrowserAsync(string tenant, string username, string password)
    {
        var browser = Host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await browser.GetStringAsync("/account/login");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]*)\"").Groups[1].Value;
        using var response = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["tenant"] = tenant,
            ["username"] = username,
            ["password"] = password,
            ["returnUrl"] = "/",
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }
}
