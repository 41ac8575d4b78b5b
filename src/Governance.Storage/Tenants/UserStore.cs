using System.Data.Common;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Governance.Storage.Tenants;

/// <summary>What became of a change to a user.</summary>
public enum UserChangeResult
{
    Changed,

    /// <summary>The user already was as asked (e.g. granted a role they hold); nothing was written.</summary>
    Unchanged,

    NotFound,

    /// <summary>The change would leave the tenant without an enabled user holding the guarded role; nothing was written.</summary>
    LastGuardedRole,
}

public sealed record UserChange(UserChangeResult Result, TenantUserRow? User);

/// <summary>
/// The people of a tenant as tenant admins manage them. Every change writes the user row and its
/// <c>user_events</c> entry (actor, time, reason, before/after) in one transaction, so the record
/// and the state never disagree.
/// </summary>
public sealed class UserStore(NpgsqlDataSource dataSource)
{
    public const string UserCreated = "user_created";
    public const string RolesGranted = "roles_granted";
    public const string RolesRevoked = "roles_revoked";
    public const string UserDisabled = "user_disabled";
    public const string ClientCreated = "client_created";

    public async Task<IReadOnlyList<TenantUserRow>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var session = await TenantSession.BeginAsync(dataSource, tenantId, cancellationToken);
        var users = await session.Connection.QueryAsync<TenantUserRow>(new CommandDefinition(
            TenantStore.SelectUser + " where tenant_id = @tenantId order by lower(username)",
            new { tenantId }, session.Transaction, cancellationToken: cancellationToken));
        return users.AsList();
    }

    /// <summary>Inserts a user and its creation event; false when the username is taken in the tenant.</summary>
    public async Task<bool> CreateAsync(TenantUserRow user, string actor, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TenantSession.SetTenantAsync(connection, transaction, user.TenantId, cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into tenant_users (tenant_id, user_id, username, display_name, password_hash, roles, created_at, created_by)
            values (@TenantId, @UserId, @Username, @DisplayName, @PasswordHash, @Roles, @at, @actor)
            on conflict (tenant_id, lower(username)) do nothing
            """,
            new { user.TenantId, user.UserId, user.Username, user.DisplayName, user.PasswordHash, user.Roles, at, actor },
            transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            return false;
        }

        await AppendUserEventAsync(connection, transaction, user, UserCreated, actor, at, reason: null, before: null, after: user, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to a user, unless it would leave the tenant with no enabled
    /// user holding <paramref name="guardedRole"/> while one had it before. Changes to one tenant's
    /// users take turns (a transaction-scoped advisory lock per tenant), so two admins cannot each remove the other.
    /// </summary>
    public async Task<UserChange> ChangeAsync(
        string tenantId, string username, Func<TenantUserRow, TenantUserRow> change, string action,
        string guardedRole, string actor, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await TenantSession.SetTenantAsync(connection, transaction, tenantId, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "select pg_advisory_xact_lock(hashtextextended('governance.users/' || @tenantId, 0))", new { tenantId }, transaction, cancellationToken: cancellationToken));
        var before = await connection.QuerySingleOrDefaultAsync<TenantUserRow>(new CommandDefinition(
            TenantStore.SelectUser + " where tenant_id = @tenantId and lower(username) = lower(@username)",
            new { tenantId, username }, transaction, cancellationToken: cancellationToken));
        if (before is null)
        {
            return new UserChange(UserChangeResult.NotFound, null);
        }

        var after = change(before);
        if (after.Roles.SequenceEqual(before.Roles, StringComparer.Ordinal) && after.IsDisabled == before.IsDisabled)
        {
            return new UserChange(UserChangeResult.Unchanged, before);
        }

        if (Holds(before, guardedRole) && !Holds(after, guardedRole))
        {
            var others = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                select count(*) from tenant_users
                where tenant_id = @tenantId and user_id <> @UserId and disabled_at is null and @guardedRole = any(roles)
                """,
                new { tenantId, before.UserId, guardedRole }, transaction, cancellationToken: cancellationToken));
            if (others == 0)
            {
                return new UserChange(UserChangeResult.LastGuardedRole, before);
            }
        }

        var disabledAt = after.IsDisabled ? before.DisabledAt ?? at.UtcDateTime : (DateTime?)null;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            update tenant_users
            set roles = @Roles, disabled_at = @disabledAt, disabled_by = case when @disabledAt::timestamptz is null then null else coalesce(disabled_by, @actor) end
            where tenant_id = @TenantId and user_id = @UserId
            """,
            new { after.Roles, disabledAt, actor, before.TenantId, before.UserId }, transaction, cancellationToken: cancellationToken));
        after = after with { DisabledAt = disabledAt };
        await AppendUserEventAsync(connection, transaction, before, action, actor, at, reason, before, after, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new UserChange(UserChangeResult.Changed, after);
    }

    /// <summary>Records a client's creation, on the caller's connection and transaction (the token server's).</summary>
    public static async Task AppendClientCreatedAsync(
        DbConnection connection, DbTransaction transaction, string tenantId, string clientId, string name, string[] roles,
        string actor, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var after = JsonSerializer.Serialize(new { name, roles });
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into user_events (tenant_id, subject_kind, subject, action, actor, at, after)
            values (@tenantId, 'client', @clientId, @action, @actor, @at, @after::jsonb)
            """,
            new { tenantId, clientId, action = ClientCreated, actor, at, after },
            transaction, cancellationToken: cancellationToken));
        await Audit.AuditLog.AppendAsync(connection, transaction, tenantId,
            new Domain.Audit.AuditEvent(actor, $"client.{ClientCreated}", $"client:{clientId}", null, null, after), at, cancellationToken);
    }

    private static bool Holds(TenantUserRow user, string role) => !user.IsDisabled && user.Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>Records a change of a user in <c>user_events</c> and in the tenant's audit log, in the caller's transaction.</summary>
    private static async Task AppendUserEventAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, TenantUserRow user, string action, string actor, DateTimeOffset at,
        string? reason, TenantUserRow? before, TenantUserRow after, CancellationToken cancellationToken)
    {
        var (beforeJson, afterJson) = (before is null ? null : Snapshot(before), Snapshot(after));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into user_events (tenant_id, subject_kind, subject, user_id, action, actor, at, reason, before, after)
            values (@TenantId, 'user', @Username, @UserId, @action, @actor, @at, @reason, @before::jsonb, @after::jsonb)
            """,
            new { user.TenantId, user.Username, user.UserId, action, actor, at, reason, before = beforeJson, after = afterJson },
            transaction, cancellationToken: cancellationToken));
        await Audit.AuditLog.AppendAsync(connection, transaction, user.TenantId,
            new Domain.Audit.AuditEvent(actor, $"user.{action}", $"user:{user.Username}", reason, beforeJson, afterJson), at, cancellationToken);
    }

    // What an auditor needs to see of a user's state; never the password hash.
    private static string Snapshot(TenantUserRow user) =>
        JsonSerializer.Serialize(new { displayName = user.DisplayName, roles = user.Roles, disabled = user.IsDisabled });
}
