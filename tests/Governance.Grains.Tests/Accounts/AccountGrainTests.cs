using Governance.Abstractions;
using Governance.Abstractions.Accounts;
using Npgsql;
using Orleans.Core.Internal;

namespace Governance.Grains.Tests.Accounts;

[Collection(ClusterCollection.Name)]
public sealed class AccountGrainTests(ClusterFixture fixture)
{
    private static string NewTenant() => $"t{Guid.NewGuid():N}"[..20];

    private IAccountGrain Account(string tenantId, string accountId) =>
        fixture.Cluster.GrainFactory.GetGrain<IAccountGrain>(GrainKeys.Account(tenantId, accountId));

    private static RegisterAccountCommand Command(string name, string? segment = null) =>
        new() { Name = name, Segment = segment, RegisteredBy = "client-1" };

    [Fact]
    public async Task ShouldRegisterAnAccountAtTheCurrentTime()
    {
        var tenant = NewTenant();
        var now = ClusterFixture.Time.GetUtcNow();

        var result = await Account(tenant, "acc-1").RegisterAsync(Command("Initech", "smb"));

        Assert.Equal(RegisterAccountOutcome.Created, result.Outcome);
        Assert.Equal(new AccountSnapshot
        {
            TenantId = tenant,
            AccountId = "acc-1",
            Name = "Initech",
            Segment = "smb",
            RegisteredAt = now,
            RegisteredBy = "client-1",
        }, result.Account);
    }

    [Fact]
    public async Task ShouldReadTheAccountBackFromStorageAfterDeactivation()
    {
        var tenant = NewTenant();
        var grain = Account(tenant, "acc-1");
        await grain.RegisterAsync(Command("Initech"));

        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var reactivated = await Account(tenant, "acc-1").GetAsync();

        Assert.Equal("Initech", reactivated?.Name);
    }

    [Fact]
    public async Task ShouldReadTheAccountBackAfterTheSiloHoldingItStops()
    {
        var tenant = NewTenant();
        var silos = fixture.Cluster.GetActiveSilos().ToList();
        // Spread some accounts so that at least one lives on a silo we then restart.
        var ids = Enumerable.Range(0, 8).Select(i => $"acc-{i}").ToList();
        foreach (var id in ids)
        {
            await Account(tenant, id).RegisterAsync(Command($"Customer {id}"));
        }

        var stopped = silos[^1];
        await fixture.Cluster.RestartSiloAsync(stopped);

        foreach (var id in ids)
        {
            Assert.Equal($"Customer {id}", (await Account(tenant, id).GetAsync())?.Name);
        }
    }

    [Fact]
    public async Task ShouldKeepTwoTenantsAccountsWithTheSameIdApart()
    {
        var first = NewTenant();
        var second = NewTenant();
        await Account(first, "same-id").RegisterAsync(Command("First's customer"));

        var unseen = await Account(second, "same-id").GetAsync();
        var own = await Account(second, "same-id").RegisterAsync(Command("Second's customer"));

        Assert.Null(unseen);
        Assert.Equal(RegisterAccountOutcome.Created, own.Outcome);
        Assert.Equal("First's customer", (await Account(first, "same-id").GetAsync())?.Name);
    }

    [Fact]
    public async Task ShouldChangeNothingWhenRegisteredAgainWithOtherDetails()
    {
        var tenant = NewTenant();
        var grain = Account(tenant, "acc-1");
        await grain.RegisterAsync(Command("Initech"));
        ClusterFixture.Time.Advance(TimeSpan.FromDays(1));

        var same = await grain.RegisterAsync(Command("Initech"));
        var other = await grain.RegisterAsync(Command("Globex"));

        Assert.Equal(RegisterAccountOutcome.AlreadyRegistered, same.Outcome);
        Assert.Equal(RegisterAccountOutcome.Conflict, other.Outcome);
        Assert.Equal("Initech", other.Account.Name);
        Assert.Equal(same.Account.RegisteredAt, other.Account.RegisteredAt);
    }

    [Fact]
    public async Task ShouldWriteNothingWhenReadingAnAccountThatDoesNotExist()
    {
        var tenant = NewTenant();
        await Account(tenant, "real").RegisterAsync(Command("Initech"));

        var ghost = await Account(tenant, "ghost").GetAsync();

        Assert.Null(ghost);
        await using var connection = fixture.Database.Open();
        await using var command = new NpgsqlCommand(
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
