using Governance.Abstractions.Security;
using Governance.Api.Tests.Infrastructure;
using Governance.Api.Tests.Metrics;
using Governance.Testing;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Api.Tests.Hosting;

/// <summary>What a platform operator reads through GraphQL: the tenants, and the health of the jobs. A host of its own, so the lists are exactly this test's.</summary>
public sealed class PlatformOperationsTests
{
    private const string Health = """
        query { jobHealth { enqueued scheduled processing failed servers
          recurring { id tenantId cron nextExecution lastExecution lastJobState error }
          recentFailures { jobId job failedAt exceptionType exceptionMessage } } }
        """;

    [Fact]
    public async Task ShouldListTheTenantsAndTheJobsWithTheirSchedulesAndFailuresToOperatorsOnly()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var host = new GovernanceHost(HostSettings.For(database));
        var platform = await host.GetPlatformTokenAsync();
        var (acme, globex) = (ApiFixture.NewTenantId("acme"), ApiFixture.NewTenantId("globex"));
        await host.CreateTenantAsync(acme);
        await host.CreateTenantAsync(globex);

        var tenants = await host.GraphQLAsync(platform, "query { tenants { id name createdAt } }");
        tenants.AssertNoErrors();
        Assert.Equal([acme, globex], tenants.Data!["tenants"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));

        var failing = host.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<FailingJob>(j => j.Run("disk full"));
        var health = await WaitForAsync(host, platform, h => h["failed"]!.GetValue<long>() >= 1);

        Assert.True(health["servers"]!.GetValue<long>() >= 1);
        var recurring = health["recurring"]!.AsArray().ToDictionary(r => r!["id"]!.GetValue<string>());
        Assert.Equal(acme, recurring[$"anomalies:{acme}"]!["tenantId"]!.GetValue<string>());
        Assert.Equal(globex, recurring[$"clawback-checks:{globex}"]!["tenantId"]!.GetValue<string>());
        Assert.Null(recurring["audit-checkpoints"]!["tenantId"]);
        Assert.Equal(Cron.Never(), recurring["audit-checkpoints"]!["cron"]!.GetValue<string>());
        var failure = Assert.Single(health["recentFailures"]!.AsArray())!;
        Assert.Equal((failing, "probe failing: disk full", "System.InvalidOperationException", "disk full"),
            (failure["jobId"]!.GetValue<string>(), failure["job"]!.GetValue<string>(), failure["exceptionType"]!.GetValue<string>(), failure["exceptionMessage"]!.GetValue<string>()));

        var admin = await host.NewRoleTokenAsync(acme, Roles.TenantAdmin);
        Assert.Equal("ACCESS_DENIED", MetricValueApi.Code(await host.GraphQLAsync(admin, "query { tenants { id } }")));
        Assert.Equal("ACCESS_DENIED", MetricValueApi.Code(await host.GraphQLAsync(admin, "query { jobHealth { failed } }")));
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> WaitForAsync(GovernanceHost host, string token, Func<System.Text.Json.Nodes.JsonNode, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await host.GraphQLAsync(token, Health);
            response.AssertNoErrors();
            var health = response.Data!["jobHealth"]!;
            if (condition(health) || DateTime.UtcNow > deadline)
            {
                return health;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>A job that fails at once and is not retried, as a job does once its retries are spent.</summary>
    public sealed class FailingJob
    {
        [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
        [JobDisplayName("probe failing: {0}")]
        public void Run(string why) => throw new InvalidOperationException(why);
    }
}
