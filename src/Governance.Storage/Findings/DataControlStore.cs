using Dapper;
using Governance.Domain.Audit;
using Governance.Storage.Audit;
using Npgsql;

namespace Governance.Storage.Findings;

/// <summary>How often a source is expected to send; null minutes: no longer watched.</summary>
public sealed class SourceExpectationRow
{
    public string Source { get; set; } = "";
    public int Version { get; set; }
    public int? EveryMinutes { get; set; }
    public string SetBy { get; set; } = "";
    public string Reason { get; set; } = "";
    public DateTime RecordedAt { get; set; }
}

/// <summary>Two sources that must agree on each account's MRR at every month's end, within a tolerance.</summary>
public sealed class ReconciliationRuleRow
{
    public string Name { get; set; } = "";
    public int Version { get; set; }
    public string LeftSource { get; set; } = "";
    public string RightSource { get; set; } = "";
    public decimal RelativeTolerance { get; set; }
    public decimal AbsoluteTolerance { get; set; }
    public bool Active { get; set; }
    public string SetBy { get; set; } = "";
    public string Reason { get; set; } = "";
    public DateTime RecordedAt { get; set; }
}

/// <summary>An account's MRR at a month's end as each side of a rule's facts say.</summary>
public sealed record MrrComparison(string AccountId, DateOnly Month, decimal Left, decimal Right);

/// <summary>Source expectations and reconciliation rules (migration 0018), and the reads their jobs make of the facts.</summary>
public sealed class DataControlStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<SourceExpectationRow> ExpectAsync(string tenantId, string source, int? everyMinutes, string setBy, string reason, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var at = AuditEntry.StorableTime(time.GetUtcNow());
        var previous = (await ExpectationsAsync(session, tenantId, cancellationToken)).FirstOrDefault(e => e.Source == source);
        var row = new SourceExpectationRow { Source = source, Version = (previous?.Version ?? 0) + 1, EveryMinutes = everyMinutes, SetBy = setBy, Reason = reason, RecordedAt = at.UtcDateTime };
        await session.Connection.ExecuteAsync(new CommandDefinition(
            "insert into source_expectations (tenant_id, source, version, every_minutes, set_by, reason, recorded_at) values (@tenantId, @Source, @Version, @EveryMinutes, @SetBy, @Reason, @at)",
            new { tenantId, row.Source, row.Version, row.EveryMinutes, row.SetBy, row.Reason, at }, session.Transaction, cancellationToken: cancellationToken));
        await AuditLog.AppendAsync(session.Connection, session.Transaction, tenantId,
            new AuditEvent(setBy, "source.expectation_set", $"source:{source}", reason,
                previous is null ? null : AuditEvent.Json(new { previous.EveryMinutes }), AuditEvent.Json(new { everyMinutes })), at, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return row;
    }

    /// <summary>The latest expectation of each source.</summary>
    public async Task<IReadOnlyList<SourceExpectationRow>> ExpectationsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        return await ExpectationsAsync(session, tenantId, cancellationToken);
    }

    public async Task<ReconciliationRuleRow> DeclareRuleAsync(string tenantId, ReconciliationRuleRow rule, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var at = AuditEntry.StorableTime(time.GetUtcNow());
        var previous = (await RulesAsync(session, tenantId, cancellationToken)).FirstOrDefault(r => r.Name == rule.Name);
        rule.Version = (previous?.Version ?? 0) + 1;
        rule.RecordedAt = at.UtcDateTime;
        await session.Connection.ExecuteAsync(new CommandDefinition(
            """
            insert into reconciliation_rules (tenant_id, name, version, left_source, right_source, relative_tolerance, absolute_tolerance, active, set_by, reason, recorded_at)
            values (@tenantId, @Name, @Version, @LeftSource, @RightSource, @RelativeTolerance, @AbsoluteTolerance, @Active, @SetBy, @Reason, @at)
            """, new { tenantId, rule.Name, rule.Version, rule.LeftSource, rule.RightSource, rule.RelativeTolerance, rule.AbsoluteTolerance, rule.Active, rule.SetBy, rule.Reason, at },
            session.Transaction, cancellationToken: cancellationToken));
        await AuditLog.AppendAsync(session.Connection, session.Transaction, tenantId,
            new AuditEvent(rule.SetBy, "reconciliation.rule_set", $"reconciliation:{rule.Name}", rule.Reason,
                previous is null ? null : AuditEvent.Json(Shape(previous)), AuditEvent.Json(Shape(rule))), at, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return rule;
    }

    /// <summary>The latest version of each rule, active or not.</summary>
    public async Task<IReadOnlyList<ReconciliationRuleRow>> RulesAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        return await RulesAsync(session, tenantId, cancellationToken);
    }

    /// <summary>When the source's latest fact was received, or null when it never sent one.</summary>
    public async Task<DateTimeOffset?> LastReceivedAsync(string tenantId, string source, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var last = await session.Connection.QuerySingleAsync<DateTime?>(new CommandDefinition(
            "select max(received_at) from facts where tenant_id = @tenantId and source = @source", new { tenantId, source }, session.Transaction, cancellationToken: cancellationToken));
        return last is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }

    /// <summary>
    /// Each account's MRR at the end of every month from <paramref name="from"/> to <paramref name="to"/> (first days),
    /// by each source of the rule: the signed sum of its <c>mrr.changed</c> facts up to then (a corrected fact
    /// counts as its correction). Only accounts with MRR facts from either source.
    /// </summary>
    public async Task<IReadOnlyList<MrrComparison>> CompareMrrAsync(string tenantId, ReconciliationRuleRow rule, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var rows = await session.Connection.QueryAsync<(string AccountId, DateOnly Month, decimal Left, decimal Right)>(new CommandDefinition(
            """
            with f as (
                select f.account_id, f.source, f.occurred_at,
                       case f.payload->>'movement' when 'contraction' then -1 when 'churn' then -1 else 1 end * (f.payload->>'amount')::numeric as delta
                from facts f
                where f.tenant_id = @tenantId and f.kind = 'mrr.changed' and f.source in (@LeftSource, @RightSource)
                  and not exists (select 1 from facts c where c.tenant_id = f.tenant_id and c.supersedes_fact_id = f.fact_id)
            ),
            months as (select generate_series(cast(@from as date), cast(@to as date), interval '1 month')::date as m)
            select f.account_id, months.m,
                   coalesce(sum(f.delta) filter (where f.source = @LeftSource and f.occurred_at < months.m + interval '1 month'), 0),
                   coalesce(sum(f.delta) filter (where f.source = @RightSource and f.occurred_at < months.m + interval '1 month'), 0)
            from f cross join months
            group by f.account_id, months.m
            order by f.account_id, months.m
            """, new { tenantId, rule.LeftSource, rule.RightSource, from = from.ToDateTime(TimeOnly.MinValue), to = to.ToDateTime(TimeOnly.MinValue) },
            session.Transaction, cancellationToken: cancellationToken));
        return rows.Select(r => new MrrComparison(r.AccountId, r.Month, r.Left, r.Right)).ToList();
    }

    private static object Shape(ReconciliationRuleRow rule) =>
        new { rule.Name, rule.Version, rule.LeftSource, rule.RightSource, rule.RelativeTolerance, rule.AbsoluteTolerance, rule.Active };

    private static async Task<IReadOnlyList<SourceExpectationRow>> ExpectationsAsync(TenantSession session, string tenantId, CancellationToken cancellationToken) =>
        (await session.Connection.QueryAsync<SourceExpectationRow>(new CommandDefinition(
            """
            select distinct on (source) source as Source, version as Version, every_minutes as EveryMinutes, set_by as SetBy, reason as Reason, recorded_at as RecordedAt
            from source_expectations where tenant_id = @tenantId order by source, version desc
            """, new { tenantId }, session.Transaction, cancellationToken: cancellationToken))).ToList();

    private static async Task<IReadOnlyList<ReconciliationRuleRow>> RulesAsync(TenantSession session, string tenantId, CancellationToken cancellationToken) =>
        (await session.Connection.QueryAsync<ReconciliationRuleRow>(new CommandDefinition(
            """
            select distinct on (name) name as Name, version as Version, left_source as LeftSource, right_source as RightSource, relative_tolerance as RelativeTolerance,
                   absolute_tolerance as AbsoluteTolerance, active as Active, set_by as SetBy, reason as Reason, recorded_at as RecordedAt
            from reconciliation_rules where tenant_id = @tenantId order by name, version desc
            """, new { tenantId }, session.Transaction, cancellationToken: cancellationToken))).ToList();
}
