using Governance.Storage.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Governance.Testing;

/// <summary>
/// A database of its own on the test PostgreSQL server (<c>GOVERNANCE_DB</c>, set by deploy/dev.sh test),
/// migrated with the real migrations, dropped on dispose. Tests never share rows with one another's fixtures.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _serverConnectionString;

    private TestDatabase(string serverConnectionString, string name)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("GOVERNANCE_DB") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("GOVERNANCE_DB is not set: run the tests through 'deploy/dev.sh test', which starts PostgreSQL and sets it.");

    /// <summary>Creates an empty database; <paramref name="migrate"/> applies every migration to it.</summary>
    public static async Task<TestDatabase> CreateAsync(bool migrate = true)
    {
        var server = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = "postgres" }.ConnectionString;
        var database = new TestDatabase(server, $"gov_test_{Guid.NewGuid():N}"[..24]);
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {database.Name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        if (migrate)
        {
            await new MigrationRunner(NullLogger<MigrationRunner>.Instance).ApplyAsync(database.ConnectionString);
        }

        return database;
    }

    public NpgsqlConnection Open()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists {Name} with (force)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
