using Dapper;
using Governance.Domain.Audit;
using Governance.Storage.Audit;
using Npgsql;

namespace Governance.Storage.Findings;

/// <summary>Findings of the data-quality jobs and their resolutions (migration 0017), each audited in its transaction.</summary>
public sealed class FindingStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public const int MaxPage = 500;

    private const string Columns = """
        f.finding_id as FindingId, f.kind as Kind, f.dedupe_key as DedupeKey, f.scope as Scope, f.metric_key as MetricKey, f.period as Period,
        f.source as Source, f.summary as Summary, f.evidence::text as Evidence, f.detected_by as DetectedBy, f.detected_at as DetectedAt,
        r.resolved_by as ResolvedBy, r.reason as ResolveReason, r.resolved_at as ResolvedAt
        """;

    /// <summary>
    /// Raises the findings whose dedupe key the tenant does not hold yet (<c>finding.raised</c> each, actor
    /// <paramref name="job"/>) and answers those; concurrent runs insert each key once (the unique key decides).
    /// </summary>
    public async Task<IReadOnlyList<FindingRow>> RaiseAsync(string tenantId, IReadOnlyList<NewFinding> findings, string job, CancellationToken cancellationToken = default)
    {
        if (findings.Count == 0)
        {
            return [];
        }

        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var at = AuditEntry.StorableTime(time.GetUtcNow());
        var raised = new List<FindingRow>();
        foreach (var finding in findings)
        {
            var id = await session.Connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
                """
                insert into findings (tenant_id, finding_id, kind, dedupe_key, scope, metric_key, period, source, summary, evidence, detected_by, detected_at)
                values (@tenantId, gen_random_uuid(), @Kind, @DedupeKey, @Scope, @MetricKey, @Period, @Source, @Summary, cast(@EvidenceJson as jsonb), @job, @at)
                on conflict (tenant_id, dedupe_key) do nothing
                returning finding_id
                """, new { tenantId, finding.Kind, finding.DedupeKey, finding.Scope, finding.MetricKey, finding.Period, finding.Source, finding.Summary, finding.EvidenceJson, job, at },
                session.Transaction, cancellationToken: cancellationToken));
            if (id is { } findingId)
            {
                raised.Add(new FindingRow
                {
                    FindingId = findingId, Kind = finding.Kind, DedupeKey = finding.DedupeKey, Scope = finding.Scope, MetricKey = finding.MetricKey,
                    Period = finding.Period, Source = finding.Source, Summary = finding.Summary, Evidence = finding.EvidenceJson, DetectedBy = job, DetectedAt = at.UtcDateTime,
                });
            }
        }

        await AuditLog.AppendBatchAsync(session.Connection, session.Transaction, tenantId,
            raised.Select(f => new AuditEvent(job, "finding.raised", $"finding:{f.FindingId}", f.Summary, null,
                AuditEvent.Json(new { f.FindingId, f.Kind, f.DedupeKey, f.Scope, f.MetricKey, f.Period, f.Source, evidence = System.Text.Json.JsonDocument.Parse(f.Evidence).RootElement }))).ToList(),
            at, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return raised;
    }

    /// <summary>Resolves an open finding with a reason (<c>finding.resolved</c>); null when the tenant has no such finding, false when it was resolved already.</summary>
    public async Task<bool?> ResolveAsync(string tenantId, Guid findingId, string resolvedBy, string reason, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var finding = await session.Connection.QuerySingleOrDefaultAsync<FindingRow>(new CommandDefinition(
            $"select {Columns} from findings f left join finding_resolutions r using (tenant_id, finding_id) where f.tenant_id = @tenantId and f.finding_id = @findingId",
            new { tenantId, findingId }, session.Transaction, cancellationToken: cancellationToken));
        if (finding is null)
        {
            return null;
        }

        var at = AuditEntry.StorableTime(time.GetUtcNow());
        var inserted = await session.Connection.ExecuteAsync(new CommandDefinition(
            """
            insert into finding_resolutions (tenant_id, finding_id, resolved_by, reason, resolved_at) values (@tenantId, @findingId, @resolvedBy, @reason, @at)
            on conflict do nothing
            """, new { tenantId, findingId, resolvedBy, reason, at }, session.Transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            return false;
        }

        await AuditLog.AppendAsync(session.Connection, session.Transaction, tenantId,
            new AuditEvent(resolvedBy, "finding.resolved", $"finding:{findingId}", reason, AuditEvent.Json(new { open = true, finding.Kind, finding.Summary }), AuditEvent.Json(new { open = false })),
            at, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<FindingRow?> GetAsync(string tenantId, Guid findingId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<FindingRow>(new CommandDefinition(
            $"select {Columns} from findings f left join finding_resolutions r using (tenant_id, finding_id) where f.tenant_id = @tenantId and f.finding_id = @findingId",
            new { tenantId, findingId }, session.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The tenant's findings, newest first, optionally only open ones or of one kind.</summary>
    public async Task<IReadOnlyList<FindingRow>> ListAsync(string tenantId, bool openOnly, string? kind, int first, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(first, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, MaxPage);
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var rows = await session.Connection.QueryAsync<FindingRow>(new CommandDefinition(
            $"""
            select {Columns} from findings f left join finding_resolutions r using (tenant_id, finding_id)
            where f.tenant_id = @tenantId and (not @openOnly or r.finding_id is null) and (@kind::text is null or f.kind = @kind)
            order by f.detected_at desc, f.finding_id limit @first
            """, new { tenantId, openOnly, kind, first }, session.Transaction, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>The dedupe keys of every finding of <paramref name="kind"/> the tenant holds, open or resolved.</summary>
    public async Task<IReadOnlySet<string>> DedupeKeysAsync(string tenantId, string kind, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var keys = await session.Connection.QueryAsync<string>(new CommandDefinition(
            "select dedupe_key from findings where tenant_id = @tenantId and kind = @kind", new { tenantId, kind }, session.Transaction, cancellationToken: cancellationToken));
        return keys.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Open findings that touch inputs in <paramref name="scopes"/> (or no scope: all), of <paramref name="metricKeys"/>
    /// (or no metric: all), in one of <paramref name="periods"/> (or no period: all).
    /// </summary>
    public async Task<IReadOnlyList<FindingRow>> OpenTouchingAsync(string tenantId, string[] scopes, string[] metricKeys, string[] periods, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var rows = await session.Connection.QueryAsync<FindingRow>(new CommandDefinition(
            $"""
            select {Columns} from findings f left join finding_resolutions r using (tenant_id, finding_id)
            where f.tenant_id = @tenantId and r.finding_id is null
              and (f.scope is null or f.scope = any(@scopes))
              and (f.metric_key is null or f.metric_key = any(@metricKeys))
              and (f.period is null or f.period = any(@periods))
            order by f.detected_at, f.finding_id
            """, new { tenantId, scopes, metricKeys, periods }, session.Transaction, cancellationToken: cancellationToken));
        return rows.ToList();
    }
}
