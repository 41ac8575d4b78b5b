using Governance.Api.GraphQL;
using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Definitions;
using Governance.Storage.Metrics;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Metrics;

public static class MetricDefinitionQueries
{
    public static void AddTo(ObjectGraphType query)
    {
        var readers = DefinitionLifecycle.ReaderRoles.ToArray();

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<MetricDefinitionType>>>>("metricDefinitions")
            .Description("Metric definitions of the caller's tenant, by key. Filters apply to versions; unless allVersions, each key shows its latest matching version.")
            .Argument<StringGraphType>("key")
            .Argument<MetricDefinitionStatusType>("status")
            .Argument<FocusAreaType>("focusArea")
            .Argument<BooleanGraphType>("allVersions", "Every matching version instead of the latest per key.", a => a.DefaultValue = false)
            .RequireRoles(readers)
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var filter = new DefinitionFilter
                {
                    Key = context.GetArgument<string?>("key"),
                    Status = context.GetArgument<DefinitionStatus?>("status"),
                    FocusArea = context.GetArgument<FocusArea?>("focusArea"),
                    AllVersions = context.GetArgument("allVersions", false),
                };
                return await Store(context).ListAsync(caller.TenantId, filter, context.CancellationToken);
            });

        query.Field<MetricDefinitionType>("metricDefinition")
            .Description("One version of a key, the latest when no version is given; null with a NOT_FOUND error when the tenant has no such version.")
            .Argument<NonNullGraphType<StringGraphType>>("key")
            .Argument<IntGraphType>("version")
            .RequireRoles(readers)
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var key = context.GetArgument<string>("key");
                var version = Version(context, "version");
                var definition = await Store(context).GetAsync(caller.TenantId, key, version, context.CancellationToken);
                if (definition is null)
                {
                    context.Errors.Add(DefinitionErrors.NotFound(key, version));
                }

                return definition;
            });

        query.Field<ListGraphType<NonNullGraphType<MetricDefinitionType>>>("metricDefinitionHistory")
            .Description("Every version of a key, oldest first, each with its status and approvals; null with NOT_FOUND when the tenant has no such key.")
            .Argument<NonNullGraphType<StringGraphType>>("key")
            .RequireRoles(readers)
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var key = context.GetArgument<string>("key");
                var history = await Store(context).HistoryAsync(caller.TenantId, key, context.CancellationToken);
                if (history.Count == 0)
                {
                    context.Errors.Add(DefinitionErrors.NotFound(key, null));
                    return null;
                }

                return history;
            });

        query.Field<MetricDefinitionDiffType>("metricDefinitionDiff")
            .Description("The fields that differ between two versions of a key; null with NOT_FOUND when either version does not exist.")
            .Argument<NonNullGraphType<StringGraphType>>("key")
            .Argument<NonNullGraphType<IntGraphType>>("fromVersion")
            .Argument<NonNullGraphType<IntGraphType>>("toVersion")
            .RequireRoles(readers)
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var key = context.GetArgument<string>("key");
                var store = Store(context);
                var fromVersion = Version(context, "fromVersion")!.Value;
                var toVersion = Version(context, "toVersion")!.Value;
                var from = await store.GetAsync(caller.TenantId, key, fromVersion, context.CancellationToken);
                var to = await store.GetAsync(caller.TenantId, key, toVersion, context.CancellationToken);
                if (from is null || to is null)
                {
                    context.Errors.Add(DefinitionErrors.NotFound(key, from is null ? fromVersion : toVersion));
                    return null;
                }

                return new MetricDefinitionDiff(from, to, DefinitionDiff.Between(from, to));
            });

        query.Field<NonNullGraphType<FormulaCheckType>>("checkMetricFormula")
            .Description("Compiles a formula for a unit, as a proposal would, and says whether it is valid and what is wrong where. Stores nothing.")
            .Argument<NonNullGraphType<StringGraphType>>("formula")
            .Argument<NonNullGraphType<MetricUnitType>>("unit")
            .RequireRoles(readers)
            .Resolve(context =>
            {
                var formula = context.GetArgument<string>("formula");
                if (formula.Length > DefinitionValidator.MaxFormulaLength)
                {
                    throw ErrorCodes.Invalid("formula", $"must be at most {DefinitionValidator.MaxFormulaLength} characters long");
                }

                return DefinitionValidator.Compile(formula, context.GetArgument<Unit>("unit"));
            });
    }

    private static MetricDefinitionStore Store(IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<MetricDefinitionStore>();

    /// <summary>A version argument: versions start at 1.</summary>
    internal static int? Version(IResolveFieldContext context, string argument)
    {
        var version = context.GetArgument<int?>(argument);
        return version is < 1 ? throw ErrorCodes.Invalid(argument, "must be 1 or more") : version;
    }
}
