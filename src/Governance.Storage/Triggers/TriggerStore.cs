using Dapper;
using Governance.Domain.Audit;
using Governance.Storage.Audit;
using Npgsql;

namespace Governance.Storage.Triggers;

/// <summary>
/// Trigger rules, the tenant's webhook, the tasks fired rules open, their webhook events and every delivery
/// attempt (migration 0019). Every change a person or job makes is audited in its transaction; delivery
/// attempts are operational records, kept in their own table rather than the audit log.
/// </summary>
public sealed class TriggerStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public const int MaxPage = 500;

    private const string RuleColumns = """
        rule_id as RuleId, version as Version, name as Name, metric_key as MetricKey, condition as Condition, band as Band, threshold as Threshold,
        enabled as Enabled, changed_by as ChangedBy, reason as Reason, changed_at as ChangedAt
        """;

    private const string TaskColumns = """
        task_id as TaskId, rule_id as RuleId, rule_version as RuleVersion, account_id as AccountId, owner_executive_id as OwnerExecutiveId,
        metric_key as MetricKey, period as Period, value as Value, previous as Previous, band as Band, previous_band as PreviousBand,
        status as Status, opened_by as OpenedBy, opened_at as OpenedAt
        """;

    /// <summary>Creates version 1 of a new, enabled rule (<c>trigger_rule.created</c>).</summary>
    public async Task<TriggerRuleRow> CreateRuleAsync(string tenantId, NewTriggerRule rule, string createdBy, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var at = AuditEntry.StorableTime(time.GetUtcNow());
        var row = new TriggerRuleRow
        {
            RuleId = Guid.CreateVersion7(), Version = 1, Name = rule.Name, MetricKey = rule.MetricKey, Condition = rule.Condition, Band = rule.Band,
            Threshold = rule.Threshold, Enabled = true, ChangedBy = createdBy, ChangedAt = at.UtcDateTime,
        };
        await InsertRuleAsync(session, tenantId, row, cancellationToken);
        await AuditLog.AppendAsync(session.Connection, session.Transaction, tenantId,
            new AuditEvent(createdBy, "trigger_rule.created", $"trigger_rule:{row.RuleId}", null, null,
                AuditEvent.Json(new { row.RuleId, row.Version, row.Name, row.MetricKey, row.Condition, row.Band, row.Threshold, row.Enabled })),
            at, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return row;
    }

    /// <summary>
    /// Disables a rule with a new version (<c>trigger_rule.disabled</c>): null when the tenant has no such rule,
    /// false when it is disabled already (or another call disabled it at the same moment).
    /// </summary>
    public async Task<bool?> DisableRuleAsync(string tenantId, Guid ruleId, string disabledBy, string reason, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var latest = await LatestRuleAsync(session, tenantId, ruleId, cancellationToken);
        if (latest is null)
        {
            return null;
        }

        if (!latest.Enabled)
        {
            return false;
        }

        var at = AuditEntry.StorableTime(time.GetUtcNow());
        var next = new TriggerRuleRow
        {
            RuleId = ruleId, Version = latest.Version + 1, Name = latest.Name, MetricKey = latest.MetricKey, Condition = latest.Condition, Band = latest.Band,
            Threshold = latest.Threshold, Enabled = false, ChangedBy = disabledBy, Reason = reason, ChangedAt = at.UtcDateTime,
        };
        if (!await InsertRuleAsync(session, tenantId, next, cancellationToken))
        {
            return false;
        }

        await AuditLog.AppendAsync(session.Connection, session.Transaction, tenantId,
            new AuditEvent(disabledBy, "trigger_rule.disabled", $"trigger_rule:{ruleId}", reason,
                AuditEvent.Json(new { latest.Version, enabled = true }), AuditEvent.Json(new { next.Version, enabled = false })),
            at, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<TriggerRuleRow?> RuleAsync(string tenantId, Guid ruleId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        return await LatestRuleAsync(session, tenantId, ruleId, cancellationToken);
    }

    /// <summary>The latest version of every rule, oldest rule first; disabled ones only when asked.</summary>
    public async Task<IReadOnlyList<TriggerRuleRow>> RulesAsync(string tenantId, bool includeDisabled, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var rows = await session.Connection.QueryAsync<TriggerRuleRow>(new CommandDefinition(
            $"""
            select * from (
                select distinct on (rule_id) {RuleColumns} from trigger_rules where tenant_id = @tenantId order by rule_id, version desc
            ) latest where @includeDisabled or Enabled order by RuleId
            """, new { tenantId, includeDisabled }, session.Transaction, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>
    /// Sets the tenant's webhook as a new version (<c>webhook.set</c>, with the URL, never the secret); null
    /// when another call set one at the same moment.
    /// </summary>
    public async Task<WebhookRow?> SetWebhookAsync(string tenantId, string url, string secret, string setBy, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var before = await WebhookAsync(session, tenantId, cancellationToken);
        var at = AuditEntry.StorableTime(time.GetUtcNow());
        var row = new WebhookRow { Version = (before?.Version ?? 0) + 1, Url = url, Secret = secret, SetBy = setBy, SetAt = at.UtcDateTime };
        var inserted = await session.Connection.ExecuteAsync(new CommandDefinition(
            """
            insert into webhooks (tenant_id, version, url, secret, set_by, set_at) values (@tenantId, @Version, @Url, @Secret, @SetBy, @at)
            on conflict do nothing
            """, new { tenantId, row.Version, row.Url, row.Secret, row.SetBy, at }, session.Transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            return null;
        }

        await AuditLog.AppendAsync(session.Connection, session.Transaction, tenantId,
            new AuditEvent(setBy, "webhook.set", "webhook", null,
                before is null ? null : AuditEvent.Json(new { before.Version, before.Url }), AuditEvent.Json(new { row.Version, row.Url, secretIssued = true })),
            at, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return row;
    }

    /// <summary>The webhook in force, with its secret (for signing); null when none was set.</summary>
    public async Task<WebhookRow?> WebhookAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        return await WebhookAsync(session, tenantId, cancellationToken);
    }

    /// <summary>
    /// Opens the task and stores its webhook event (<c>task.opened</c>, actor <paramref name="openedBy"/>) unless the
    /// rule already opened one for the account and period: false then, and nothing is written. Two runs at
    /// once insert one (the unique key decides; the loser's insert waits for the winner and does nothing).
    /// </summary>
    public async Task<bool> OpenTaskAsync(string tenantId, NewTask task, string openedBy, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var at = AuditEntry.StorableTime(time.GetUtcNow());
        var inserted = await session.Connection.ExecuteAsync(new CommandDefinition(
            """
            insert into tasks (tenant_id, task_id, rule_id, rule_version, account_id, owner_executive_id, metric_key, period, value, previous, band, previous_band, status, opened_by, opened_at)
            values (@tenantId, @TaskId, @RuleId, @RuleVersion, @AccountId, @OwnerExecutiveId, @MetricKey, @Period, @Value, @Previous, @Band, @PreviousBand, 'open', @openedBy, @at)
            on conflict (tenant_id, rule_id, account_id, period) do nothing
            """, new { tenantId, task.TaskId, task.RuleId, task.RuleVersion, task.AccountId, task.OwnerExecutiveId, task.MetricKey, task.Period, task.Value, task.Previous,
                task.Band, task.PreviousBand, openedBy, at }, session.Transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            return false;
        }

        await session.Connection.ExecuteAsync(new CommandDefinition(
            "insert into webhook_events (tenant_id, event_id, type, task_id, body, created_at) values (@tenantId, @EventId, @EventType, @TaskId, @EventBody, @at)",
            new { tenantId, task.EventId, task.EventType, task.TaskId, task.EventBody, at }, session.Transaction, cancellationToken: cancellationToken));
        await AuditLog.AppendAsync(session.Connection, session.Transaction, tenantId,
            new AuditEvent(openedBy, "task.opened", $"task:{task.TaskId}", $"rule {task.RuleId} fired for account {task.AccountId} in {task.Period}", null,
                AuditEvent.Json(new { task.TaskId, task.RuleId, task.RuleVersion, task.AccountId, task.OwnerExecutiveId, task.MetricKey, task.Period, task.Value, task.Previous,
                    task.Band, task.PreviousBand, task.EventId })),
            at, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The tenant's tasks, newest first.</summary>
    public async Task<IReadOnlyList<TaskRow>> TasksAsync(string tenantId, int first, CancellationToken cancellationToken = default)
    {
        CheckPage(first);
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var rows = await session.Connection.QueryAsync<TaskRow>(new CommandDefinition(
            $"select {TaskColumns} from tasks where tenant_id = @tenantId order by opened_at desc, task_id limit @first",
            new { tenantId, first }, session.Transaction, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    public async Task<WebhookEventRow?> EventAsync(string tenantId, Guid eventId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<WebhookEventRow>(new CommandDefinition(
            "select event_id as EventId, type as Type, task_id as TaskId, body as Body, created_at as CreatedAt from webhook_events where tenant_id = @tenantId and event_id = @eventId",
            new { tenantId, eventId }, session.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Events created before <paramref name="before"/> that no attempt was made for (their enqueueing was lost), oldest first.</summary>
    public async Task<IReadOnlyList<Guid>> UnattemptedEventsAsync(string tenantId, DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var rows = await session.Connection.QueryAsync<Guid>(new CommandDefinition(
            """
            select e.event_id from webhook_events e
            where e.tenant_id = @tenantId and e.created_at < @before
              and not exists (select 1 from webhook_deliveries d where d.tenant_id = e.tenant_id and d.event_id = e.event_id)
            order by e.created_at limit 1000
            """, new { tenantId, before = before.UtcDateTime }, session.Transaction, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>The attempts made for one event, in order.</summary>
    public async Task<IReadOnlyList<DeliveryRow>> AttemptsAsync(string tenantId, Guid eventId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var rows = await session.Connection.QueryAsync<DeliveryRow>(new CommandDefinition(
            $"{DeliverySelect} where d.tenant_id = @tenantId and d.event_id = @eventId order by d.attempt",
            new { tenantId, eventId }, session.Transaction, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>Logs an attempt; false when that attempt number is logged already (a concurrent delivery of the same event).</summary>
    public async Task<bool> RecordDeliveryAsync(string tenantId, NewDelivery delivery, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var inserted = await session.Connection.ExecuteAsync(new CommandDefinition(
            """
            insert into webhook_deliveries (tenant_id, event_id, attempt, url, status_code, error, succeeded, duration_ms, attempted_at)
            values (@tenantId, @EventId, @Attempt, @Url, @StatusCode, @Error, @Succeeded, @DurationMs, @at)
            on conflict do nothing
            """, new { tenantId, delivery.EventId, delivery.Attempt, delivery.Url, delivery.StatusCode, delivery.Error, delivery.Succeeded, delivery.DurationMs,
                at = AuditEntry.StorableTime(time.GetUtcNow()).UtcDateTime }, session.Transaction, cancellationToken: cancellationToken));
        await session.CommitAsync(cancellationToken);
        return inserted == 1;
    }

    /// <summary>The tenant's delivery attempts, newest first.</summary>
    public async Task<IReadOnlyList<DeliveryRow>> DeliveriesAsync(string tenantId, int first, CancellationToken cancellationToken = default)
    {
        CheckPage(first);
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var rows = await session.Connection.QueryAsync<DeliveryRow>(new CommandDefinition(
            $"{DeliverySelect} where d.tenant_id = @tenantId order by d.attempted_at desc, d.event_id, d.attempt desc limit @first",
            new { tenantId, first }, session.Transaction, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    private const string DeliverySelect = """
        select d.event_id as EventId, e.type as EventType, d.attempt as Attempt, d.url as Url, d.status_code as StatusCode, d.error as Error,
               d.succeeded as Succeeded, d.duration_ms as DurationMs, d.attempted_at as AttemptedAt
        from webhook_deliveries d join webhook_events e using (tenant_id, event_id)
        """;

    private static void CheckPage(int first)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(first, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, MaxPage);
    }

    private static async Task<bool> InsertRuleAsync(TenantSession session, string tenantId, TriggerRuleRow row, CancellationToken cancellationToken) =>
        await session.Connection.ExecuteAsync(new CommandDefinition(
            """
            insert into trigger_rules (tenant_id, rule_id, version, name, metric_key, condition, band, threshold, enabled, changed_by, reason, changed_at)
            values (@tenantId, @RuleId, @Version, @Name, @MetricKey, @Condition, @Band, @Threshold, @Enabled, @ChangedBy, @Reason, @ChangedAt)
            on conflict do nothing
            """, new { tenantId, row.RuleId, row.Version, row.Name, row.MetricKey, row.Condition, row.Band, row.Threshold, row.Enabled, row.ChangedBy, row.Reason, row.ChangedAt },
            session.Transaction, cancellationToken: cancellationToken)) == 1;

    private static Task<TriggerRuleRow?> LatestRuleAsync(TenantSession session, string tenantId, Guid ruleId, CancellationToken cancellationToken) =>
        session.Connection.QuerySingleOrDefaultAsync<TriggerRuleRow>(new CommandDefinition(
            $"select {RuleColumns} from trigger_rules where tenant_id = @tenantId and rule_id = @ruleId order by version desc limit 1",
            new { tenantId, ruleId }, session.Transaction, cancellationToken: cancellationToken));

    private static Task<WebhookRow?> WebhookAsync(TenantSession session, string tenantId, CancellationToken cancellationToken) =>
        session.Connection.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition(
            "select version as Version, url as Url, secret as Secret, set_by as SetBy, set_at as SetAt from webhooks where tenant_id = @tenantId order by version desc limit 1",
            new { tenantId }, session.Transaction, cancellationToken: cancellationToken));
}
