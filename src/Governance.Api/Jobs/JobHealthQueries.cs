using System.Globalization;
using System.Reflection;
using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using GraphQL.Types;
using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;

namespace Governance.Api.Jobs;

/// <summary>What a platform operator reads of the background jobs: the counts, every schedule and the latest failures.</summary>
public sealed record JobHealth(long Enqueued, long Scheduled, long Processing, long Failed, long Servers, IReadOnlyList<RecurringJobView> Recurring, IReadOnlyList<FailedJobView> RecentFailures);

/// <summary>A schedule; a per-tenant job (<c>{name}:{tenant}</c>) carries its tenant, a platform job none.</summary>
public sealed record RecurringJobView(string Id, string? TenantId, string Cron, DateTime? NextExecution, DateTime? LastExecution, string? LastJobState, string? Error);

public sealed record FailedJobView(string JobId, string Job, DateTime? FailedAt, string? ExceptionType, string? ExceptionMessage);

public sealed class JobHealthType : ObjectGraphType<JobHealth>
{
    public JobHealthType()
    {
        Name = "JobHealth";
        Description = "The background jobs (Hangfire) of the whole service: spans tenants, so platform operators only. The dashboard at /hangfire shows the same, in detail.";
        Field(j => j.Enqueued).Description("Jobs waiting for a worker.");
        Field(j => j.Scheduled).Description("Jobs waiting for their time (retries among them).");
        Field(j => j.Processing);
        Field(j => j.Failed).Description("Jobs that failed after their retries and stay failed until an operator requeues or deletes them.");
        Field(j => j.Servers).Description("Job servers (one per silo) that are alive.");
        Field(j => j.Recurring, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<RecurringJobType>>>)).Description("Every schedule, by id.");
        Field(j => j.RecentFailures, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<FailedJobType>>>)).Description("The latest failed jobs, newest first (at most 20).");
    }
}

public sealed class RecurringJobType : ObjectGraphType<RecurringJobView>
{
    public RecurringJobType()
    {
        Name = "RecurringJob";
        Field(r => r.Id);
        Field(r => r.TenantId, nullable: true).Description("The tenant a per-tenant job runs for; null for a platform job.");
        Field(r => r.Cron).Description("UTC cron; \"0 0 31 2 *\" never fires.");
        Field<DateTimeOffsetGraphType>("nextExecution").Resolve(c => Utc(c.Source.NextExecution));
        Field<DateTimeOffsetGraphType>("lastExecution").Resolve(c => Utc(c.Source.LastExecution));
        Field(r => r.LastJobState, nullable: true).Description("State of the last run: Succeeded, Failed, Processing, Scheduled (a retry) …");
        Field(r => r.Error, nullable: true).Description("Why the schedule itself could not be read or planned, if it could not.");
    }

    internal static DateTimeOffset? Utc(DateTime? value) => value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}

public sealed class FailedJobType : ObjectGraphType<FailedJobView>
{
    public FailedJobType()
    {
        Name = "FailedJob";
        Field(f => f.JobId);
        Field(f => f.Job).Description("What ran, as the dashboard names it (e.g. \"anomalies for tenant acme\").");
        Field<DateTimeOffsetGraphType>("failedAt").Resolve(c => RecurringJobType.Utc(c.Source.FailedAt));
        Field(f => f.ExceptionType, nullable: true);
        Field(f => f.ExceptionMessage, nullable: true);
    }
}

public static class JobHealthQueries
{
    private const int Failures = 20;

    public static void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<JobHealthType>>("jobHealth")
            .Description("Counts, schedules and the latest failures of the background jobs of every tenant.")
            .RequireRoles(Roles.PlatformAdmin)
            .Resolve(context =>
            {
                var storage = context.RequestServices!.GetRequiredService<JobStorage>();
                var tenantJobs = context.RequestServices!.GetServices<ITenantJob>().Select(j => j.Name + ":").ToList();
                var monitoring = storage.GetMonitoringApi();
                var statistics = monitoring.GetStatistics();
                List<RecurringJobDto> recurring;
                using (var connection = storage.GetConnection())
                {
                    recurring = connection.GetRecurringJobs();
                }

                return new JobHealth(statistics.Enqueued, statistics.Scheduled, statistics.Processing, statistics.Failed, statistics.Servers,
                    recurring.OrderBy(r => r.Id, StringComparer.Ordinal)
                        .Select(r => new RecurringJobView(r.Id, TenantOf(r.Id, tenantJobs), r.Cron, r.NextExecution, r.LastExecution, r.LastJobState, r.Error ?? r.LoadException?.Message))
                        .ToList(),
                    monitoring.FailedJobs(0, Failures)
                        .Select(f => new FailedJobView(f.Key, Describe(f.Value.Job), f.Value.FailedAt, f.Value.ExceptionType, f.Value.ExceptionMessage))
                        .ToList());
            });

    private static string? TenantOf(string id, IReadOnlyList<string> tenantJobPrefixes) =>
        tenantJobPrefixes.FirstOrDefault(p => id.StartsWith(p, StringComparison.Ordinal)) is { } prefix ? id[prefix.Length..] : null;

    // The dashboard's name for a job: its JobDisplayName with the arguments filled in, else Type.Method.
    private static string Describe(Job? job)
    {
        if (job is null)
        {
            return "(a job this build cannot load)";
        }

        return job.Method.GetCustomAttribute<JobDisplayNameAttribute>() is { } display
            ? string.Format(CultureInfo.InvariantCulture, display.DisplayName, [.. job.Args])
            : $"{job.Type.Name}.{job.Method.Name}";
    }
}
