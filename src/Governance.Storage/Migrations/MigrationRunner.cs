using Microsoft.Extensions.Logging;
using Npgsql;

namespace Governance.Storage.Migrations;

/// <summary>
/// Applies the forward-only migrations that have not run yet, each in its own transaction, and records
/// them in <c>schema_migrations</c>. Safe to call from several processes at once: an advisory lock
/// serialises them, and the second finds nothing left to do.
/// </summary>
public sealed class MigrationRunner(ILogger<MigrationRunner> logger)
{
    // Arbitrary but fixed: every Governance process agrees on it.
    private const long AdvisoryLockKey = 0x476f765f6d696772; // "Gov_migr"

    /// <summary>Applies what has not run yet; <paramref name="throughVersion"/> stops after that version (an upgrade test starts from an older schema).</summary>
    public async Task<IReadOnlyList<Migration>> ApplyAsync(string connectionString, CancellationToken cancellationToken = default, int? throughVersion = null)
    {
        var migrations = Migration.Embedded().Where(m => throughVersion is null || m.Version <= throughVersion).ToList();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        await Execute(connection, $"select pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await Execute(connection, """
                create table if not exists schema_migrations (
                    version     integer primary key,
                    name        text not null,
                    checksum    text not null,
                    applied_at  timestamptz not null default now()
                )
                """, cancellationToken);

            var applied = await AppliedAsync(connection, cancellationToken);
            var ran = new List<Migration>();
            foreach (var migration in migrations)
            {
                if (applied.TryGetValue(migration.Version, out var checksum))
                {
                    if (checksum != migration.Checksum)
                    {
                        throw new InvalidOperationException(
                            $"Migration {migration.Name} was changed after it was applied. Migrations are forward-only: add a new one instead.");
                    }

                    continue;
                }

                await ApplyOneAsync(connection, migration, cancellationToken);
                ran.Add(migration);
            }

            var unknown = applied.Keys.Except(migrations.Select(m => m.Version)).ToList();
            if (unknown.Count > 0)
            {
                logger.LogWarning("The database has migrations this build does not know: {Versions}. Is this build older than the database?", unknown);
            }

            logger.LogInformation("Migrations: {Ran} applied now, {Total} known", ran.Count, migrations.Count);
            return ran;
        }
        finally
        {
            await Execute(connection, $"select pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private async Task ApplyOneAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var record = new NpgsqlCommand(
                "insert into schema_migrations (version, name, checksum) values ($1, $2, $3)", connection, transaction))
            {
                record.Parameters.Add(new() { Value = migration.Version });
                record.Parameters.Add(new() { Value = migration.Name });
                record.Parameters.Add(new() { Value = migration.Checksum });
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Applied migration {Migration}", migration.Name);
        }
        catch (PostgresException e)
        {
            throw new InvalidOperationException($"Migration {migration.Name} failed: {e.MessageText} (position {e.Position}).", e);
        }
    }

    private static async Task<Dictionary<int, string>> AppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand("select version, checksum from schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
