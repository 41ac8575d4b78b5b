using Governance.Storage.Metrics;
using Governance.Testing;
using Npgsql;

namespace Governance.Storage.Tests.Metrics;

/// <summary>One migrated database for the class; every test makes its own tenant.</summary>
public sealed class DefinitionDatabase : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public MetricDefinitionStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        DataSource = NpgsqlDataSource.Create(Database.ConnectionString);
        Store = new MetricDefinitionStore(DataSource, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        // Either may be missing when the database could not be created.
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }

    public async Task<string> NewTenantAsync()
    {
        var tenantId = $"t-{Guid.NewGuid():N}"[..20];
        await ExecuteAsync("insert into tenants (tenant_id, name, created_by) values ($1, 'Test tenant', 'test')", tenantId);
        return tenantId;
    }

    public async Task<int> ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new() { Value = parameter });
        }

        return await command.ExecuteNonQueryAsync();
    }
}
