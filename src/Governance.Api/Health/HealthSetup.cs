using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Orleans.Runtime;

namespace Governance.Api.Health;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: it can do its work — PostgreSQL
/// answers and the silo is an active member that can serve grain calls.
/// </summary>
public static class HealthSetup
{
    private const string Ready = "ready";

    public static IServiceCollection AddGovernanceHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgresql", tags: [Ready])
            .AddCheck<SiloHealthCheck>("silo", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapGovernanceHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync });
        return endpoints;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, cancellationToken: context.RequestAborted);
    }

    private sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var command = dataSource.CreateCommand("select 1");
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy("PostgreSQL answers.");
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy($"PostgreSQL does not answer: {e.Message}");
            }
        }
    }

    private sealed class SiloHealthCheck(IGrainFactory grains, ILocalSiloDetails silo) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                // A real grain call through the cluster: it answers only once this silo is an active member.
                var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                return hosts.ContainsKey(silo.SiloAddress)
                    ? HealthCheckResult.Healthy($"Silo {silo.SiloAddress} is active; {hosts.Count} active in the cluster.")
                    : HealthCheckResult.Unhealthy($"Silo {silo.SiloAddress} is not an active member yet.");
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                return HealthCheckResult.Unhealthy($"The silo does not answer: {e.Message}");
            }
        }
    }
}
