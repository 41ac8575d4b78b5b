namespace Governance.Abstractions.Facts;

/// <summary>
/// A stored fact on its way to the grain it concerns. The payload travels as the JSON stored in the
/// facts table, so grains read exactly what was acknowledged.
/// </summary>
[GenerateSerializer, Immutable, Alias("governance.fact-message")]
public sealed record FactMessage
{
    /// <summary>Id assigned by the store; within a tenant, ids grow in the order batches were committed.</summary>
    [Id(0)] public required long FactId { get; init; }

    /// <summary>Wire name of the kind, e.g. <c>mrr.changed</c>.</summary>
    [Id(1)] public required string Kind { get; init; }

    /// <summary>The tenant's id of the account the fact is about.</summary>
    [Id(2)] public required string AccountId { get; init; }

    /// <summary>When it happened.</summary>
    [Id(3)] public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The kind's payload as stored (JSON).</summary>
    [Id(4)] public required string PayloadJson { get; init; }

    /// <summary>True when it occurred in a month the tenant had closed.</summary>
    [Id(5)] public required bool Late { get; init; }

    /// <summary>Subject of the token that sent it.</summary>
    [Id(6)] public required string RecordedBy { get; init; }

    /// <summary>For a correction: the fact it replaces.</summary>
    [Id(7)] public FactMessage? Supersedes { get; init; }
}
