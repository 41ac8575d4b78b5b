using Governance.Api.Jobs;
using Governance.Api.Metrics.Values;
using Governance.Storage.Reports;

namespace Governance.Api.Reports;

/// <summary>
/// Every day, stores the reports of the last completed period of each cadence that the tenant does not
/// hold yet: the week before (so the weekly team report appears on Monday), the month before (on the
/// 1st) and the quarter before (on its first day), for the whole tenant and for every executive's
/// portfolio. Idempotent: a report is stored once per cadence, scope and period (the key decides
/// between two runs at once); a missed day is caught up by the next, for the latest periods.
/// </summary>
public sealed class ReportJob(ReportBuilder builder, ReportStore store, TimeProvider time) : ITenantJob
{
    public const string JobName = "reports";

    public string Name => JobName;

    public string DefaultSchedule => "0 6 * * *";

    public async Task RunAsync(string tenantId, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var scopes = (await store.ExecutivesAsync(tenantId, cancellationToken))
            .Select(e => new MetricScope(ScopeKind.Executive, e))
            .Prepend(new MetricScope(ScopeKind.Tenant, null))
            .ToList();
        foreach (var cadence in Enum.GetValues<ReportCadence>())
        {
            var period = ReportPeriod.Parse(cadence, ReportPeriod.LabelFor(cadence, LastCompleted(cadence, today)), "period");
            var segment = ReportFileEndpoint.Segment(cadence);
            foreach (var scope in scopes)
            {
                if (await store.ExistsAsync(tenantId, segment, scope.ToString(), period.Label, cancellationToken))
                {
                    continue;
                }

                var report = await builder.BuildAsync(tenantId, scope, period, cancellationToken);
                await store.StoreAsync(tenantId, segment, scope.ToString(), period.Label, ReportMarkdown.Render(report), $"job:{JobName}", cancellationToken);
            }
        }
    }

    /// <summary>A day of the last period of the cadence that ended before <paramref name="today"/>.</summary>
    public static DateOnly LastCompleted(ReportCadence cadence, DateOnly today) => cadence switch
    {
        ReportCadence.WeeklyTeam => today.AddDays(-7),
        ReportCadence.MonthlyLeadership => new DateOnly(today.Year, today.Month, 1).AddDays(-1),
        _ => new DateOnly(today.Year, (((today.Month - 1) / 3) * 3) + 1, 1).AddDays(-1),
    };
}
