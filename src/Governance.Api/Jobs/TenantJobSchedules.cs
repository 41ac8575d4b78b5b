using Dapper;
using Governance.Abstractions.Security;
using Governance.Api.Hosting;
using Hangfire;
using Npgsql;

namespace Governance.Api.Jobs;

/// <summary>
/// Registers every <see cref="ITenantJob"/> for every tenant as recurring job <c>{name}:{tenantId}</c>: for
/// all tenants at host start, and for a new tenant when it is created. The schedule is
/// <c>Jobs:Schedules:{name}</c> (cron, UTC; <c>never</c> keeps the job only to be triggered by hand) or the
/// job's default.
/// </summary>
public sealed class TenantJobSchedules(IRecurringJobManager manager, IEnumerable<ITenantJob> jobs, GovernanceOptions options, NpgsqlDataSource dataSource)
{
    public static string JobId(string job, string tenantId) => $"{job}:{tenantId}";

    public async Task RegisterAllAsync(CancellationToken cancellationToken)
    {
        // The tenant registry is not tenant data (migration 0011): the application role reads it whole.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var tenants = await connection.QueryAsync<string>(new CommandDefinition(
            "select tenant_id from tenants where tenant_id <> @platform order by tenant_id", new { platform = Roles.PlatformTenant }, cancellationToken: cancellationToken));
        foreach (var tenantId in tenants)
        {
            Register(tenantId);
        }
    }

    public void Register(string tenantId)
    {
        foreach (var job in jobs)
        {
            var name = job.Name;
            manager.AddOrUpdate<TenantJobRunner>(JobId(name, tenantId), runner => runner.RunAsync(name, tenantId, CancellationToken.None), ScheduleOf(job));
        }
    }

    public string ScheduleOf(ITenantJob job) =>
        options.Jobs.Schedules.TryGetValue(job.Name, out var cron) ? (cron == "never" ? Cron.Never() : cron) : job.DefaultSchedule;
}
