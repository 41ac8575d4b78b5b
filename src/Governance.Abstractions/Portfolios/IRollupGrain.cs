using Governance.Abstractions.Accounts;

namespace Governance.Abstractions.Portfolios;

/// <summary>
/// The summed measures of a set of accounts: an executive's portfolio (<see cref="GrainKeys.Portfolio"/>)
/// a segment (<see cref="GrainKeys.Segment"/>) or a whole tenant (<see cref="GrainKeys.TenantRollup"/>). Account grains push their changes as
/// versioned deltas, so a read never fans out to the accounts. A delta that does not continue the
/// version this grain holds for its account (a lost or repeated push, an account that lost its
/// unsnapshotted state) makes the grain rebuild from its accounts' contributions.
/// </summary>
public interface IRollupGrain : IGrainWithStringKey
{
    /// <summary>Applies one account's change.</summary>
    Task PushAsync(ContributionDelta delta);

    /// <summary>The summed measures of the months from <paramref name="fromMonth"/> to <paramref name="toMonth"/>, inclusive.</summary>
    Task<IReadOnlyList<MonthMeasures>> GetMeasuresAsync(int fromMonth, int toMonth);

    /// <summary>The measures and levels of each period asked for (period keys: months, quarters, years), in the order asked.</summary>
    Task<IReadOnlyList<PeriodSnapshot>> GetPeriodsAsync(IReadOnlyList<int> periodKeys);

    /// <summary>How many accounts contribute and how often the grain rebuilt itself.</summary>
    Task<RollupStatus> GetStatusAsync();
}

/// <summary>A change of one account's contribution to one roll-up, from one version (fact id) to the next.</summary>
[GenerateSerializer, Immutable, Alias("governance.contribution-delta")]
public sealed record ContributionDelta
{
    /// <summary>The account.</summary>
    [Id(0)] public required string AccountId { get; init; }

    /// <summary>The version the roll-up must hold for the account for this delta to apply (0: none yet).</summary>
    [Id(1)] public required long FromVersion { get; init; }

    /// <summary>The account's version after the change: the id of the last fact applied.</summary>
    [Id(2)] public required long ToVersion { get; init; }

    /// <summary>Per month, what to add (negative values subtract).</summary>
    [Id(3)] public required IReadOnlyList<MonthMeasures> Months { get; init; }
}

/// <summary>One account's whole contribution to one roll-up.</summary>
[GenerateSerializer, Immutable, Alias("governance.contribution")]
public sealed record Contribution
{
    /// <summary>The account's version (id of the last fact applied).</summary>
    [Id(0)] public required long Version { get; init; }

    /// <summary>The months the account contributes to this roll-up, with their measures.</summary>
    [Id(1)] public required IReadOnlyList<MonthMeasures> Months { get; init; }
}

/// <summary>What a roll-up holds.</summary>
[GenerateSerializer, Immutable, Alias("governance.rollup-status")]
public sealed record RollupStatus
{
    /// <summary>Accounts with a contribution.</summary>
    [Id(0)] public required int Accounts { get; init; }

    /// <summary>Rebuilds since activation (the first one is the activation itself).</summary>
    [Id(1)] public required int Rebuilds { get; init; }
}
