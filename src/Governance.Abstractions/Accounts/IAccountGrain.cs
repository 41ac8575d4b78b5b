using Governance.Abstractions.Facts;
using Orleans.Concurrency;

namespace Governance.Abstractions.Accounts;

/// <summary>
/// One customer account of one tenant: the live sum of its facts. Key: <see cref="GrainKeys.Account"/>,
/// i.e. <c>{tenantId}/{accountId}</c>, so two tenants' accounts with the same id are different grains.
/// Its state is derived data: snapshotted now and then with the id of the last fact applied (the
/// watermark), and completed from the facts table past that watermark whenever it activates.
/// </summary>
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Returns the account, or <see langword="null"/> when no account.created fact was stored for it. Never writes.</summary>
    Task<AccountSnapshot?> GetAsync();

    /// <summary>
    /// Applies stored facts of this account, in id order. Facts at or below the watermark were applied
    /// already and are skipped, so delivering a fact twice never counts it twice.
    /// </summary>
    Task ApplyAsync(IReadOnlyList<FactMessage> facts);

    /// <summary>The account's measures for the months from <paramref name="fromMonth"/> to <paramref name="toMonth"/> (inclusive, yyyy × 12 + month − 1).</summary>
    Task<IReadOnlyList<MonthMeasures>> GetMeasuresAsync(int fromMonth, int toMonth);

    /// <summary>The measures and levels of each period asked for (period keys: months, quarters, years), in the order asked.</summary>
    Task<IReadOnlyList<PeriodSnapshot>> GetPeriodsAsync(IReadOnlyList<int> periodKeys);

    /// <summary>The executive whose portfolio holds the account in a month (yyyy × 12 + month − 1), if any.</summary>
    Task<string?> GetOwnerAsync(int month);

    /// <summary>The id of the last fact applied.</summary>
    Task<long> GetWatermarkAsync();

    /// <summary>
    /// The account's whole contribution to a roll-up (<see cref="Portfolios.IRollupGrain"/> key), which
    /// then holds the account at the returned version. Interleaves, so a roll-up rebuilding itself can
    /// ask an account that is waiting on that very roll-up.
    /// </summary>
    [AlwaysInterleave]
    Task<Portfolios.Contribution> GetContributionAsync(string rollupKey);
}

/// <summary>One month's measures of a scope, in the order of the measure catalog (docs/metrics.md).</summary>
[GenerateSerializer, Immutable, Alias("governance.month-measures")]
public sealed record MonthMeasures
{
    /// <summary>The month as yyyy × 12 + month − 1.</summary>
    [Id(0)] public required int Month { get; init; }

    /// <summary>Values indexed by measure; money in ten-thousandths of the currency unit.</summary>
    [Id(1)] public required long[] Values { get; init; }
}
