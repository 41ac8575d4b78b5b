namespace Governance.Abstractions.Accounts;

/// <summary>What a caller asks for when registering an account.</summary>
[GenerateSerializer, Immutable, Alias("governance.register-account-command")]
public sealed record RegisterAccountCommand
{
    /// <summary>Display name of the account (the customer company).</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>Segment the tenant files the account under (e.g. enterprise, smb), if any.</summary>
    [Id(1)] public string? Segment { get; init; }

    /// <summary>Who registered it: the subject of the caller's token.</summary>
    [Id(2)] public required string RegisteredBy { get; init; }
}

/// <summary>An account as it stands.</summary>
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

    /// <summary>When it was registered.</summary>
    [Id(4)] public required DateTimeOffset RegisteredAt { get; init; }

    /// <summary>Subject of the token that registered it.</summary>
    [Id(5)] public required string RegisteredBy { get; init; }
}

/// <summary>How a registration ended.</summary>
[GenerateSerializer, Alias("governance.register-account-outcome")]
public enum RegisterAccountOutcome
{
    /// <summary>The account did not exist and now does.</summary>
    Created = 0,

    /// <summary>The account existed with the same details; nothing changed.</summary>
    AlreadyRegistered = 1,

    /// <summary>The account existed with other details; nothing changed.</summary>
    Conflict = 2,
}

/// <summary>The outcome of a registration and the account as it now stands.</summary>
[GenerateSerializer, Immutable, Alias("governance.register-account-result")]
public sealed record RegisterAccountResult
{
    /// <summary>What happened.</summary>
    [Id(0)] public required RegisterAccountOutcome Outcome { get; init; }

    /// <summary>The stored account (for a conflict: the one already there).</summary>
    [Id(1)] public required AccountSnapshot Account { get; init; }
}
