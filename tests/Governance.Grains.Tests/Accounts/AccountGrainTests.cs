using Governance.Abstractions;
using Governance.Abstractions.Accounts;
using Governance.Abstractions.Facts;
using Governance.Domain.Facts;
using Governance.Domain.Measures;
using Orleans.Core.Internal;

namespace Governance.Grains.Tests.Accounts;

[Collection(ClusterCollection.Name)]
public sealed class AccountGrainTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset March = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly int MarchKey = MonthKey.Of(2026, 3);

    private static string NewTenant() => $"t{Guid.NewGuid():N}"[..20];

    private IAccountGrain Account(string tenantId, string accountId) =>
        fixture.Cluster.GrainFactory.GetGrain<IAccountGrain>(GrainKeys.Account(tenantId, accountId));

    private static FactDraft Created(string accountId, string name = "Initech") =>
        new("crm", $"created-{accountId}", accountId, March.AddDays(-9), null, FactKind.AccountCreated, new AccountCreatedPayload(name, "smb", null));

    private static FactDraft Usage(string accountId, int n) =>
        new("app", $"usage-{accountId}-{n}", accountId, March, null, FactKind.UsageRecorded, new UsageRecordedPayload($"user-{n % 3}", "login", null, 1));

    private Task<IReadOnlyList<FactMessage>> StoreAsync(string tenantId, params FactDraft[] drafts) => fixture.StoreAsync(tenantId, drafts);

    private async Task<long> UsageEventsAsync(IAccountGrain grain) =>
        (await grain.GetMeasuresAsync(MarchKey, MarchKey))[0].Values[(int)Measure.UsageEvents];

    [Fact]
    public async Task ShouldDescribeTheAccountFromItsCreatedFact()
    {
        var tenant = NewTenant();
        var stored = await StoreAsync(tenant, Created("acc-1"));

        await Account(tenant, "acc-1").ApplyAsync(stored);
        var account = await Account(tenant, "acc-1").GetAsync();

        Assert.Equal("Initech", account?.Name);
        Assert.Equal("smb", account?.Segment);
        Assert.Equal(March.AddDays(-9), account?.RegisteredAt);
        Assert.Equal("test", account?.RegisteredBy);
    }

    [Fact]
    public async Task ShouldCountAFactDeliveredTwiceOnce()
    {
        var tenant = NewTenant();
        var stored = await StoreAsync(tenant, Created("acc-1"), Usage("acc-1", 1), Usage("acc-1", 2));
        var grain = Account(tenant, "acc-1");

        await grain.ApplyAsync(stored);
        await grain.ApplyAsync(stored);

        Assert.Equal(2, await UsageEventsAsync(grain));
        Assert.Equal(stored[^1].FactId, await grain.GetWatermarkAsync());
    }

    [Fact]
    public async Task ShouldReplayStoredFactsItWasNeverGivenWhenItActivates()
    {
        var tenant = NewTenant();
        await StoreAsync(tenant, [Created("acc-1"), .. Enumerable.Range(0, 25).Select(n => Usage("acc-1", n))]);

        // Nothing was delivered: as after a crash between the acknowledgement and the delivery.
        var grain = Account(tenant, "acc-1");

        Assert.Equal("Initech", (await grain.GetAsync())?.Name);
        Assert.Equal(25, await UsageEventsAsync(grain));
    }

    [Fact]
    public async Task ShouldCountEveryFactOnceAfterItsSiloIsKilledBeforeASnapshot()
    {
        var tenant = NewTenant();
        var ids = Enumerable.Range(0, 6).Select(i => $"acc-{i}").ToList();
        foreach (var id in ids)
        {
            var stored = await StoreAsync(tenant, [Created(id), .. Enumerable.Range(0, 10).Select(n => Usage(id, n))]);
            await Account(tenant, id).ApplyAsync(stored);
        }

        // Killed, not stopped: no deactivation, no snapshot; the grains come back from the facts table.
        var victim = fixture.Cluster.GetActiveSilos().Last();
        await fixture.Cluster.KillSiloAsync(victim);
        await fixture.Cluster.StartAdditionalSilosAsync(1);
        foreach (var id in ids)
        {
            var more = await StoreAsync(tenant, Usage(id, 100), Usage(id, 101));
            await Account(tenant, id).ApplyAsync(more);
        }

        foreach (var id in ids)
        {
            Assert.Equal(12, await UsageEventsAsync(Account(tenant, id)));
        }
    }

    [Fact]
    public async Task ShouldReadTheSnapshotBackAfterDeactivation()
    {
        var tenant = NewTenant();
        var grain = Account(tenant, "acc-1");
        await grain.ApplyAsync(await StoreAsync(tenant, Created("acc-1"), Usage("acc-1", 1)));

        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();

        Assert.Equal(1, await UsageEventsAsync(Account(tenant, "acc-1")));
        Assert.Equal("Initech", (await Account(tenant, "acc-1").GetAsync())?.Name);
    }

    [Fact]
    public async Task ShouldKeepTwoTenantsAccountsWithTheSameIdApart()
    {
        var first = NewTenant();
        var second = NewTenant();
        await Account(first, "same-id").ApplyAsync(await StoreAsync(first, Created("same-id", "First's customer")));

        var unseen = await Account(second, "same-id").GetAsync();

        Assert.Null(unseen);
        Assert.Equal("First's customer", (await Account(first, "same-id").GetAsync())?.Name);
    }

    [Fact]
    public async Task ShouldWriteNothingWhenReadingAnAccountThatDoesNotExist()
    {
        var tenant = NewTenant();
        var real = Account(tenant, "real");
        await real.ApplyAsync(await StoreAsync(tenant, Created("real")));
        await real.Cast<IGrainManagementExtension>().DeactivateOnIdle(); // snapshots it
        await real.GetWatermarkAsync(); // waits for the deactivation to finish

        var ghost = await Account(tenant, "ghost").GetAsync();
        await Account(tenant, "ghost").Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Account(tenant, "ghost").GetWatermarkAsync();

        Assert.Null(ghost);
        await using var connection = fixture.Database.Open();
        await using var command = new Npgsql.NpgsqlCommand(
            "select grainidextensionstring from orleansstorage where grainidextensionstring like $1", connection);
        command.Parameters.Add(new() { Value = $"%{tenant}%" });
        var stored = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored.Add(reader.GetString(0));
            }
        }

        Assert.Equal([GrainKeys.Account(tenant, "real")], stored.Select(s => s[s.IndexOf(tenant, StringComparison.Ordinal)..]));
    }
}
