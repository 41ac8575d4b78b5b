using Governance.Api.GraphQL;
using Governance.Domain.Measures;
using Governance.Domain.Metrics.Definitions;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Metrics.Values;

public static class MetricValueQueries
{
    public static void AddTo(ObjectGraphType query)
    {
        var readers = DefinitionLifecycle.ReaderRoles.ToArray();

        query.Field<NonNullGraphType<MetricValueType>>("metricValue")
            .Description("One metric for a scope and period, under the version in force for the period unless a version is given.")
            .Argument<NonNullGraphType<StringGraphType>>("key")
            .Argument<NonNullGraphType<MetricScopeInputType>>("scope")
            .Argument<NonNullGraphType<StringGraphType>>("period", "yyyy, yyyy-Qn or yyyy-MM.")
            .Argument<IntGraphType>("version")
            .RequireRoles(readers)
            .ResolveAsync(async context =>
            {
                var (service, scope, period) = await OpenAsync(context);
                return await service.ValueAsync(context.Caller().TenantId, context.GetArgument<string>("key"), scope, period,
                    MetricDefinitionQueries.Version(context, "version"), context.CancellationToken);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<MetricValueType>>>>("metricValues")
            .Description("Several metrics for one scope and period, each under its version in force; without keys, every metric that has one.")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("keys")
            .Argument<NonNullGraphType<MetricScopeInputType>>("scope")
            .Argument<NonNullGraphType<StringGraphType>>("period", "yyyy, yyyy-Qn or yyyy-MM.")
            .RequireRoles(readers)
            .ResolveAsync(async context =>
            {
                var (service, scope, period) = await OpenAsync(context);
                return await service.ValuesAsync(context.Caller().TenantId, context.GetArgument<List<string>?>("keys"), scope, period, context.CancellationToken);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<MetricValueType>>>>("metricSeries")
            .Description($"A metric period by period, for trends: from and to of the same grain, at most {MetricValueService.MaxSeries} periods.")
            .Argument<NonNullGraphType<StringGraphType>>("key")
            .Argument<NonNullGraphType<MetricScopeInputType>>("scope")
            .Argument<NonNullGraphType<StringGraphType>>("from", "yyyy, yyyy-Qn or yyyy-MM.")
            .Argument<NonNullGraphType<StringGraphType>>("to", "Same grain as from.")
            .Argument<IntGraphType>("version")
            .RequireRoles(readers)
            .ResolveAsync(async context =>
            {
                var (service, scope, from) = await OpenAsync(context, "from");
                return await service.SeriesAsync(context.Caller().TenantId, context.GetArgument<string>("key"), scope, from, ParsePeriod(context, "to"),
                    MetricDefinitionQueries.Version(context, "version"), context.CancellationToken);
            });
    }

    private static async Task<(MetricValueService Service, ScopeReader Scope, Period Period)> OpenAsync(IResolveFieldContext context, string periodArgument = "period")
    {
        var period = ParsePeriod(context, periodArgument);
        var scope = context.GetArgument<MetricScopeInput>("scope").ToScope("scope");
        var service = context.RequestServices!.GetRequiredService<MetricValueService>();
        return (service, await service.OpenAsync(context.Caller().TenantId, scope), period);
    }

    private static Period ParsePeriod(IResolveFieldContext context, string argument) =>
        Period.TryParse(context.GetArgument<string>(argument), out var period)
            ? period
            : throw ErrorCodes.Invalid(argument, "must be a year (2026), a quarter (2026-Q1) or a month (2026-03), years 2000–2999");
}
