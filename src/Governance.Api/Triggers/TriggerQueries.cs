using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using Governance.Storage.Triggers;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Triggers;

/// <summary>Reading trigger rules, the webhook, the tasks rules opened and the webhook deliveries.</summary>
public static class TriggerQueries
{
    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<TriggerRuleType>>>>("triggerRules")
            .Description("The latest version of each trigger rule, oldest rule first.")
            .Argument<BooleanGraphType>("includeDisabled", "Also the disabled ones (default false).")
            .RequireRoles(Roles.TenantAdmin, Roles.Auditor)
            .WithComplexityImpact(1, 2)
            .ResolveAsync(async context => await Store(context).RulesAsync(context.Caller().TenantId, context.GetArgument<bool?>("includeDisabled") ?? false, context.CancellationToken));

        query.Field<WebhookType>("webhook")
            .Description("The tenant's webhook in force (never its secret); null when none is set.")
            .RequireRoles(Roles.TenantAdmin, Roles.Auditor)
            .ResolveAsync(async context => await Store(context).WebhookAsync(context.Caller().TenantId, context.CancellationToken));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<TriggerTaskType>>>>("triggerTasks")
            .Description("Tasks the trigger rules opened, newest first.")
            .Argument<IntGraphType>("first", $"1 to {TriggerStore.MaxPage}; 100 when left out.")
            .RequireRoles(Roles.TenantAdmin, Roles.CsManager, Roles.Auditor)
            .ResolveAsync(async context => await Store(context).TasksAsync(context.Caller().TenantId, First(context), context.CancellationToken));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<WebhookDeliveryType>>>>("webhookDeliveries")
            .Description("Every attempt to deliver a webhook event, newest first.")
            .Argument<IntGraphType>("first", $"1 to {TriggerStore.MaxPage}; 100 when left out.")
            .RequireRoles(Roles.TenantAdmin)
            .ResolveAsync(async context => await Store(context).DeliveriesAsync(context.Caller().TenantId, First(context), context.CancellationToken));
    }

    private static int First(IResolveFieldContext context)
    {
        var first = context.GetArgument<int?>("first") ?? 100;
        return first is < 1 or > TriggerStore.MaxPage ? throw ErrorCodes.Invalid("first", $"must be 1 to {TriggerStore.MaxPage}") : first;
    }

    internal static TriggerStore Store(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<TriggerStore>();
}
