using Governance.Testing;

namespace Governance.Api.Tests.Infrastructure;

/// <summary>One database and one running host shared by a test collection; every test makes its own tenants.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public GovernanceHost Host { get; private set; } = null!;

    public TestDatabase Database => _database!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Host = new GovernanceHost(HostSettings.For(_database));
        _ = Host.Server; // start now, so the first test does not pay for it
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await _database!.DisposeAsync();
    }

    /// <summary>A tenant id no other test uses.</summary>
    public static string NewTenantId(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}"[..20];
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
