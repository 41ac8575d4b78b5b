using Governance.Grains;
using Governance.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace Governance.Grains.Tests;

/// <summary>
/// A two-silo cluster whose grain state lives in a real PostgreSQL database of its own, with time
/// that tests move by hand. Shared by the collection; each test uses fresh grain keys.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const string ConnectionStringKey = "GovernanceTests:ConnectionString";

    /// <summary>The silos run in this process, so they and the tests share this clock.</summary>
    public static FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 15, 9, 30, 0, TimeSpan.Zero));

    private TestDatabase? _database;

    public TestCluster Cluster { get; private set; } = null!;

    public TestDatabase Database => _database!;

    /// <summary>The tests' own view of the facts table (one data source, so one connection pool).</summary>
    public Governance.Storage.Facts.FactStore Facts => _facts ??= new(Governance.Storage.TenantSession.Builder(Database.ConnectionString, Governance.Storage.TenantSession.RuntimeRole).Build());

    private Governance.Storage.Facts.FactStore? _facts;

    /// <summary>Stores facts as the ingest path does and returns them as stored, not yet delivered to any grain.</summary>
    public async Task<IReadOnlyList<Governance.Abstractions.Facts.FactMessage>> StoreAsync(string tenantId, IReadOnlyList<Governance.Domain.Facts.FactDraft> drafts)
    {
        // Facts need no tenant row, but the batch's audit entries do (audit_entries references tenants).
        await using (var connection = Database.Open())
        await using (var insert = new Npgsql.NpgsqlCommand("insert into tenants (tenant_id, name, created_by) values ($1, $1, 'test') on conflict do nothing", connection))
        {
            insert.Parameters.Add(new() { Value = tenantId });
            await insert.ExecuteNonQueryAsync();
        }

        await using var session = await Facts.OpenSessionAsync(tenantId, CancellationToken.None);
        var result = await session.AppendAsync(drafts.Select((d, i) => Governance.Storage.Facts.FactRow.From(i, d)).ToList(), "test", CancellationToken.None);
        Assert.False(result.Rejected, string.Join("; ", result.Errors));
        await session.MarkAppliedAsync(result.BatchId, CancellationToken.None);
        return result.Stored;
    }

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        var builder = new TestClusterBuilder(initialSilosCount: 2);
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ConnectionStringKey] = _database.ConnectionString,
        }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await _database!.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.Services.AddSingleton<TimeProvider>(Time);
            // As in the host: the fact log runs as governance_app, under row-level security.
            silo.Services.AddSingleton(_ => Governance.Storage.TenantSession.Builder(silo.Configuration[ConnectionStringKey]!, Governance.Storage.TenantSession.RuntimeRole).Build());
            silo.Services.AddSingleton<Governance.Storage.Facts.FactStore>();
            silo.Services.AddSingleton<Governance.Domain.Facts.IFactLog>(s => s.GetRequiredService<Governance.Storage.Facts.FactStore>());
            var connectionString = silo.Configuration[ConnectionStringKey];
            silo.AddAdoNetGrainStorage(GrainStorage.Default, options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = connectionString;
                options.GrainStorageSerializer = new JsonGrainStateSerializer();
            });
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
