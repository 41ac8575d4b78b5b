using Governance.Testing;

namespace Governance.Acceptance.Tests;

public sealed class ClusterTests
{
    [Fact]
    public async Task ShouldServeEveryAccountFromEitherOfTwoHostProcessesSharingOneDatabase()
    {
        await using var database = await TestDatabase.CreateAsync();
        var dataDirectory = Directory.CreateTempSubdirectory("governance-cluster-").FullName;
        var clusterId = $"acceptance-{Guid.NewGuid():N}";
        await using var first = await HostProcess.StartAsync(database.ConnectionString, dataDirectory, clusterId);
        await using var second = await HostProcess.StartAsync(database.ConnectionString, dataDirectory, clusterId);

        var platform = await first.GetTokenAsync("platform-admin", HostProcess.PlatformSecret);
        var tenant = await first.GraphQLAsync(platform,
            """mutation { createTenant(input: {id: "cluster-co", name: "Cluster Co"}) { integrationClient { clientId clientSecret } } }""");
        var client = tenant["createTenant"]!["integrationClient"]!;
        // Each process issues its own token for the same client: the keys and the client store are shared.
        var viaFirst = await first.GetTokenAsync(client["clientId"]!.GetValue<string>(), client["clientSecret"]!.GetValue<string>());
        var viaSecond = await second.GetTokenAsync(client["clientId"]!.GetValue<string>(), client["clientSecret"]!.GetValue<string>());

        var ids = Enumerable.Range(1, 12).Select(i => $"acc-{i}").ToList();
        foreach (var id in ids)
        {
            await first.GraphQLAsync(viaFirst, "mutation($id: ID!, $name: String!) { registerAccount(input: {id: $id, name: $name}) { outcome } }", new { id, name = id });
        }

        foreach (var id in ids)
        {
            var read = await second.GraphQLAsync(viaSecond, "query($id: ID!) { account(id: $id) { name } }", new { id });
            Assert.Equal(id, read["account"]!["name"]!.GetValue<string>());
        }

        var silos = (await second.GraphQLAsync(await second.GetTokenAsync("platform-admin", HostProcess.PlatformSecret),
            "{ clusterSilos { address status activations { grainType count } } }"))["clusterSilos"]!.AsArray();
        var active = silos.Where(s => s!["status"]!.GetValue<string>() == "Active").ToList();
        Assert.Equal(2, active.Count);
        Assert.Contains(active, s => s!["address"]!.GetValue<string>().Contains($":{first.SiloPort}:", StringComparison.Ordinal));
        Assert.Contains(active, s => s!["address"]!.GetValue<string>().Contains($":{second.SiloPort}:", StringComparison.Ordinal));

        // One activation per account in the whole cluster, though both processes served calls for every
        // account: whichever silo holds an account, the other process's call reached it there.
        var accountActivations = active.Sum(s => s!["activations"]!.AsArray()
            .Where(a => a!["grainType"]!.GetValue<string>().Contains("AccountGrain", StringComparison.Ordinal))
            .Sum(a => a!["count"]!.GetValue<int>()));
        Assert.Equal(ids.Count, accountActivations);
    }
}
