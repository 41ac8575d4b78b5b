using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using Governance.Api.Metrics.Values;
using Governance.Storage.Reports;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Reports;

public static class ReportQueries
{
    /// <summary>Who reads reports: the audiences of the seed's cadence (CS managers, leadership, executives, the committee) and auditors.</summary>
    public static readonly string[] ReaderRoles = [Roles.TenantAdmin, Roles.Executive, Roles.CsManager, Roles.CommitteeMember, Roles.Auditor];

    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ReportType>>("report")
            .Description("A report of a cadence for a scope and period, computed from the metric values when asked; the markdown field renders it whole.")
            .Argument<NonNullGraphType<ReportCadenceType>>("cadence")
            .Argument<NonNullGraphType<MetricScopeInputType>>("scope")
            .Argument<NonNullGraphType<StringGraphType>>("period", "2025-W11 for WEEKLY_TEAM, 2025-03 for MONTHLY_LEADERSHIP, 2025-Q1 for QUARTERLY_EXECUTIVE.")
            .RequireRoles(ReaderRoles)
            .ResolveAsync(async context =>
            {
                var cadence = context.GetArgument<ReportCadence>("cadence");
                var period = ReportPeriod.Parse(cadence, context.GetArgument<string>("period"), "period");
                var scope = context.GetArgument<MetricScopeInput>("scope").ToScope("scope");
                var builder = context.RequestServices!.GetRequiredService<ReportBuilder>();
                return await builder.BuildAsync(context.Caller().TenantId, scope, period, context.CancellationToken);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<StoredReportType>>>>("storedReports")
            .Description("The reports the daily reports job stored on the cadence (tenant and every executive), newest first.")
            .Argument<ReportCadenceType>("cadence", "Only this cadence.")
            .Argument<IntGraphType>("first", $"1 to {ReportStore.MaxPage}; 20 when left out.")
            .RequireRoles(ReaderRoles)
            .WithComplexityImpact(1, 2)
            .ResolveAsync(async context =>
            {
                var first = context.GetArgument<int?>("first") ?? 20;
                if (first is < 1 or > ReportStore.MaxPage)
                {
                    throw ErrorCodes.Invalid("first", $"must be 1 to {ReportStore.MaxPage}");
                }

                var cadence = context.GetArgument<ReportCadence?>("cadence");
                var store = context.RequestServices!.GetRequiredService<ReportStore>();
                return await store.ListAsync(context.Caller().TenantId, cadence is { } c ? ReportFileEndpoint.Segment(c) : null, first, context.CancellationToken);
            });
    }
}
