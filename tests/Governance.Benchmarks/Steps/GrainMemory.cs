using System.Diagnostics;
using Governance.Abstractions;
using Governance.Abstractions.Accounts;
using Governance.Abstractions.Facts;
using Governance.Benchmarks.Infrastructure;
using Governance.Benchmarks.Synthetic;
using Governance.Domain.Facts;
using Governance.Domain.Measures;
using Governance.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Core.Internal;
using Orleans.Runtime;
using Orleans.Storage;

namespace Governance.Benchmarks.Steps;

/// <summary>Managed memory of account grains, measured in a silo inside this process.</summary>
public sealed record MemoryResult(
    int Accounts,
    long Facts,
    TimeSpan ApplyTime,
    double EmptyGrainBytes,
    double GrainWithRollupsBytes,
    double AccountGrainBytes,
    double RollupBytesPerAccount,
    LedgerResult Ledger)
{
    /// <summary>Facts per second through <see cref="IAccountGrain.ApplyAsync"/>, roll-up pushes included, no database.</summary>
    public double ApplyFactsPerSecond => Facts / ApplyTime.TotalSeconds;
}

/// <summary>The account's state alone (<see cref="AccountLedger"/>), built outside any grain, and what it holds.</summary>
public sealed record LedgerResult(int Accounts, double Bytes, double MonthsWithData, double DistinctUsersPerMonth, double FeaturesPerMonth);

/// <summary>
/// Step 5: what an active account grain costs. The real <c>AccountGrain</c> and <c>RollupGrain</c>
/// run in a localhost silo in this process, over a fact log with no facts and a grain storage that
/// keeps nothing (the memory storage would hold a second copy of every snapshot in this heap). Each
/// account gets its generated facts month by month through <see cref="IAccountGrain.ApplyAsync"/>,
/// built as FactStore builds them (payload JSON from <see cref="FactPayloads.ToJson"/>). After a full
/// GC the heap growth is divided by the number of accounts: once with the roll-ups' bookkeeping, and
/// once more after the account grains are deactivated, which leaves the roll-ups' share.
/// </summary>
public static class GrainMemory
{
    private const int WarmUpAccounts = 50;
    private const int LedgerAccounts = 1_000;

    public static async Task<MemoryResult> RunAsync(SyntheticTenant tenant, int accounts)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        // Orleans warns about workstation GC and a watchdog that this short-lived silo does not care about.
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Error);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePorts.Next(), FreePorts.Next(), serviceId: "governance-benchmark", clusterId: $"memory-{Guid.NewGuid():N}");
            silo.Services.AddSingleton<IFactLog, NoFacts>();
            silo.Services.AddKeyedSingleton<IGrainStorage>(GrainStorage.Default, (_, _) => new DiscardingGrainStorage());
        });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var grains = host.Services.GetRequiredService<IGrainFactory>();

            // JIT, pools and the first roll-ups exist before anything is measured.
            await ApplyAsync(grains, tenant, "memory-warm-up", Math.Min(WarmUpAccounts, tenant.Accounts));
            var baseline = Heap();

            await Parallel.ForEachAsync(Enumerable.Range(0, accounts), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (a, _) =>
                await grains.GetGrain<IAccountGrain>(GrainKeys.Account("memory-empty", SyntheticTenant.AccountId(a))).GetAsync());
            var withEmpty = Heap();

            var started = Stopwatch.GetTimestamp();
            var facts = await ApplyAsync(grains, tenant, "memory-full", accounts);
            var applyTime = Stopwatch.GetElapsedTime(started);
            var withFull = Heap();

            var expected = await ActivationsAsync(grains) - accounts;
            await Parallel.ForEachAsync(Enumerable.Range(0, accounts), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (a, _) =>
                await grains.GetGrain<IAccountGrain>(GrainKeys.Account("memory-full", SyntheticTenant.AccountId(a))).Cast<IGrainManagementExtension>().DeactivateOnIdle());
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (await ActivationsAsync(grains) > expected && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            var afterDeactivation = Heap();
            var ledger = MeasureLedgers(tenant, Math.Min(LedgerAccounts, accounts));
            return new MemoryResult(
                accounts,
                facts,
                applyTime,
                (withEmpty - baseline) / (double)accounts,
                (withFull - withEmpty) / (double)accounts,
                (withFull - afterDeactivation) / (double)accounts,
                (afterDeactivation - withEmpty) / (double)accounts,
                ledger);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task<long> ApplyAsync(IGrainFactory grains, SyntheticTenant tenant, string tenantId, int accounts)
    {
        long factId = 0;
        long applied = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, accounts), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (a, _) =>
        {
            var grain = grains.GetGrain<IAccountGrain>(GrainKeys.Account(tenantId, SyntheticTenant.AccountId(a)));
            foreach (var month in tenant.AccountFactsByMonth(a))
            {
                var messages = month.Select(f => new FactMessage
                {
                    FactId = Interlocked.Increment(ref factId),
                    Kind = f.Kind.WireName(),
                    AccountId = f.AccountId,
                    OccurredAt = f.OccurredAt,
                    PayloadJson = FactPayloads.ToJson(f.Payload),
                    Late = false,
                    RecordedBy = "benchmark",
                }).ToList();
                await grain.ApplyAsync(messages);
                Interlocked.Add(ref applied, messages.Count);
            }
        });
        return applied;
    }

    /// <summary>Ledgers fed as the grain feeds its own (payload read back from JSON), kept alive while the heap is measured.</summary>
    private static LedgerResult MeasureLedgers(SyntheticTenant tenant, int accounts)
    {
        var before = Heap();
        var ledgers = new List<AccountLedger>(accounts);
        long factId = 0;
        for (var a = 0; a < accounts; a++)
        {
            var ledger = new AccountLedger();
            foreach (var month in tenant.AccountFactsByMonth(a))
            {
                foreach (var fact in month)
                {
                    var payload = FactPayloads.FromJson(fact.Kind, FactPayloads.ToJson(fact.Payload));
                    ledger.Apply(new StoredFact(++factId, "", "", fact.AccountId, fact.OccurredAt, fact.Kind, payload, false, "benchmark", null));
                }
            }

            ledgers.Add(ledger);
        }

        var after = Heap();
        var months = ledgers.Sum(l => l.Months.Count);
        var result = new LedgerResult(
            accounts,
            (after - before) / (double)accounts,
            months / (double)accounts,
            ledgers.Sum(l => l.Months.Values.Sum(m => m.CountMembers(MemberSet.Users))) / (double)Math.Max(1, months),
            ledgers.Sum(l => l.Months.Values.Sum(m => m.CountMembers(MemberSet.Features))) / (double)Math.Max(1, months));
        GC.KeepAlive(ledgers);
        return result;
    }

    private static async Task<int> ActivationsAsync(IGrainFactory grains)
    {
        var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains("AccountGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }

    private static long Heap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>A fact log with no facts: activations have nothing to replay.</summary>
    private sealed class NoFacts : IFactLog
    {
        public Task<IReadOnlyList<FactMessage>> ReadAccountAsync(string tenantId, string accountId, long afterFactId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<FactMessage>>([]);

        public Task<IReadOnlyList<string>> AccountsOfTenantAsync(string tenantId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<string>>([]);

        public Task<IReadOnlyList<string>> AccountsOfPortfolioAsync(string tenantId, string executiveId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<string>>([]);

        public Task<IReadOnlyList<string>> AccountsOfSegmentAsync(string tenantId, string segment, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<string>>([]);
    }

    /// <summary>Grain storage that keeps nothing: snapshots cost no memory in this heap.</summary>
    private sealed class DiscardingGrainStorage : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            grainState.ETag = "discarded";
            grainState.RecordExists = true;
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;
    }
}
