using System.Text.Json;
using Governance.Abstractions;
using Governance.Abstractions.Accounts;
using Governance.Api.Jobs;
using Governance.Api.Metrics.Values;
using Governance.Domain.Measures;
using Governance.Domain.Triggers;
using Governance.Storage.Facts;
using Governance.Storage.Triggers;
using GraphQL;
using Hangfire;

namespace Governance.Api.Triggers;

/// <summary>
/// Every hour, evaluates each enabled trigger rule for each account of the tenant on the last ended month
/// against the month before (<see cref="TriggerCondition.Fires"/>). A rule that fires opens a task for the
/// account's owner at that month and stores a <c>trigger.fired</c> webhook event, once per rule, account and
/// month (the tasks table's unique key decides, so runs racing on two silos open one), then queues its
/// delivery. Hourly rather than daily so late facts for the month still fire within the hour; a task is
/// never opened twice, so running often costs reads only.
/// </summary>
public sealed class TriggerJob(
    TriggerStore store, FactStore facts, MetricValueService values, IGrainFactory grains, IBackgroundJobClient jobs, TimeProvider time, ILogger<TriggerJob> logger) : ITenantJob
{
    public const string JobName = "triggers";
    public const string EventType = "trigger.fired";

    // An event with no attempt this long after it was stored lost its enqueueing (the process stopped in between).
    private static readonly TimeSpan LostAfter = TimeSpan.FromMinutes(10);

    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web);

    public string Name => JobName;

    public string DefaultSchedule => "7 * * * *";

    public async Task RunAsync(string tenantId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var lost in await store.UnattemptedEventsAsync(tenantId, now - LostAfter, cancellationToken))
        {
            WebhookDelivery.Enqueue(jobs, tenantId, lost);
        }

        var rules = await store.RulesAsync(tenantId, includeDisabled: false, cancellationToken);
        if (rules.Count == 0)
        {
            return;
        }

        var month = Period.Month(now.Year, now.Month).Previous;
        var previous = month.Previous;
        foreach (var accountId in await facts.AccountsOfTenantAsync(tenantId, cancellationToken))
        {
            ScopeReader reader;
            try
            {
                reader = await values.OpenAsync(tenantId, new MetricScope(ScopeKind.Account, accountId));
            }
            catch (ExecutionError e) when (e.Code == Governance.Api.GraphQL.ErrorCodes.NotFound)
            {
                continue; // registered, but no account.created fact yet: nothing to measure
            }

            string? owner = null;
            var ownerRead = false;
            foreach (var byMetric in rules.GroupBy(r => r.MetricKey, StringComparer.Ordinal))
            {
                var series = await values.SeriesAsync(tenantId, byMetric.Key, reader, previous, month, null, cancellationToken);
                var (before, after) = (Observe(series[0]), Observe(series[1]));
                foreach (var rule in byMetric)
                {
                    if (!TriggerConditions.Of(rule).Fires(before, after))
                    {
                        continue;
                    }

                    if (!ownerRead)
                    {
                        owner = await grains.GetGrain<IAccountGrain>(GrainKeys.Account(tenantId, accountId)).GetOwnerAsync(month.FirstMonth);
                        ownerRead = true;
                    }

                    await FireAsync(tenantId, rule, accountId, owner, month, before, after, cancellationToken);
                }
            }
        }
    }

    private async Task FireAsync(string tenantId, TriggerRuleRow rule, string accountId, string? owner, Period month, Observation before, Observation after, CancellationToken cancellationToken)
    {
        var taskId = Guid.CreateVersion7();
        var eventId = Guid.CreateVersion7();
        var body = JsonSerializer.Serialize(new
        {
            id = eventId,
            type = EventType,
            tenant = tenantId,
            rule = new { id = rule.RuleId, rule.Version, rule.Name, condition = rule.Condition.ToUpperInvariant(), band = rule.Band?.ToUpperInvariant(), rule.Threshold },
            account = accountId,
            owner,
            metric = rule.MetricKey,
            period = month.ToString(),
            value = after.Value,
            previous = before.Value,
            band = after.Band?.ToString().ToUpperInvariant(),
            previousBand = before.Band?.ToString().ToUpperInvariant(),
            taskId,
            occurredAt = time.GetUtcNow(),
        }, BodyJson);
        var task = new NewTask(taskId, rule.RuleId, rule.Version, accountId, owner, rule.MetricKey, month.ToString(), after.Value, before.Value,
            after.Band?.ToString().ToLowerInvariant(), before.Band?.ToString().ToLowerInvariant(), eventId, EventType, body);
        if (await store.OpenTaskAsync(tenantId, task, $"job:{JobName}", cancellationToken))
        {
            logger.LogInformation("Rule {RuleId} fired for account {AccountId} in {Period}: task {TaskId}, event {EventId}", rule.RuleId, accountId, month, taskId, eventId);
            WebhookDelivery.Enqueue(jobs, tenantId, eventId);
        }
    }

    private static Observation Observe(MetricValue value) => new(value.Value, value.Health?.Band);
}
