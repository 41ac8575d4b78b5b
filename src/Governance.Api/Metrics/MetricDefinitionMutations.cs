using Governance.Api.GraphQL;
using Governance.Api.Identity;
using Governance.Domain.Metrics.Definitions;
using Governance.Storage.Metrics;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Metrics;

/// <summary>
/// The definition lifecycle over GraphQL. The rules themselves are <see cref="DefinitionLifecycle"/>'s,
/// checked by the store inside the transaction that writes; these resolvers only translate.
/// </summary>
public static class MetricDefinitionMutations
{
    public static void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<MetricDefinitionType>("proposeMetricDefinition")
            .Description("Proposes a new version of a metric definition as a DRAFT. Every invalid field is reported (extensions.data.field, formula errors with line and column); nothing is stored then.")
            .Argument<NonNullGraphType<ProposeMetricDefinitionInputType>>("input")
            .RequireRoles([.. DefinitionLifecycle.ProposerRoles])
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var draft = context.GetArgument<ProposeMetricDefinitionInput>("input").ToDraft();
                var outcome = await Store(context).ProposeAsync(caller.TenantId, draft, Actor(context), context.CancellationToken);
                return Answer(context, outcome, "input.", draft.Key, null);
            });

        mutation.Field<MetricDefinitionType>("approveMetricDefinition")
            .Description("Approves a DRAFT version. Never by its author (FORBIDDEN); a version approved or retired already is a CONFLICT.")
            .Argument<NonNullGraphType<StringGraphType>>("key")
            .Argument<NonNullGraphType<IntGraphType>>("version")
            .Argument<StringGraphType>("reason", "Optional note of the approval, at most 500 characters.")
            .RequireRoles([.. DefinitionLifecycle.ApproverRoles])
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var key = context.GetArgument<string>("key");
                var version = MetricDefinitionQueries.Version(context, "version")!.Value;
                var outcome = await Store(context).ApproveAsync(caller.TenantId, key, version, Actor(context),
                    context.GetArgument<string?>("reason"), context.CancellationToken);
                return Answer(context, outcome, "", key, version);
            });

        mutation.Field<MetricDefinitionType>("retireMetricDefinition")
            .Description("Retires a DRAFT (withdrawn) or APPROVED version, with a reason. Retiring it again is a CONFLICT.")
            .Argument<NonNullGraphType<StringGraphType>>("key")
            .Argument<NonNullGraphType<IntGraphType>>("version")
            .Argument<NonNullGraphType<StringGraphType>>("reason", "Why it is retired, 1 to 500 characters.")
            .RequireRoles([.. DefinitionLifecycle.ApproverRoles])
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var key = context.GetArgument<string>("key");
                var version = MetricDefinitionQueries.Version(context, "version")!.Value;
                var outcome = await Store(context).RetireAsync(caller.TenantId, key, version, Actor(context),
                    context.GetArgument<string>("reason"), context.CancellationToken);
                return Answer(context, outcome, "", key, version);
            });
    }

    private static MetricDefinition? Answer(IResolveFieldContext context, DefinitionOutcome outcome, string fieldPrefix, string key, int? version)
    {
        if (outcome.Refusal is { } refusal)
        {
            DefinitionErrors.Report(context, refusal, fieldPrefix, key, version);
        }

        return outcome.Definition;
    }

    /// <summary>The caller as the lifecycle rules see them: subject and roles, both from the token.</summary>
    private static DefinitionActor Actor(IResolveFieldContext context) =>
        new(context.Caller().Subject, context.User!.FindAll(GovernanceClaims.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));

    private static MetricDefinitionStore Store(IResolveFieldContext context) =>
        context.RequestServices!.GetRequiredService<MetricDefinitionStore>();
}
