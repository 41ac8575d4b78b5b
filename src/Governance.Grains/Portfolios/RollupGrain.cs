using Governance.Abstractions;
using Governance.Abstractions.Accounts;
using Governance.Abstractions.Portfolios;
using Governance.Domain.Facts;
using Governance.Domain.Measures;
using Microsoft.Extensions.Logging;

namespace Governance.Grains.Portfolios;

/// <summary>
/// Sums of an executive's portfolio or of a whole tenant, kept current by the account grains' deltas.
/// Not persisted: it is rebuilt from its accounts' contributions when it activates, and whenever a
/// delta shows it has missed or repeated something.
/// </summary>
public sealed class RollupGrain(IFactLog facts, ILogger<RollupGrain> logger) : Grain, IRollupGrain
{
    /// <summary>How many accounts a rebuild asks at once.</summary>
    public const int RebuildParallelism = 32;

    private readonly Rollup _rollup = new();
    private int _rebuilds;

    public override Task OnActivateAsync(CancellationToken cancellationToken) => RebuildAsync(cancellationToken);

    public async Task PushAsync(ContributionDelta delta)
    {
        var outcome = _rollup.Apply(delta.AccountId, delta.FromVersion, delta.ToVersion, delta.Months.Select(m => (m.Month, m.Values)));
        if (outcome == DeltaOutcome.Mismatch)
        {
            logger.LogInformation("Roll-up {Key} holds account {AccountId} at {Held}, got a delta from {From}: rebuilding",
                this.GetPrimaryKeyString(), delta.AccountId, _rollup.Versions.GetValueOrDefault(delta.AccountId), delta.FromVersion);
            await RebuildAsync(CancellationToken.None);
        }
    }

    public Task<IReadOnlyList<MonthMeasures>> GetMeasuresAsync(int fromMonth, int toMonth)
    {
        IReadOnlyList<MonthMeasures> months = Enumerable.Range(fromMonth, Math.Max(0, toMonth - fromMonth + 1))
            .Select(month => new MonthMeasures
            {
                Month = month,
                Values = _rollup.Sums.Months.TryGetValue(month, out var values) ? (long[])values.Clone() : new long[Measures.Count],
            })
            .ToList();
        return Task.FromResult(months);
    }

    public Task<IReadOnlyList<PeriodSnapshot>> GetPeriodsAsync(IReadOnlyList<int> periodKeys)
    {
        IReadOnlyList<PeriodSnapshot> periods = periodKeys.Select(key =>
        {
            var read = _rollup.Sums.Read(Period.FromKey(key));
            return new PeriodSnapshot
            {
                Period = key,
                Values = read.Values,
                MrrStart = read.MrrStart,
                MrrEnd = read.MrrEnd,
                CustomersStart = read.CustomersStart,
                CustomersEnd = read.CustomersEnd,
            };
        }).ToList();
        return Task.FromResult(periods);
    }

    public Task<RollupStatus> GetStatusAsync() =>
        Task.FromResult(new RollupStatus { Accounts = _rollup.Versions.Count, Rebuilds = _rebuilds });

    private async Task RebuildAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var (tenantId, localId) = GrainKeys.Parse(key);
        var accounts = localId == GrainKeys.TenantRollupLocalId
            ? await facts.AccountsOfTenantAsync(tenantId, cancellationToken)
            : localId.StartsWith(GrainKeys.SegmentPrefix, StringComparison.Ordinal)
                ? await facts.AccountsOfSegmentAsync(tenantId, localId[GrainKeys.SegmentPrefix.Length..], cancellationToken)
                : await facts.AccountsOfPortfolioAsync(tenantId, localId[GrainKeys.PortfolioPrefix.Length..], cancellationToken);
        // A few accounts at a time: each may have to activate and replay from the database, and
        // asking ten thousand at once would empty the connection pools.
        var contributions = new List<(string, long, IEnumerable<(int, long[])>)>(accounts.Count);
        foreach (var chunk in accounts.Chunk(RebuildParallelism))
        {
            contributions.AddRange(await Task.WhenAll(chunk.Select(async accountId =>
            {
                var contribution = await GrainFactory.GetGrain<IAccountGrain>(GrainKeys.Account(tenantId, accountId)).GetContributionAsync(key);
                return (accountId, contribution.Version, contribution.Months.Select(m => (m.Month, m.Values)));
            })));
        }

        _rollup.Reset(contributions);
        _rebuilds++;
    }
}
