using Dapper;
using Governance.Domain.Audit;
using Governance.Storage.Audit;
using Npgsql;

namespace Governance.Storage.Tenants;

/// <summary>Which executive each person of a tenant is (migration 0021); every change appended and audited.</summary>
public sealed class ExecutiveLinkStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Links <paramref name="userId"/> to <paramref name="executiveId"/> (null: unlinks); false when it already was so.</summary>
    public async Task<bool> LinkAsync(string tenantId, Guid userId, string username, string? executiveId, string setBy, string reason, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var (version, current) = await session.Connection.QuerySingleOrDefaultAsync<(int, string?)>(new CommandDefinition(
            "select version, executive_id from executive_links where tenant_id = @tenantId and user_id = @userId order by version desc limit 1",
            new { tenantId, userId }, session.Transaction, cancellationToken: cancellationToken));
        if (version > 0 && current == executiveId || version == 0 && executiveId is null)
        {
            return false;
        }

        var at = AuditEntry.StorableTime(time.GetUtcNow());
        await session.Connection.ExecuteAsync(new CommandDefinition(
            "insert into executive_links (tenant_id, user_id, version, executive_id, set_by, reason, recorded_at) values (@tenantId, @userId, @next, @executiveId, @setBy, @reason, @at)",
            new { tenantId, userId, next = version + 1, executiveId, setBy, reason, at }, session.Transaction, cancellationToken: cancellationToken));
        await AuditLog.AppendAsync(session.Connection, session.Transaction, tenantId,
            new AuditEvent(setBy, "user.executive_linked", $"user:{username}", reason, AuditEvent.Json(new { executiveId = current }), AuditEvent.Json(new { executiveId })),
            at, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The executive <paramref name="userId"/> is linked to, or null.</summary>
    public async Task<string?> ExecutiveOfAsync(string tenantId, Guid userId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "select executive_id from executive_links where tenant_id = @tenantId and user_id = @userId order by version desc limit 1",
            new { tenantId, userId }, session.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The executive of a token's subject: a person's user id; null for clients and unlinked people.</summary>
    public Task<string?> ExecutiveOfSubjectAsync(string tenantId, string subject, CancellationToken cancellationToken = default) =>
        Guid.TryParse(subject, out var userId) ? ExecutiveOfAsync(tenantId, userId, cancellationToken) : Task.FromResult<string?>(null);
}
