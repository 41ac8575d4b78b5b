using System.Data.Common;
using Dapper;
using Governance.Domain.Audit;
using Governance.Storage.Audit;
using Npgsql;

namespace Governance.Storage.Incentives;

/// <summary>
/// Scorecards, plans, the committee's quorum and payouts (migration 0016). Every write appends its audit
/// entry in the same transaction; nothing is updated in place.
/// </summary>
public sealed class IncentiveStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>The quorum of a tenant that never set one.</summary>
    public const int DefaultQuorum = 2;

    private const string VersionColumns =
        "executive_id as ExecutiveId, version as Version, effective_from as EffectiveFrom, {0} as Tag, document::text as Document, author as Author, reason as Reason, recorded_at as RecordedAt";

    private const string PayoutColumns =
        "payout_id as PayoutId, executive_id as ExecutiveId, period as Period, payee_user_id as PayeeUserId, total as Total, currency as Currency, statement::text as Statement, pin_ids as PinIds, proposed_by as ProposedBy, proposed_at as ProposedAt, reason as Reason";

    private const string EventColumns =
        "payout_id as PayoutId, seq as Seq, kind as Kind, actor as Actor, reason as Reason, tranche as Tranche, evidence::text as Evidence, at as At";

    public Task<IReadOnlyList<VersionRow>> ScorecardVersionsAsync(string tenantId, string executiveId, CancellationToken cancellationToken = default) =>
        VersionsAsync("scorecard_versions", "template", tenantId, executiveId, cancellationToken);

    public Task<IReadOnlyList<VersionRow>> PlanVersionsAsync(string tenantId, string executiveId, CancellationToken cancellationToken = default) =>
        VersionsAsync("plan_versions", "payee_user_id", tenantId, executiveId, cancellationToken);

    /// <summary>Appends a scorecard version (audit <c>scorecard.changed</c>, before = the latest version's document).</summary>
    public Task<VersionRow> AddScorecardVersionAsync(string tenantId, string executiveId, DateOnly effectiveFrom, string? template, string document,
        string author, string reason, CancellationToken cancellationToken = default) =>
        AddVersionAsync("scorecard_versions", "template", "scorecard.changed", tenantId, executiveId, effectiveFrom, template, document, author, reason, cancellationToken);

    /// <summary>Appends a plan version (audit <c>plan.changed</c>).</summary>
    public Task<VersionRow> AddPlanVersionAsync(string tenantId, string executiveId, DateOnly effectiveFrom, string payeeUserId, string document,
        string author, string reason, CancellationToken cancellationToken = default) =>
        AddVersionAsync("plan_versions", "payee_user_id", "plan.changed", tenantId, executiveId, effectiveFrom, payeeUserId, document, author, reason, cancellationToken);

    /// <summary>The committee's quorum: the latest set, else <see cref="DefaultQuorum"/>.</summary>
    public async Task<int> QuorumAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        return await QuorumAsync(session.Connection, session.Transaction, tenantId, cancellationToken);
    }

    /// <summary>Sets the quorum (audit <c>committee.quorum_set</c>); false when it already is that.</summary>
    public async Task<bool> SetQuorumAsync(string tenantId, int quorum, string setBy, string reason, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var (connection, transaction) = (session.Connection, session.Transaction);
        await LockAsync(connection, transaction, $"quorum:{tenantId}", cancellationToken);
        var current = await QuorumAsync(connection, transaction, tenantId, cancellationToken);
        if (current == quorum)
        {
            return false;
        }

        var at = AuditEntry.StorableTime(time.GetUtcNow());
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into committee_settings (tenant_id, version, quorum, set_by, reason, recorded_at)
            select @tenantId, coalesce(max(version), 0) + 1, @quorum, @setBy, @reason, @at from committee_settings where tenant_id = @tenantId
            """, new { tenantId, quorum, setBy, reason, at }, transaction, cancellationToken: cancellationToken));
        await AuditLog.AppendAsync(connection, transaction, tenantId,
            new AuditEvent(setBy, "committee.quorum_set", "committee", reason, AuditEvent.Json(new { quorum = current }), AuditEvent.Json(new { quorum })),
            at, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Stores a proposed payout (audit <c>payout.proposed</c>) unless the executive has a payout for the
    /// period that was not rejected; then null and nothing written.
    /// </summary>
    public async Task<PayoutRow?> ProposePayoutAsync(string tenantId, PayoutRow payout, Func<IReadOnlyList<PayoutEventRow>, bool> isRejected,
        CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var (connection, transaction) = (session.Connection, session.Transaction);
        await LockAsync(connection, transaction, $"payout:{tenantId}:{payout.ExecutiveId}:{payout.Period}", cancellationToken);
        var existing = await connection.QueryAsync<Guid>(new CommandDefinition(
            "select payout_id from payouts where tenant_id = @tenantId and executive_id = @ExecutiveId and period = @Period",
            new { tenantId, payout.ExecutiveId, payout.Period }, transaction, cancellationToken: cancellationToken));
        foreach (var id in existing)
        {
            if (!isRejected(await EventsAsync(connection, transaction, tenantId, id, cancellationToken)))
            {
                return null;
            }
        }

        var at = AuditEntry.StorableTime(time.GetUtcNow());
        payout.ProposedAt = at.UtcDateTime;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into payouts (tenant_id, payout_id, executive_id, period, payee_user_id, total, currency, statement, pin_ids, proposed_by, proposed_at, reason)
            values (@tenantId, @PayoutId, @ExecutiveId, @Period, @PayeeUserId, @Total, @Currency, cast(@Statement as jsonb), @PinIds, @ProposedBy, @at, @Reason)
            """, new { tenantId, payout.PayoutId, payout.ExecutiveId, payout.Period, payout.PayeeUserId, payout.Total, payout.Currency, payout.Statement, payout.PinIds, payout.ProposedBy, at, payout.Reason },
            transaction, cancellationToken: cancellationToken));
        await AuditLog.AppendAsync(connection, transaction, tenantId,
            new AuditEvent(payout.ProposedBy, "payout.proposed", $"payout:{payout.PayoutId}", payout.Reason, null,
                AuditEvent.Json(new { payout.PayoutId, payout.ExecutiveId, payout.Period, payout.PayeeUserId, payout.Total, payout.Currency, pins = payout.PinIds })),
            at, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return payout;
    }

    public async Task<PayoutRow?> PayoutAsync(string tenantId, Guid payoutId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<PayoutRow>(new CommandDefinition(
            $"select {PayoutColumns} from payouts where tenant_id = @tenantId and payout_id = @payoutId",
            new { tenantId, payoutId }, session.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The tenant's payouts, newest first, optionally of one executive.</summary>
    public async Task<IReadOnlyList<PayoutRow>> PayoutsAsync(string tenantId, string? executiveId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var rows = await session.Connection.QueryAsync<PayoutRow>(new CommandDefinition(
            $"select {PayoutColumns} from payouts where tenant_id = @tenantId and (@executiveId::text is null or executive_id = @executiveId) order by proposed_at desc, payout_id",
            new { tenantId, executiveId }, session.Transaction, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>The payouts that pinned any of <paramref name="pinIds"/>, oldest first: downstream lineage from a fact to the pay it fed.</summary>
    public async Task<IReadOnlyList<PayoutRow>> PayoutsWithPinsAsync(string tenantId, Guid[] pinIds, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var rows = await session.Connection.QueryAsync<PayoutRow>(new CommandDefinition(
            $"select {PayoutColumns} from payouts where tenant_id = @tenantId and pin_ids && @pinIds order by proposed_at, payout_id",
            new { tenantId, pinIds }, session.Transaction, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    public async Task<IReadOnlyList<PayoutEventRow>> EventsAsync(string tenantId, Guid payoutId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        return await EventsAsync(session.Connection, session.Transaction, tenantId, payoutId, cancellationToken);
    }

    /// <summary>
    /// Decides and appends a payout's next events under the payout's lock, so two members deciding at once
    /// are judged one after the other: <paramref name="decide"/> sees the events so far and the quorum, and
    /// answers the events to append (each audited as <c>payout.{kind}</c>) or throws to refuse. Null when
    /// the tenant has no such payout.
    /// </summary>
    public async Task<IReadOnlyList<PayoutEventRow>?> AppendEventsAsync(string tenantId, Guid payoutId,
        Func<PayoutRow, IReadOnlyList<PayoutEventRow>, int, IReadOnlyList<NewPayoutEvent>> decide, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var (connection, transaction) = (session.Connection, session.Transaction);
        await LockAsync(connection, transaction, $"payout:{tenantId}:{payoutId}", cancellationToken);
        var payout = await connection.QuerySingleOrDefaultAsync<PayoutRow>(new CommandDefinition(
            $"select {PayoutColumns} from payouts where tenant_id = @tenantId and payout_id = @payoutId",
            new { tenantId, payoutId }, transaction, cancellationToken: cancellationToken));
        if (payout is null)
        {
            return null;
        }

        var events = await EventsAsync(connection, transaction, tenantId, payoutId, cancellationToken);
        var quorum = await QuorumAsync(connection, transaction, tenantId, cancellationToken);
        var added = decide(payout, events, quorum);
        var at = AuditEntry.StorableTime(time.GetUtcNow());
        var all = events.ToList();
        foreach (var change in added)
        {
            var row = new PayoutEventRow
            {
                PayoutId = payoutId, Seq = all.Count, Kind = change.Kind, Actor = change.Actor, Reason = change.Reason,
                Tranche = change.Tranche, Evidence = change.Evidence, At = at.UtcDateTime,
            };
            await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into payout_events (tenant_id, payout_id, seq, kind, actor, reason, tranche, evidence, at)
                values (@tenantId, @PayoutId, @Seq, @Kind, @Actor, @Reason, @Tranche, cast(@Evidence as jsonb), @at)
                """, new { tenantId, row.PayoutId, row.Seq, row.Kind, row.Actor, row.Reason, row.Tranche, row.Evidence, at },
                transaction, cancellationToken: cancellationToken));
            all.Add(row);
        }

        foreach (var row in all.Skip(events.Count))
        {
            await AuditLog.AppendAsync(connection, transaction, tenantId,
                new AuditEvent(row.Actor, $"payout.{row.Kind}", row.Tranche is { } t ? $"payout:{payoutId}/tranche:{t}" : $"payout:{payoutId}", row.Reason,
                    null, row.Evidence ?? AuditEvent.Json(new { row.Seq, row.Kind })),
                at, cancellationToken);
        }

        await session.CommitAsync(cancellationToken);
        return all;
    }

    private async Task<IReadOnlyList<VersionRow>> VersionsAsync(string table, string tagColumn, string tenantId, string executiveId, CancellationToken cancellationToken)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var rows = await session.Connection.QueryAsync<VersionRow>(new CommandDefinition(
            $"select {string.Format(System.Globalization.CultureInfo.InvariantCulture, VersionColumns, tagColumn)} from {table} where tenant_id = @tenantId and executive_id = @executiveId order by version",
            new { tenantId, executiveId }, session.Transaction, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    private async Task<VersionRow> AddVersionAsync(string table, string tagColumn, string action, string tenantId, string executiveId, DateOnly effectiveFrom,
        string? tag, string document, string author, string reason, CancellationToken cancellationToken)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var (connection, transaction) = (session.Connection, session.Transaction);
        await LockAsync(connection, transaction, $"{table}:{tenantId}:{executiveId}", cancellationToken);
        var previous = await connection.QuerySingleOrDefaultAsync<VersionRow>(new CommandDefinition(
            $"select {string.Format(System.Globalization.CultureInfo.InvariantCulture, VersionColumns, tagColumn)} from {table} where tenant_id = @tenantId and executive_id = @executiveId order by version desc limit 1",
            new { tenantId, executiveId }, transaction, cancellationToken: cancellationToken));
        var at = AuditEntry.StorableTime(time.GetUtcNow());
        var row = new VersionRow
        {
            ExecutiveId = executiveId, Version = (previous?.Version ?? 0) + 1, EffectiveFrom = effectiveFrom, Tag = tag,
            Document = await connection.QuerySingleAsync<string>(new CommandDefinition("select cast(@document as jsonb)::text", new { document }, transaction, cancellationToken: cancellationToken)),
            Author = author, Reason = reason, RecordedAt = at.UtcDateTime,
        };
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            insert into {table} (tenant_id, executive_id, version, effective_from, {tagColumn}, document, author, reason, recorded_at)
            values (@tenantId, @ExecutiveId, @Version, cast(@effectiveFrom as date), @Tag, cast(@Document as jsonb), @Author, @Reason, @at)
            """, new { tenantId, row.ExecutiveId, row.Version, effectiveFrom = effectiveFrom.ToDateTime(TimeOnly.MinValue), row.Tag, row.Document, row.Author, row.Reason, at },
            transaction, cancellationToken: cancellationToken));
        await AuditLog.AppendAsync(connection, transaction, tenantId,
            new AuditEvent(author, action, $"executive:{executiveId}/v{row.Version}", reason,
                previous is null ? null : VersionJson(previous), VersionJson(row)),
            at, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return row;
    }

    private static string VersionJson(VersionRow row) =>
        $$"""{"version":{{row.Version}},"effectiveFrom":"{{row.EffectiveFrom:yyyy-MM-dd}}","tag":{{System.Text.Json.JsonSerializer.Serialize(row.Tag)}},"document":{{row.Document}}}""";

    private static async Task<int> QuorumAsync(DbConnection connection, DbTransaction transaction, string tenantId, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
            "select quorum from committee_settings where tenant_id = @tenantId order by version desc limit 1",
            new { tenantId }, transaction, cancellationToken: cancellationToken)) ?? DefaultQuorum;

    private static async Task<IReadOnlyList<PayoutEventRow>> EventsAsync(DbConnection connection, DbTransaction transaction, string tenantId, Guid payoutId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<PayoutEventRow>(new CommandDefinition(
            $"select {EventColumns} from payout_events where tenant_id = @tenantId and payout_id = @payoutId order by seq",
            new { tenantId, payoutId }, transaction, cancellationToken: cancellationToken))).ToList();

    /// <summary>A transaction lock on a name; taken before the audit lock, which is always last.</summary>
    private static Task LockAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtextextended(@name, 16))", new { name }, transaction, cancellationToken: cancellationToken));
}
