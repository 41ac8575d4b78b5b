using System.Data.Common;
using Npgsql;

namespace Governance.Storage;

/// <summary>
/// The one way Storage touches a tenant table: a transaction with the tenant set for it
/// (<c>set_config('governance.tenant_id', tenant, true)</c>, transaction-local). Row-level security
/// (migration 0011, ADR 0003) admits only that tenant's rows; without the setting a tenant table reads
/// empty and refuses writes. Disposing without <see cref="CommitAsync"/> rolls back.
/// </summary>
public sealed class TenantSession : IAsyncDisposable
{
    /// <summary>The setting the policies of migration 0011 compare <c>tenant_id</c> with.</summary>
    public const string Setting = "governance.tenant_id";

    /// <summary>The runtime role of migration 0011: not superuser, not BYPASSRLS, owns nothing.</summary>
    public const string RuntimeRole = "governance_app";

    private TenantSession(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenantId)
    {
        Connection = connection;
        Transaction = transaction;
        TenantId = tenantId;
    }

    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    public string TenantId { get; }

    /// <summary>Opens a connection, begins a transaction and sets the tenant for it.</summary>
    public static async Task<TenantSession> BeginAsync(NpgsqlDataSource dataSource, string tenantId, CancellationToken cancellationToken = default)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await SetTenantAsync(connection, transaction, tenantId, cancellationToken);
            return new TenantSession(connection, transaction, tenantId);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sets the tenant for the caller's own transaction (it ends with that transaction).</summary>
    public static async Task SetTenantAsync(DbConnection connection, DbTransaction transaction, string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"select set_config('{Setting}', @tenant, true)";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "tenant";
        parameter.Value = tenantId;
        command.Parameters.Add(parameter);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A data-source builder whose connections act as <see cref="RuntimeRole"/> (or <paramref name="role"/>), when one is given.</summary>
    /// <remarks>
    /// The role is a startup option (<c>-c role=…</c>), so it is the session's default: it survives the
    /// pool's <c>DISCARD ALL</c> and <c>RESET ROLE</c>. The login user must be a superuser or a member of the role.
    /// </remarks>
    public static NpgsqlDataSourceBuilder Builder(string connectionString, string? role)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!string.IsNullOrWhiteSpace(role))
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(role, "^[a-z_][a-z0-9_]*$"))
            {
                throw new ArgumentException($"'{role}' is not a plain role name.", nameof(role));
            }

            builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? $"-c role={role}" : $"{builder.Options} -c role={role}";
        }

        return new NpgsqlDataSourceBuilder(builder.ConnectionString);
    }

    public Task CommitAsync(CancellationToken cancellationToken = default) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Transaction.DisposeAsync();
        }
        finally
        {
            await Connection.DisposeAsync();
        }
    }
}
