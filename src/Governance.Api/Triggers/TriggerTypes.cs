using Governance.Api.Metrics.Values;
using Governance.Domain.Metrics.Values;
using Governance.Domain.Triggers;
using Governance.Storage.Triggers;
using GraphQL.Types;

namespace Governance.Api.Triggers;

public sealed class TriggerConditionType : EnumerationGraphType<TriggerConditionKind>
{
    public TriggerConditionType()
    {
        Name = "TriggerCondition";
        Description = "ENTERS_BAND: a health score's band becomes the rule's band (another band the month before). RISES_ABOVE / FALLS_BELOW: the value crosses the threshold (on the other side of it, or at it, the month before).";
    }
}

public sealed class TriggerRuleType : ObjectGraphType<TriggerRuleRow>
{
    public TriggerRuleType()
    {
        Name = "TriggerRule";
        Description = "A tenant's rule: when an account's metric does this from one month to the next, open a task for the account's owner and call the webhook. Versioned: disabling adds a version.";
        Field("id", r => r.RuleId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(r => r.Version);
        Field(r => r.Name);
        Field(r => r.MetricKey);
        Field("condition", r => TriggerConditions.ConditionOf(r.Condition), type: typeof(NonNullGraphType<TriggerConditionType>));
        Field("band", r => r.Band == null ? (HealthBand?)null : Enum.Parse<HealthBand>(r.Band, true), type: typeof(HealthBandType)).Description("For ENTERS_BAND.");
        Field(r => r.Threshold, nullable: true).Description("For RISES_ABOVE and FALLS_BELOW, in the metric's unit.");
        Field(r => r.Enabled);
        Field(r => r.ChangedBy).Description("Who wrote this version.");
        Field(r => r.Reason, nullable: true).Description("Why it was disabled.");
        Field("changedAt", r => new DateTimeOffset(r.ChangedAt, TimeSpan.Zero));
    }
}

public sealed class WebhookType : ObjectGraphType<WebhookRow>
{
    public WebhookType()
    {
        Name = "Webhook";
        Description = "The tenant's webhook in force. Its signing secret is shown only by setWebhook.";
        Field(w => w.Url);
        Field(w => w.Version);
        Field(w => w.SetBy);
        Field("setAt", w => new DateTimeOffset(w.SetAt, TimeSpan.Zero));
    }
}

public sealed record WebhookWithSecret(WebhookRow Webhook, string Secret);

public sealed class SetWebhookResultType : ObjectGraphType<WebhookWithSecret>
{
    public SetWebhookResultType()
    {
        Name = "SetWebhookResult";
        Field("webhook", r => r.Webhook, type: typeof(NonNullGraphType<WebhookType>));
        Field(r => r.Secret).Description("The signing secret, shown this once: keep it where the receiver verifies signatures (docs/api.md, \"Triggers and webhooks\").");
    }
}

public sealed class TriggerTaskType : ObjectGraphType<TaskRow>
{
    public TriggerTaskType()
    {
        Name = "TriggerTask";
        Description = "A task a trigger rule opened for the account's owner, once per rule, account and month.";
        Field("id", t => t.TaskId, type: typeof(NonNullGraphType<IdGraphType>));
        Field("ruleId", t => t.RuleId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(t => t.RuleVersion);
        Field(t => t.AccountId);
        Field(t => t.OwnerExecutiveId, nullable: true).Description("The executive whose portfolio held the account that month; null when none did.");
        Field(t => t.MetricKey);
        Field(t => t.Period);
        Field(t => t.Value, nullable: true);
        Field(t => t.Previous, nullable: true).Description("The value the month before.");
        Field("band", t => t.Band == null ? (HealthBand?)null : Enum.Parse<HealthBand>(t.Band, true), type: typeof(HealthBandType));
        Field("previousBand", t => t.PreviousBand == null ? (HealthBand?)null : Enum.Parse<HealthBand>(t.PreviousBand, true), type: typeof(HealthBandType));
        Field("status", t => t.Status.ToUpperInvariant()).Description("OPEN.");
        Field(t => t.OpenedBy);
        Field("openedAt", t => new DateTimeOffset(t.OpenedAt, TimeSpan.Zero));
    }
}

public sealed class WebhookDeliveryType : ObjectGraphType<DeliveryRow>
{
    public WebhookDeliveryType()
    {
        Name = "WebhookDelivery";
        Description = "One attempt to deliver a webhook event; every attempt of an event carries the same event id.";
        Field("eventId", d => d.EventId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(d => d.EventType);
        Field(d => d.Attempt);
        Field(d => d.Url, nullable: true);
        Field(d => d.StatusCode, nullable: true).Description("The receiver's answer; null when there was none.");
        Field(d => d.Error, nullable: true).Description("Why there was no answer (timeout, connection refused, no webhook set).");
        Field(d => d.Succeeded).Description("A 2xx answer.");
        Field(d => d.DurationMs);
        Field("attemptedAt", d => new DateTimeOffset(d.AttemptedAt, TimeSpan.Zero));
    }
}

public sealed record CreateTriggerRuleInput(string Name, string MetricKey, TriggerConditionKind Condition, HealthBand? Band, decimal? Threshold);

public sealed class CreateTriggerRuleInputType : InputObjectGraphType<CreateTriggerRuleInput>
{
    public CreateTriggerRuleInputType()
    {
        Name = "CreateTriggerRuleInput";
        Field(i => i.Name);
        Field(i => i.MetricKey).Description("A metric of the tenant; for ENTERS_BAND a health score.");
        Field(i => i.Condition, type: typeof(NonNullGraphType<TriggerConditionType>));
        Field(i => i.Band, type: typeof(HealthBandType)).Description("For ENTERS_BAND only.");
        Field(i => i.Threshold, nullable: true).Description("For RISES_ABOVE and FALLS_BELOW only, in the metric's unit.");
    }
}
