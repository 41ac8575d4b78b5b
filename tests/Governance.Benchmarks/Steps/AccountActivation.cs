using System.Diagnostics;
using Governance.Benchmarks.Infrastructure;
using Governance.Benchmarks.Synthetic;

namespace Governance.Benchmarks.Steps;

/// <summary>Every account of a tenant read once through GraphQL, and what that cost the host.</summary>
public sealed record ActivationResult(
    string Label,
    int Accounts,
    TimeSpan Time,
    long ReplayedFacts,
    long ReplayingAccounts,
    long TenantFacts,
    long ResidentBefore,
    long ResidentAfter,
    TimeSpan HostCpu,
    TimeSpan? Startup,
    long RollupRebuilds,
    int RetriedQueries,
    string? FirstError)
{
    /// <summary>Facts replayed (counted from the host's "replays {Count} facts" lines) per second of activating every account.</summary>
    public double ReplayedFactsPerSecond => ReplayedFacts / Time.TotalSeconds;

    /// <summary>All of the tenant's facts per second of activating every account.</summary>
    public double TenantFactsPerSecond => TenantFacts / Time.TotalSeconds;
}

/// <summary>
/// Steps 5 (host side) and 6: queries <c>account(id)</c> for every account in parallel, which activates
/// each account grain that is not active. On a host that has just started, each activation loads the
/// snapshot and replays the facts past its watermark; the account grains' first pushes activate the
/// roll-ups, which rebuild themselves from every account's contribution.
/// </summary>
public static class AccountActivation
{
    private const string Query = "query($id: ID!) { account(id: $id) { id } }";
    private const int Attempts = 10;

    public static async Task<ActivationResult> RunAsync(
        string label, HostProcess host, TenantClient tenant, int accounts, int concurrency, long tenantFacts, TimeSpan? startup)
    {
        var client = new GovernanceClient(host.Http);
        var token = await client.GetTokenAsync(tenant.ClientId, tenant.ClientSecret);
        var replayedBefore = host.ReplayedFacts;
        var replayingBefore = host.ReplayingAccounts;
        var rebuildsBefore = host.RollupRebuilds;
        var residentBefore = host.ResidentBytes();
        var cpuBefore = host.CpuTime();
        var started = Stopwatch.GetTimestamp();
        var retried = 0;
        string? firstError = null;
        await Parallel.ForEachAsync(Enumerable.Range(0, accounts), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (a, _) =>
        {
            var id = SyntheticTenant.AccountId(a);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var data = await client.GraphQLAsync(token, Query, w => w.WriteString("id", id));
                    if (data.GetProperty("account").GetProperty("id").GetString() != id)
                    {
                        throw new InvalidOperationException($"account({id}) answered another account.");
                    }

                    return;
                }
                catch (Exception e) when (attempt < Attempts && e is InvalidOperationException or HttpRequestException or TaskCanceledException)
                {
                    // A client would retry; the failure is counted and reported with the figure.
                    Interlocked.Increment(ref retried);
                    Interlocked.CompareExchange(ref firstError, GovernanceClient.Truncate(e.Message, 400), null);
                    await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt));
                }
            }
        });
        var time = Stopwatch.GetElapsedTime(started);
        var cpu = host.CpuTime() - cpuBefore;

        // Replay lines are logged as activations finish; the console logger may still be writing them.
        await host.WaitForQuietLogAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        return new ActivationResult(label, accounts, time,
            host.ReplayedFacts - replayedBefore, host.ReplayingAccounts - replayingBefore, tenantFacts,
            residentBefore, host.ResidentBytes(), cpu, startup, host.RollupRebuilds - rebuildsBefore, retried, firstError);
    }
}
