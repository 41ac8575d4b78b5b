using Governance.Api.Incentives;
using Governance.Api.Metrics.Values;
using Governance.Api.Tests.Infrastructure;
using Governance.Domain.Measures;
using Governance.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Governance.Api.Tests.Incentives;

/// <summary>
/// A host of its own whose clock the tests move (a clawback looks at months after a release, which have
/// to end), with a finding source the tests fill (the data gate asks every registered source).
/// </summary>
public sealed class ClockFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public TestFindings Findings { get; } = new();

    public GovernanceHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Host = new GovernanceHost(HostSettings.For(_database) with
        {
            Services = services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                services.AddSingleton<IPayoutFindingSource>(Findings);
            },
        });
        _ = Host.Server;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await _database!.DisposeAsync();
    }
}

/// <summary>Open findings the tests declare per tenant, as the jobs of the next issue will store them.</summary>
public sealed class TestFindings : IPayoutFindingSource
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, OpenFinding> _open = new();

    public void Open(string tenantId, OpenFinding finding) => _open[tenantId] = finding;

    public void Resolve(string tenantId) => _open.TryRemove(tenantId, out _);

    public Task<IReadOnlyList<OpenFinding>> OpenFindingsAsync(string tenantId, MetricScope scope, Period period, IReadOnlyCollection<string> metricKeys, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OpenFinding>>(_open.TryGetValue(tenantId, out var finding) ? [finding] : []);
}

[CollectionDefinition(Name)]
public sealed class ClockCollection : ICollectionFixture<ClockFixture>
{
    public const string Name = "incentive-clock";
}
