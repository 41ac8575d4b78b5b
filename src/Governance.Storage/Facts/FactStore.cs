using System.Security.Cryptography;
using System.Text;
using Governance.Abstractions.Facts;
using Governance.Domain.Audit;
using Governance.Domain.Facts;
using Governance.Storage.Audit;
using Npgsql;
using NpgsqlTypes;

namespace Governance.Storage.Facts;

/// <summary>
/// The facts table: appends batches atomically and reads facts back. All appends of one tenant take
/// turns under an advisory lock (<see cref="OpenSessionAsync"/>), so within a tenant fact ids grow in
/// commit order: a grain that has applied fact n has applied every earlier fact of its account.
/// </summary>
public sealed class FactStore(NpgsqlDataSource dataSource, TimeProvider? time = null) : IFactLog
{
    /// <summary>At most this many errors are reported for one batch; the rest are summarised.</summary>
    public const int MaxErrors = 100;

    public async Task<IngestSession> OpenSessionAsync(string tenantId, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("select pg_advisory_lock($1)", connection);
            command.Parameters.Add(new() { Value = LockKey(tenantId) });
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new IngestSession(connection, tenantId, LockKey(tenantId), time ?? TimeProvider.System);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<IReadOnlyList<FactMessage>> ReadAccountAsync(string tenantId, string accountId, long afterFactId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        await using var command = new NpgsqlCommand(
            $"""
            select {IngestSession.FactColumns("f")}, {IngestSession.FactColumns("s")}
            from facts f left join facts s on s.tenant_id = f.tenant_id and s.fact_id = f.supersedes_fact_id
            where f.tenant_id = $1 and f.account_id = $2 and f.fact_id > $3
            order by f.fact_id
            """, session.Connection);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = afterFactId });
        return await IngestSession.ReadMessagesAsync(command, cancellationToken);
    }

    public Task<IReadOnlyList<string>> AccountsOfTenantAsync(string tenantId, CancellationToken cancellationToken = default) =>
        ReadStringsAsync(tenantId, "select account_id from accounts where tenant_id = $1 order by account_id", cancellationToken, tenantId);

    public Task<IReadOnlyList<string>> AccountsOfPortfolioAsync(string tenantId, string executiveId, CancellationToken cancellationToken = default) =>
        ReadStringsAsync(tenantId,
            """
            select distinct account_id from facts
            where tenant_id = $1
              and ((kind = 'account.assigned' and payload->>'executiveId' = $2)
                or (kind = 'account.created' and payload->>'ownerExecutiveId' = $2))
            order by account_id
            """, cancellationToken, tenantId, executiveId);

    public Task<IReadOnlyList<string>> AccountsOfSegmentAsync(string tenantId, string segment, CancellationToken cancellationToken = default) =>
        ReadStringsAsync(tenantId,
            """
            select distinct account_id from facts
            where tenant_id = $1 and kind = 'account.created' and payload->>'segment' = $2
            order by account_id
            """, cancellationToken, tenantId, segment);

    /// <summary>Every executive that owns or was assigned an account of the tenant (the portfolios a roll-up exists for).</summary>
    public Task<IReadOnlyList<string>> ExecutivesOfTenantAsync(string tenantId, CancellationToken cancellationToken = default) =>
        ReadStringsAsync(tenantId,
            """
            select executive_id from (
              select payload->>'executiveId' as executive_id from facts where tenant_id = $1 and kind = 'account.assigned'
              union
              select payload->>'ownerExecutiveId' from facts where tenant_id = $1 and kind = 'account.created'
            ) e
            where executive_id is not null
            order by executive_id
            """, cancellationToken, tenantId);

    /// <summary>Every segment an account of the tenant was created in.</summary>
    public Task<IReadOnlyList<string>> SegmentsOfTenantAsync(string tenantId, CancellationToken cancellationToken = default) =>
        ReadStringsAsync(tenantId,
            """
            select distinct payload->>'segment' from facts
            where tenant_id = $1 and kind = 'account.created' and payload->>'segment' is not null
            order by 1
            """, cancellationToken, tenantId);

    /// <summary>Reads one text column, inside a <see cref="TenantSession"/> of <paramref name="tenantId"/> unless it is null.</summary>
    private async Task<IReadOnlyList<string>> ReadStringsAsync(string? tenantId, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var session = tenantId is null ? null : await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        await using var own = session is null ? await dataSource.OpenConnectionAsync(cancellationToken) : null;
        await using var command = new NpgsqlCommand(sql, session?.Connection ?? own);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new() { Value = parameter });
        }

        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>
    /// Marks a month closed for the tenant; later facts in it are flagged late. Returns false when it was
    /// closed already. A close appends its audit entry (<c>period.closed</c>) in the same transaction.
    /// </summary>
    public async Task<bool> ClosePeriodAsync(string tenantId, DateOnly month, string closedBy, CancellationToken cancellationToken)
    {
        var first = new DateOnly(month.Year, month.Month, 1);
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var (connection, transaction) = (session.Connection, session.Transaction);
        await using var command = new NpgsqlCommand(
            "insert into period_closes (tenant_id, month, closed_by) values ($1, $2, $3) on conflict do nothing", connection, transaction);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = first });
        command.Parameters.Add(new() { Value = closedBy });
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            return false;
        }

        await AuditLog.AppendAsync(connection, transaction, tenantId,
            new AuditEvent(closedBy, "period.closed", $"period:{first:yyyy-MM}", null,
                AuditEvent.Json(new { month = first, closed = false }), AuditEvent.Json(new { month = first, closed = true })),
            (time ?? TimeProvider.System).GetUtcNow(), cancellationToken);
        await session.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Whether every month from <paramref name="start"/> up to (not including) <paramref name="end"/> was closed.</summary>
    public async Task<bool> IsClosedAsync(string tenantId, DateOnly start, DateOnly end, CancellationToken cancellationToken)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        await using var command = new NpgsqlCommand(
            "select count(*) from period_closes where tenant_id = $1 and month >= $2 and month < $3", session.Connection);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = start });
        command.Parameters.Add(new() { Value = end });
        var closed = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return closed == ((end.Year - start.Year) * 12) + end.Month - start.Month;
    }

    /// <summary>
    /// Tenants with batches that were acknowledged but not yet applied to their grains. The one cross-tenant
    /// read of the ingest path: through the SECURITY DEFINER function of migration 0011, which answers tenant
    /// ids only. The caller then opens a session per tenant, which sets that tenant.
    /// </summary>
    public Task<IReadOnlyList<string>> TenantsWithPendingBatchesAsync(CancellationToken cancellationToken) =>
        ReadStringsAsync(null, "select t from governance_tenants_with_pending_batches() t", cancellationToken);

    private static long LockKey(string tenantId) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"governance.ingest/{tenantId}")), 0);
}
