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
