namespace Governance.Storage.Triggers;

/// <summary>A rule as a tenant admin writes it; condition <c>enters_band</c> (with a band) or <c>rises_above</c>/<c>falls_below</c> (with a threshold).</summary>
public sealed record NewTriggerRule(string Name, string MetricKey, string Condition, string? Band, decimal? Threshold);

/// <summary>The latest version of a rule: a rule is disabled by a version with <see cref="Enabled"/> false.</summary>
public sealed class TriggerRuleRow
{
    public Guid RuleId { get; set; }
    public int Version { get; set; }
    public string Name { get; set; } = "";
    public string MetricKey { get; set; } = "";
    public string Condition { get; set; } = "";
    public string? Band { get; set; }
    public decimal? Threshold { get; set; }
    public bool Enabled { get; set; }
    public string ChangedBy { get; set; } = "";
    public string? Reason { get; set; }
    public DateTime ChangedAt { get; set; }
}

/// <summary>The tenant's webhook in force: the latest one set. The secret signs deliveries and never leaves the service.</summary>
public sealed class WebhookRow
{
    public int Version { get; set; }
    public string Url { get; set; } = "";
    public string Secret { get; set; } = "";
    public string SetBy { get; set; } = "";
    public DateTime SetAt { get; set; }
}

/// <summary>
/// A task a fired rule opens for the account's owner, and the webhook event announcing it; both ids are
/// chosen before the insert so the event's body can name the task.
/// </summary>
public sealed record NewTask(Guid TaskId, Guid RuleId, int RuleVersion, string AccountId, string? OwnerExecutiveId, string MetricKey, string Period,
    decimal? Value, decimal? Previous, string? Band, string? PreviousBand, Guid EventId, string EventType, string EventBody);

public sealed class TaskRow
{
    public Guid TaskId { get; set; }
    public Guid RuleId { get; set; }
    public int RuleVersion { get; set; }
    public string AccountId { get; set; } = "";
    public string? OwnerExecutiveId { get; set; }
    public string MetricKey { get; set; } = "";
    public string Period { get; set; } = "";
    public decimal? Value { get; set; }
    public decimal? Previous { get; set; }
    public string? Band { get; set; }
    public string? PreviousBand { get; set; }
    public string Status { get; set; } = "";
    public string OpenedBy { get; set; } = "";
    public DateTime OpenedAt { get; set; }
}

/// <summary>A stored webhook event: the exact body every attempt sends.</summary>
public sealed class WebhookEventRow
{
    public Guid EventId { get; set; }
    public string Type { get; set; } = "";
    public Guid? TaskId { get; set; }
    public string Body { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

/// <summary>One attempt to deliver an event: the answer's status code, or the error that stood for one.</summary>
public sealed record NewDelivery(Guid EventId, int Attempt, string? Url, int? StatusCode, string? Error, bool Succeeded, int DurationMs);

public sealed class DeliveryRow
{
    public Guid EventId { get; set; }
    public string EventType { get; set; } = "";
    public int Attempt { get; set; }
    public string? Url { get; set; }
    public int? StatusCode { get; set; }
    public string? Error { get; set; }
    public bool Succeeded { get; set; }
    public int DurationMs { get; set; }
    public DateTime AttemptedAt { get; set; }
}
