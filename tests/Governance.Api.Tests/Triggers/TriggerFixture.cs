using Governance.Api.Tests.Infrastructure;
using Governance.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Governance.Api.Tests.Triggers;

/// <summary>
/// A host whose clock stands still, so "the last ended month" the triggers job evaluates is the one the
/// test's facts were written for, whenever the test runs.
/// </summary>
public sealed class TriggerFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("The fixture has not started.");

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public GovernanceHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _ = DeliveryWatch.Shared; // before any worker runs a delivery
        _database = await TestDatabase.CreateAsync();
        Host = new GovernanceHost(HostSettings.For(_database) with { Services = services => services.AddSingleton<TimeProvider>(Clock) });
        _ = Host.Server;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await _database!.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class TriggerCollection : ICollectionFixture<TriggerFixture>
{
    public const string Name = "triggers";
}
