using Governance.Abstractions.Security;
using Governance.Api.Findings;
using Governance.Api.Jobs;
using Governance.Api.Tests.Infrastructure;
using Governance.Api.Tests.Metrics;
using Microsoft.Extensions.DependencyInjection;
using static Governance.Api.Tests.Metrics.MetricFacts;

namespace Governance.Api.Tests.Incentives;

/// <summary>A source silent past its expected interval is a finding, once per silence (the host's clock is moved).</summary>
[Collection(ClockCollection.Name)]
public sealed class FreshnessTests(ClockFixture fixture)
{
    [Fact]
    public async Task ShouldRaiseOneFindingForASourceSilentPastItsInterval()
    {
        var host = fixture.Host;
        var tenant = ApiFixture.NewTenantId("fresh");
        var integration = await host.NewTenantTokenAsync(tenant);
        await new MetricValueApi(host).IngestAsync(integration, Created("f-a", "2025-01-01"));
        var owner = await host.NewRoleTokenAsync(tenant, Roles.DataOwner);
        // Facts are stamped by the database's clock, the job reads the host's (moved by other tests of this collection): allow for the gap.
        var gap = (int)Math.Ceiling(Math.Max(0, (fixture.Clock.GetUtcNow() - DateTimeOffset.UtcNow).TotalMinutes));
        var set = await host.GraphQLAsync(owner, "mutation($m: Int) { setSourceExpectation(source: \"crm\", everyMinutes: $m, reason: \"CRM syncs hourly\") { source everyMinutes version } }", new { m = gap + 60 });
        set.AssertNoErrors();
        var runner = host.Services.GetRequiredService<TenantJobRunner>();

        await runner.RunAsync(FreshnessJob.JobName, tenant, CancellationToken.None);
        Assert.Empty(await OpenAsync(owner));

        fixture.Clock.Advance(TimeSpan.FromHours(3));
        await Task.WhenAll(runner.RunAsync(FreshnessJob.JobName, tenant, CancellationToken.None), runner.RunAsync(FreshnessJob.JobName, tenant, CancellationToken.None));
        await runner.RunAsync(FreshnessJob.JobName, tenant, CancellationToken.None);

        // Tokens are checked against the moved clock: a fresh one.
        owner = await host.NewRoleTokenAsync(tenant, Roles.DataOwner);
        var silent = Assert.Single(await OpenAsync(owner))!;
        Assert.Equal(("crm", "job:freshness"), (silent["source"]!.GetValue<string>(), silent["detectedBy"]!.GetValue<string>()));
        Assert.StartsWith("Source crm has sent nothing since", silent["summary"]!.GetValue<string>());
        Assert.Equal("INVALID_INPUT", MetricValueApi.Code(await host.GraphQLAsync(owner, "mutation { setSourceExpectation(source: \"crm\", everyMinutes: 0, reason: \"r\") { source } }")));
    }

    private async Task<System.Text.Json.Nodes.JsonArray> OpenAsync(string token)
    {
        var response = await fixture.Host.GraphQLAsync(token, "query { findings(kind: \"freshness\") { source summary detectedBy } }");
        response.AssertNoErrors();
        return response.Data!["findings"]!.AsArray();
    }
}
