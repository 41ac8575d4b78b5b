using System.Security.Cryptography;
using System.Text;
using Dapper;
using Governance.Domain.Audit;
using Governance.Storage.Audit;
using Npgsql;

namespace Governance.Storage.Reports;

/// <summary>A report the reports job stored (migration 0020): its Markdown as generated, never changed.</summary>
public sealed class StoredReportRow
{
    public Guid ReportId { get; set; }
    public string Cadence { get; set; } = "";
    public string Scope { get; set; } = "";
    public string Period { get; set; } = "";
    public string Markdown { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public string GeneratedBy { get; set; } = "";
    public DateTime GeneratedAt { get; set; }
}

/// <summary>Reports generated on the cadence (migration 0020), one per cadence, scope and period, each audited in its transaction.</summary>
public sealed class ReportStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public const int MaxPage = 200;

    private const string Columns = """
        report_id as ReportId, cadence as Cadence, scope as Scope, period as Period, markdown as Markdown, sha256 as Sha256,
        generated_by as GeneratedBy, generated_at as GeneratedAt
        """;

    /// <summary>
    /// Stores a report unless the tenant holds one for the cadence, scope and period (then false); a stored
    /// one appends <c>report.generated</c> (actor <paramref name="generatedBy"/>) in the same transaction.
    /// </summary>
    public async Task<bool> StoreAsync(string tenantId, string cadence, string scope, string period, string markdown, string generatedBy, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var at = AuditEntry.StorableTime(time.GetUtcNow());
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(markdown)));
        var id = await session.Connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            """
            insert into reports (tenant_id, cadence, scope, period, report_id, markdown, sha256, generated_by, generated_at)
            values (@tenantId, @cadence, @scope, @period, gen_random_uuid(), @markdown, @sha256, @generatedBy, @at)
            on conflict (tenant_id, cadence, scope, period) do nothing
            returning report_id
            """, new { tenantId, cadence, scope, period, markdown, sha256, generatedBy, at }, session.Transaction, cancellationToken: cancellationToken));
        if (id is not { } reportId)
        {
            return false;
        }

        await AuditLog.AppendAsync(session.Connection, session.Transaction, tenantId,
            new AuditEvent(generatedBy, "report.generated", $"report:{reportId}", null, null,
                AuditEvent.Json(new { reportId, cadence, scope, period, sha256, bytes = Encoding.UTF8.GetByteCount(markdown) })),
            at, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> ExistsAsync(string tenantId, string cadence, string scope, string period, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        return await session.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from reports where tenant_id = @tenantId and cadence = @cadence and scope = @scope and period = @period)",
            new { tenantId, cadence, scope, period }, session.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The tenant's stored reports, newest first, optionally of one cadence.</summary>
    public async Task<IReadOnlyList<StoredReportRow>> ListAsync(string tenantId, string? cadence, int first, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(first, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, MaxPage);
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var rows = await session.Connection.QueryAsync<StoredReportRow>(new CommandDefinition(
            $"""
            select {Columns} from reports
            where tenant_id = @tenantId and (@cadence::text is null or cadence = @cadence)
            order by generated_at desc, cadence, scope, period limit @first
            """, new { tenantId, cadence, first }, session.Transaction, cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>Every executive an account was ever created for or assigned to: the portfolios a job reports on.</summary>
    public async Task<IReadOnlyList<string>> ExecutivesAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var rows = await session.Connection.QueryAsync<string>(new CommandDefinition(
            """
            select distinct executive from (
                select payload->>'executiveId' as executive from facts where tenant_id = @tenantId and kind = 'account.assigned'
                union
                select payload->>'ownerExecutiveId' from facts where tenant_id = @tenantId and kind = 'account.created'
            ) e where executive is not null order by executive
            """, new { tenantId }, session.Transaction, cancellationToken: cancellationToken));
        return rows.ToList();
    }
}
