using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using Governance.Api.Hosting;
using Governance.Domain.Metrics.Definitions;
using Governance.Domain.Triggers;
using Governance.Storage.Metrics;
using Governance.Storage.Triggers;
using GraphQL;
using GraphQL.Types;

namespace Governance.Api.Triggers;

/// <summary>A tenant admin's trigger rules and webhook; each change audited.</summary>
public static class TriggerMutations
{
    public const int MaxName = 200;
    public const int MaxUrl = 2000;

    public static void AddTo(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<TriggerRuleType>>("createTriggerRule")
            .Description("Adds an enabled rule, evaluated by the hourly triggers job on every account for the last ended month.")
            .Argument<NonNullGraphType<CreateTriggerRuleInputType>>("input")
            .RequireRoles(Roles.TenantAdmin)
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var input = context.GetArgument<CreateTriggerRuleInput>("input");
                var name = input.Name?.Trim() ?? "";
                if (name.Length is 0 or > MaxName)
                {
                    throw ErrorCodes.Invalid("input.name", $"must be 1 to {MaxName} characters");
                }

                var condition = new TriggerCondition(input.Condition, input.Band, input.Threshold);
                if (condition.Validate() is { } problem)
                {
                    throw ErrorCodes.Invalid($"input.{problem.Field}", problem.Problem);
                }

                var metricKey = input.MetricKey?.Trim() ?? "";
                var definition = metricKey.Length == 0 ? null
                    : await context.RequestServices!.GetRequiredService<MetricDefinitionStore>().GetAsync(caller.TenantId, metricKey, null, context.CancellationToken);
                if (definition is null)
                {
                    throw ErrorCodes.Invalid("input.metricKey", $"the tenant has no metric '{metricKey}'");
                }

                if (input.Condition == TriggerConditionKind.EntersBand && definition.Kind != DefinitionKind.HealthScore)
                {
                    throw ErrorCodes.Invalid("input.metricKey", "ENTERS_BAND needs a health score metric");
                }

                return await TriggerQueries.Store(context).CreateRuleAsync(caller.TenantId,
                    new NewTriggerRule(name, metricKey, TriggerConditions.Stored(input.Condition), input.Band?.ToString().ToLowerInvariant(), input.Threshold),
                    caller.Subject, context.CancellationToken);
            });

        mutation.Field<NonNullGraphType<TriggerRuleType>>("disableTriggerRule")
            .Description("Disables a rule with a reason (a new version); its tasks stay. Disabling twice is a CONFLICT.")
            .Argument<NonNullGraphType<IdGraphType>>("ruleId")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .RequireRoles(Roles.TenantAdmin)
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var id = Guid.TryParse(context.GetArgument<string>("ruleId"), out var parsed) ? parsed : throw ErrorCodes.Invalid("ruleId", "must be a rule id (a UUID)");
                var reason = context.GetArgument<string>("reason");
                if (string.IsNullOrWhiteSpace(reason))
                {
                    throw ErrorCodes.Invalid("reason", "must not be blank");
                }

                var store = TriggerQueries.Store(context);
                return await store.DisableRuleAsync(caller.TenantId, id, caller.Subject, reason.Trim(), context.CancellationToken) switch
                {
                    null => throw ErrorCodes.NotFoundError("Trigger rule", id.ToString()),
                    false => throw new ExecutionError("The rule is disabled already.") { Code = ErrorCodes.Conflict },
                    true => (await store.RuleAsync(caller.TenantId, id, context.CancellationToken))!,
                };
            });

        mutation.Field<NonNullGraphType<SetWebhookResultType>>("setWebhook")
            .Description("Sets the URL the tenant's webhook events are POSTed to, and issues a new signing secret, shown once. Replaces the webhook in force.")
            .Argument<NonNullGraphType<StringGraphType>>("url", "https://…; http:// only on loopback hosts where the host allows it (Webhooks:AllowInsecureLoopback).")
            .RequireRoles(Roles.TenantAdmin)
            .ResolveAsync(async context =>
            {
                var caller = context.Caller();
                var url = CheckUrl(context.GetArgument<string>("url"), context.RequestServices!.GetRequiredService<GovernanceOptions>().Webhooks);
                var secret = WebhookSignature.NewSecret();
                var stored = context.RequestServices!.GetRequiredService<WebhookSecrets>().Protect(secret);
                var webhook = await TriggerQueries.Store(context).SetWebhookAsync(caller.TenantId, url, stored, caller.Subject, context.CancellationToken)
                    ?? throw new ExecutionError("The webhook was changed at the same moment; try again.") { Code = ErrorCodes.Conflict };
                return new WebhookWithSecret(webhook, secret);
            });
    }

    /// <summary>An absolute https URL without credentials in it (http on loopback only when allowed).</summary>
    public static string CheckUrl(string? text, GovernanceOptions.WebhookSettings settings)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw ErrorCodes.Invalid("url", "must not be blank");
        }

        if (trimmed.Length > MaxUrl || !Uri.TryCreate(trimmed, UriKind.Absolute, out var uri))
        {
            throw ErrorCodes.Invalid("url", $"must be an absolute URL of at most {MaxUrl} characters");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw ErrorCodes.Invalid("url", "must not carry credentials (the signature authenticates the sender)");
        }

        // A name is checked again on every call (WebhookAddressGuard); an address can be refused now.
        if (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && !WebhookAddressGuard.IsPublic(address)
            && !(settings.AllowInsecureLoopback && System.Net.IPAddress.IsLoopback(address)))
        {
            throw ErrorCodes.Invalid("url", "must not point at a private, loopback or link-local address");
        }

        var secure = uri.Scheme == Uri.UriSchemeHttps;
        var allowedInsecure = uri.Scheme == Uri.UriSchemeHttp && settings.AllowInsecureLoopback && uri.IsLoopback;
        return secure || allowedInsecure ? uri.AbsoluteUri : throw ErrorCodes.Invalid("url", "must be https://");
    }
}
