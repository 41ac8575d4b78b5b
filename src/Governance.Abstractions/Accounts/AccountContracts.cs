namespace Governance.Abstractions.Accounts;

/// <summary>An account as its facts describe it.</summary>
[GenerateSerializer, Immutable, Alias("governance.account-snapshot")]
public sealed record AccountSnapshot
{
    /// <summary>Owning tenant.</summary>
    [Id(0)] public required string TenantId { get; init; }

    /// <summary>The tenant's own id for the account.</summary>
    [Id(1)] public required string AccountId { get; init; }

    /// <summary>Display name.</summary>
    [Id(2)] public required string Name { get; init; }

    /// <summary>Segment, if any.</summary>
    [Id(3)] public string? Segment { get; init; }

    /// <summary>When the account was created (the account.created fact's occurred-at).</summary>
    [Id(4)] public required DateTimeOffset RegisteredAt { get; init; }

    /// <summary>Subject of the token that sent the account.created fact.</summary>
    [Id(5)] public required string RegisteredBy { get; init; }

    /// <summary>When the account was closed, if it was.</summary>
    [Id(6)] public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The executive whose portfolio holds the account this month, if any.</summary>
    [Id(7)] public string? OwnerExecutiveId { get; init; }
}

/// <summary>
/// A scope's measures for one period (month, quarter or year), with its MRR and customer levels at the
/// period's start and end, which are not stored measures but running sums.
/// </summary>
[GenerateSerializer, Immutable, Alias("governance.period-snapshot")]
public sealed record PeriodSnapshot
{
    /// <summary>The period key: a month key, or a quarter or year key (Governance.Domain.Measures.Period).</summary>
    [Id(0)] public required int Period { get; init; }

    /// <summary>Values indexed by measure; money in ten-thousandths of the currency unit.</summary>
    [Id(1)] public required long[] Values { get; init; }

    /// <summary>MRR at the start of the period, ten-thousandths.</summary>
    [Id(2)] public required long MrrStart { get; init; }

    /// <summary>MRR at the end of the period, ten-thousandths.</summary>
    [Id(3)] public required long MrrEnd { get; init; }

    /// <summary>Paying customers at the start of the period.</summary>
    [Id(4)] public required long CustomersStart { get; init; }

    /// <summary>Paying customers at the end of the period.</summary>
    [Id(5)] public required long CustomersEnd { get; init; }
}
