using System.Net;
using System.Text.Json.Nodes;
using Governance.Api.Tests.Infrastructure;
using Governance.Abstractions.Security;
using Microsoft.Extensions.DependencyInjection;

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
        await Host.AddUserAsync(tenantId, "admin", "pw-123456", Roles.TenantAdmin);

        using var browser = await SignedInBrowserAsync(tenantId, "admin", "pw-123456");
        using var response = await browser.Http.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ShouldShowTheJobDashboardToASignedInPlatformOperator()
    {
        using var browser = await SignedInBrowserAsync(Roles.PlatformTenant, GovernanceHost.OperatorUsername, GovernanceHost.OperatorPassword);

        using var response = await browser.Http.GetAsync("/hangfire");

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

    private async Task<Browser> SignedInBrowserAsync(string tenant, string username, string password)
    {
        var browser = new Browser(Host);
        using var response = await browser.SignInAsync(tenant, username, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }
}
