using System.Data.Common;
using Dapper;
using Npgsql;

namespace Governance.Storage.Tenants;

public sealed record TenantRow
{
    public required string TenantId { get; init; }
    public required string Name { get; init; }
    public required DateTime CreatedAt { get; init; } // UTC
    public required string CreatedBy { get; init; }
}

// Settable properties rather than positional records: Dapper cannot match text[] to a constructor parameter.
public sealed record TenantClientRow
{
    public required string ClientId { get; init; }
    public required string TenantId { get; init; }
    public required string[] Roles { get; init; }
}

public sealed record TenantUserRow
{
    public required string TenantId { get; init; }
    public required Guid UserId { get; init; }
    public required string Username { get; init; }
    public required string DisplayName { get; init; }
    public required string PasswordHash { get; init; }
    public required string[] Roles { get; init; }

    /// <summary>UTC; filled when read from the database.</summary>
    public DateTime CreatedAt { get; init; }

    /// <summary>UTC; set once the user is disabled: they can no longer sign in or get tokens.</summary>
    public DateTime? DisabledAt { get; init; }

    public bool IsDisabled => DisabledAt is not null;
}

/// <summary>Tenants, their OAuth clients and their users. Users are a tenant table: read and written in a <see cref="TenantSession"/>.</summary>
public sealed class TenantStore(NpgsqlDataSource dataSource)
{
    internal const string SelectUser = """
        select tenant_id as TenantId, user_id as UserId, username, display_name as DisplayName,
               password_hash as PasswordHash, roles, created_at as CreatedAt, disabled_at as DisabledAt
        from tenant_users
        """;

    public async Task<TenantRow?> FindTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<TenantRow>(new CommandDefinition(
            "select tenant_id as TenantId, name, created_at as CreatedAt, created_by as CreatedBy from tenants where tenant_id = @tenantId",
            new { tenantId }, cancellationToken: cancellationToken));
    }

    /// <summary>Every customer tenant (not the reserved platform tenant), oldest first: the registry is not tenant data (migration 0011).</summary>
    public async Task<IReadOnlyList<TenantRow>> ListTenantsAsync(string exceptTenantId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<TenantRow>(new CommandDefinition(
            "select tenant_id as TenantId, name, created_at as CreatedAt, created_by as CreatedBy from tenants where tenant_id <> @exceptTenantId order by created_at, tenant_id",
            new { exceptTenantId }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Inserts a tenant; <see langword="null"/> when the id is taken. Runs on the caller's connection and transaction.</summary>
    public static Task<TenantRow?> TryInsertTenantAsync(DbConnection connection, DbTransaction transaction, string tenantId, string name, string createdBy, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<TenantRow>(new CommandDefinition(
            """
            insert into tenants (tenant_id, name, created_by) values (@tenantId, @name, @createdBy)
            on conflict (tenant_id) do nothing
            returning tenant_id as TenantId, name, created_at as CreatedAt, created_by as CreatedBy
            """,
            new { tenantId, name, createdBy }, transaction, cancellationToken: cancellationToken));

    public static Task InsertClientAsync(DbConnection connection, DbTransaction? transaction, string clientId, string tenantId, string[] roles, string createdBy, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "insert into tenant_clients (client_id, tenant_id, roles, created_by) values (@clientId, @tenantId, @roles, @createdBy)",
            new { clientId, tenantId, roles, createdBy }, transaction, cancellationToken: cancellationToken));

    public async Task<TenantClientRow?> FindClientAsync(string clientId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<TenantClientRow>(new CommandDefinition(
            "select client_id as ClientId, tenant_id as TenantId, roles from tenant_clients where client_id = @clientId",
            new { clientId }, cancellationToken: cancellationToken));
    }

    public async Task<TenantUserRow?> FindUserAsync(string tenantId, string username, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<TenantUserRow>(new CommandDefinition(
            SelectUser + " where tenant_id = @tenantId and lower(username) = lower(@username)",
            new { tenantId, username }, session.Transaction, cancellationToken: cancellationToken));
    }

    public async Task<TenantUserRow?> FindUserByIdAsync(string tenantId, Guid userId, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        return await session.Connection.QuerySingleOrDefaultAsync<TenantUserRow>(new CommandDefinition(
            SelectUser + " where tenant_id = @tenantId and user_id = @userId",
            new { tenantId, userId }, session.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Inserts a user unless one with that username exists in the tenant; returns whether it inserted.</summary>
    public async Task<bool> TryInsertUserAsync(TenantUserRow user, string createdBy, CancellationToken cancellationToken = default)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, user.TenantId, cancellationToken);
        var inserted = await session.Connection.ExecuteAsync(new CommandDefinition(
            """
            insert into tenant_users (tenant_id, user_id, username, display_name, password_hash, roles, created_by)
            values (@TenantId, @UserId, @Username, @DisplayName, @PasswordHash, @Roles, @createdBy)
            on conflict (tenant_id, lower(username)) do nothing
            """,
            new { user.TenantId, user.UserId, user.Username, user.DisplayName, user.PasswordHash, user.Roles, createdBy },
            session.Transaction, cancellationToken: cancellationToken));
        await session.CommitAsync(cancellationToken);
        return inserted == 1;
    }
}
