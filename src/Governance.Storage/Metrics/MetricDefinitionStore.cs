using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Governance.Domain.Audit;
using Governance.Domain.Metrics.Definitions;
using Governance.Storage.Audit;
using Npgsql;

namespace Governance.Storage.Metrics;

/// <summary>
/// Versioned metric definitions of each tenant (tables of migration 0009). Every query is filtered
/// by tenant. Every write to a key runs in a transaction holding that key's advisory lock, so the
/// next version number and the lifecycle checks (<see cref="DefinitionLifecycle"/>) see what the
/// write will change, and concurrent callers take turns. Rows are only ever inserted. Every proposal,
/// approval and retirement appends its audit entry (<see cref="AuditLog"/>) in the same transaction.
/// </summary>
public sealed class MetricDefinitionStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>What the audit entry of a built-in seeding names.</summary>
    public const string SeededSubject = "metric_definitions:built_in";

    private const string Approved = "approved";
    private const string Retired = "retired";

    // One row per version with its status and lifecycle derived from the events; {0} is where the
    // caller's conditions on d go (the tenant condition always among them).
    private const string SelectVersions = """
        select d.key, d.version, d.kind, d.name, d.description, d.formula, d.health::text as health,
               d.unit, d.direction, d.focus_area as FocusArea, d.journey_stage as JourneyStage, d.indicator,
               d.data_owner as DataOwner, d.effective_from as EffectiveFrom, d.reason, d.author, d.proposed_at as ProposedAt,
               case when r.seq is not null then 'Retired' when a.seq is not null then 'Approved' else 'Draft' end as Status,
               a.actor as ApprovedBy, a.at as ApprovedAt, a.reason as ApproveReason,
               r.actor as RetiredBy, r.at as RetiredAt, r.reason as RetireReason
        from metric_definitions d
        left join metric_definition_events a
               on a.tenant_id = d.tenant_id and a.key = d.key and a.version = d.version and a.event = 'approved'
        left join metric_definition_events r
               on r.tenant_id = d.tenant_id and r.key = d.key and r.version = d.version and r.event = 'retired'
        where d.tenant_id = @tenantId {0}
        """;

    /// <summary>Definitions of the tenant matching <paramref name="filter"/>, by key then version.</summary>
    public async Task<IReadOnlyList<MetricDefinition>> ListAsync(string tenantId, DefinitionFilter filter, CancellationToken cancellationToken = default)
    {
        var conditions = new StringBuilder();
        if (filter.Key is not null)
        {
            conditions.Append(" and d.key = @key");
        }

        if (filter.FocusArea is not null)
        {
            conditions.Append(" and d.focus_area = @focusArea");
        }

        var versions = string.Format(System.Globalization.CultureInfo.InvariantCulture, SelectVersions, conditions);
        var status = filter.Status is null ? "" : "where v.Status = @status";
        var sql = filter.AllVersions
            ? $"select * from ({versions}) v {status} order by v.key, v.version"
            : $"select distinct on (v.key) * from ({versions}) v {status} order by v.key, v.version desc";

        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var rows = await session.Connection.QueryAsync<MetricDefinitionRow>(new CommandDefinition(sql,
            new { tenantId, key = filter.Key, focusArea = filter.FocusArea?.ToString(), status = filter.Status?.ToString() },
            session.Transaction, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToDefinition()).ToList();
    }

    /// <summary>Every version of a key, oldest first; empty when the tenant has no such key.</summary>
    public Task<IReadOnlyList<MetricDefinition>> HistoryAsync(string tenantId, string key, CancellationToken cancellationToken = default) =>
        ListAsync(tenantId, new DefinitionFilter { Key = key, AllVersions = true }, cancellationToken);

    /// <summary>One version of a key, or its latest when <paramref name="version"/> is null.</summary>
    public async Task<MetricDefinition?> GetAsync(string tenantId, string key, int? version, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        return await GetAsync(session.Connection, session.Transaction, tenantId, key, version, cancellationToken);
    }

    /// <summary>
    /// Stores a new version of <see cref="MetricDraft.Key"/> as a draft: version 1 for a new key, else
    /// one more than the highest. Refused, with nothing written, when the actor may not propose or the
    /// draft breaks a rule (<see cref="DefinitionLifecycle.Propose"/>, <see cref="DefinitionLifecycle.ProposeAgainst"/>).
    /// </summary>
    public async Task<DefinitionOutcome> ProposeAsync(string tenantId, MetricDraft draft, DefinitionActor author, CancellationToken cancellationToken = default)
    {
        if (DefinitionLifecycle.Propose(draft, author) is { } refusal)
        {
            return DefinitionOutcome.Refused(refusal);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TenantSession.SetTenantAsync(connection, transaction, tenantId, cancellationToken);
        await LockKeyAsync(connection, transaction, tenantId, draft.Key, cancellationToken);

        var known = await KnownKeysAsync(connection, transaction, tenantId, DefinitionValidator.ReferencedKeys(draft), cancellationToken);
        if (DefinitionLifecycle.ProposeAgainst(draft, known) is { } conflict)
        {
            return DefinitionOutcome.Refused(conflict);
        }

        var version = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "select coalesce(max(version), 0) + 1 from metric_definitions where tenant_id = @tenantId and key = @key",
            new { tenantId, key = draft.Key }, transaction, cancellationToken: cancellationToken));
        var at = time.GetUtcNow();
        await InsertVersionAsync(connection, transaction, tenantId, draft, version, author.Subject, at, cancellationToken);
        var stored = await GetAsync(connection, transaction, tenantId, draft.Key, version, cancellationToken);
        await AuditLog.AppendAsync(connection, transaction, tenantId,
            new AuditEvent(author.Subject, "metric_definition.proposed", AuditSubject(draft.Key, version), draft.Reason, After: AuditEvent.Json(stored)),
            at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return DefinitionOutcome.Done(stored!);
    }

    /// <summary>Approves a draft (<see cref="DefinitionLifecycle.Approve"/>): records who, when and why.</summary>
    public Task<DefinitionOutcome> ApproveAsync(string tenantId, string key, int version, DefinitionActor actor, string? reason, CancellationToken cancellationToken = default) =>
        RecordEventAsync(tenantId, key, version, Approved, actor, reason, current => DefinitionLifecycle.Approve(current, actor, reason), cancellationToken);

    /// <summary>Retires a draft (withdrawn) or an approved version (<see cref="DefinitionLifecycle.Retire"/>).</summary>
    public Task<DefinitionOutcome> RetireAsync(string tenantId, string key, int version, DefinitionActor actor, string reason, CancellationToken cancellationToken = default) =>
        RecordEventAsync(tenantId, key, version, Retired, actor, reason, current => DefinitionLifecycle.Retire(current, actor, reason), cancellationToken);

    /// <summary>
    /// Gives the tenant version 1 of every built-in whose key it does not have, approved by
    /// <c>system</c>, in one transaction. Idempotent: a key the tenant has (in any version, any status)
    /// is left alone. A seeding that added something appends one <c>metric_definition.seeded</c> audit
    /// entry naming the keys and versions, in the same transaction. Returns how many keys were added.
    /// </summary>
    public async Task<int> SeedBuiltInsAsync(string tenantId, IEnumerable<MetricDraft> builtIns, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var added = await SeedBuiltInsAsync(connection, transaction, tenantId, builtIns, time.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    /// <summary>
    /// <see cref="SeedBuiltInsAsync(string, IEnumerable{MetricDraft}, CancellationToken)"/> on the caller's
    /// connection and transaction, so a new tenant gets its catalog in the transaction that creates it.
    /// Sets <paramref name="tenantId"/> as the transaction's tenant (row-level security, migration 0011).
    /// </summary>
    public static async Task<int> SeedBuiltInsAsync(DbConnection connection, DbTransaction transaction, string tenantId,
        IEnumerable<MetricDraft> builtIns, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await TenantSession.SetTenantAsync(connection, transaction, tenantId, cancellationToken);
        var added = new List<string>();
        // Keys in order, so two seeders of one tenant take the key locks in the same order and never deadlock.
        foreach (var draft in builtIns.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            await LockKeyAsync(connection, transaction, tenantId, draft.Key, cancellationToken);
            // Versions start at 1 and are never deleted, so "no version 1" is "no version at all".
            if (await InsertVersionAsync(connection, transaction, tenantId, draft, 1, DefinitionActor.SystemSubject, at, cancellationToken, ifNew: true))
            {
                await InsertEventAsync(connection, transaction, tenantId, draft.Key, 1, Approved, DefinitionActor.SystemSubject, draft.Reason, at, cancellationToken);
                added.Add(draft.Key);
            }
        }

        if (added.Count > 0)
        {
            // One entry per seeding, not per key: the catalog arrives as one change, made by no person.
            await AuditLog.AppendAsync(connection, transaction, tenantId,
                new AuditEvent(DefinitionActor.SystemSubject, "metric_definition.seeded", SeededSubject, "built-in catalog", null,
                    AuditEvent.Json(new { added = added.Select(key => new { key, version = 1, status = DefinitionStatus.Approved }) })),
                at, cancellationToken);
        }

        return added.Count;
    }

    /// <summary>Customer tenants that lack at least one of <paramref name="keys"/>: the ones a start-up seeding has work for.</summary>
    public async Task<IReadOnlyList<string>> TenantsMissingAnyAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var tenants = await connection.QueryAsync<string>(new CommandDefinition(
            // Cross-tenant, so through the SECURITY DEFINER function of migration 0011 (tenant ids only).
            "select t from governance_tenants_missing_definitions(@keys, @platform) t order by t",
            new { keys = keys.ToArray(), platform = Abstractions.Security.Roles.PlatformTenant }, cancellationToken: cancellationToken));
        return tenants.ToList();
    }

    private async Task<DefinitionOutcome> RecordEventAsync(string tenantId, string key, int version, string kind, DefinitionActor actor, string? reason,
        Func<MetricDefinition?, DefinitionRefusal?> check, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TenantSession.SetTenantAsync(connection, transaction, tenantId, cancellationToken);
        await LockKeyAsync(connection, transaction, tenantId, key, cancellationToken);
        var current = await GetAsync(connection, transaction, tenantId, key, version, cancellationToken);
        if (check(current) is { } refusal)
        {
            return DefinitionOutcome.Refused(refusal);
        }

        var trimmed = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        var at = time.GetUtcNow();
        await InsertEventAsync(connection, transaction, tenantId, key, version, kind, actor.Subject, trimmed, at, cancellationToken);
        var updated = await GetAsync(connection, transaction, tenantId, key, version, cancellationToken);
        await AuditLog.AppendAsync(connection, transaction, tenantId,
            new AuditEvent(actor.Subject, $"metric_definition.{kind}", AuditSubject(key, version), trimmed,
                AuditEvent.Json(new { status = current!.Status }), AuditEvent.Json(new { status = updated!.Status })),
            at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return DefinitionOutcome.Done(updated);
    }

    /// <summary>What an audit entry of a definition version names: <c>metric_definition:{key}:v{version}</c>.</summary>
    public static string AuditSubject(string key, int version) => $"metric_definition:{key}:v{version}";

    private static async Task<MetricDefinition?> GetAsync(DbConnection connection, DbTransaction? transaction, string tenantId, string key, int? version, CancellationToken cancellationToken)
    {
        var sql = string.Format(System.Globalization.CultureInfo.InvariantCulture, SelectVersions,
            version is null ? " and d.key = @key" : " and d.key = @key and d.version = @version") + " order by d.version desc limit 1";
        var row = await connection.QuerySingleOrDefaultAsync<MetricDefinitionRow>(new CommandDefinition(sql,
            new { tenantId, key, version }, transaction, cancellationToken: cancellationToken));
        return row?.ToDefinition();
    }

    private static async Task<IReadOnlyDictionary<string, KnownKey>> KnownKeysAsync(DbConnection connection, DbTransaction transaction, string tenantId,
        IReadOnlySet<string> keys, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string Key, string Kind, bool AllRetired)>(new CommandDefinition(
            """
            select d.key, (array_agg(d.kind order by d.version desc))[1],
                   bool_and(exists (select 1 from metric_definition_events e
                                    where e.tenant_id = d.tenant_id and e.key = d.key and e.version = d.version and e.event = 'retired'))
            from metric_definitions d
            where d.tenant_id = @tenantId and d.key = any(@keys)
            group by d.key
            """,
            new { tenantId, keys = keys.ToArray() }, transaction, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Key, r => new KnownKey(r.Key, Enum.Parse<DefinitionKind>(r.Kind), r.AllRetired), StringComparer.Ordinal);
    }

    private static async Task<bool> InsertVersionAsync(DbConnection connection, DbTransaction transaction, string tenantId, MetricDraft draft, int version,
        string author, DateTimeOffset at, CancellationToken cancellationToken, bool ifNew = false)
    {
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            insert into metric_definitions (tenant_id, key, version, kind, name, description, formula, health, unit, direction,
                                            focus_area, journey_stage, indicator, data_owner, effective_from, reason, author, proposed_at)
            values (@tenantId, @Key, @version, @kind, @Name, @Description, @Formula, cast(@health as jsonb), @unit, @direction,
                    @focusArea, @journeyStage, @indicator, @DataOwner, cast(@effectiveFrom as date), @Reason, @author, @at)
            {(ifNew ? "on conflict (tenant_id, key, version) do nothing" : "")}
            """,
            new
            {
                tenantId,
                draft.Key,
                version,
                kind = draft.Kind.ToString(),
                draft.Name,
                draft.Description,
                draft.Formula,
                health = draft.Health is null ? null : HealthSpecJson.Serialize(draft.Health),
                unit = draft.Unit.ToString(),
                direction = draft.Direction.ToString(),
                focusArea = draft.FocusArea.ToString(),
                journeyStage = draft.JourneyStage.ToString(),
                indicator = draft.Indicator.ToString(),
                draft.DataOwner,
                // Dapper refuses DateOnly parameters: a midnight DateTime (timestamp) cast to date in SQL.
                effectiveFrom = draft.EffectiveFrom.ToDateTime(TimeOnly.MinValue),
                draft.Reason,
                author,
                at,
            },
            transaction, cancellationToken: cancellationToken));
        return inserted == 1;
    }

    private static Task InsertEventAsync(DbConnection connection, DbTransaction transaction, string tenantId, string key, int version,
        string kind, string actor, string? reason, DateTimeOffset at, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            insert into metric_definition_events (tenant_id, key, version, event, actor, reason, at)
            values (@tenantId, @key, @version, @kind, @actor, @reason, @at)
            """,
            new { tenantId, key, version, kind, actor, reason, at }, transaction, cancellationToken: cancellationToken));

    private static Task LockKeyAsync(DbConnection connection, DbTransaction transaction, string tenantId, string key, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(@lockKey)",
            new { lockKey = LockKey(tenantId, key) }, transaction, cancellationToken: cancellationToken));

    private static long LockKey(string tenantId, string key) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"governance.metric-definition/{tenantId}/{key}")), 0);
}
