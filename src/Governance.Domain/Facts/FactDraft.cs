namespace Governance.Domain.Facts;

/// <summary>A fact as a caller sends it, before it is stored.</summary>
public sealed record FactDraft(
    string Source,
    string ExternalId,
    string AccountId,
    DateTimeOffset OccurredAt,
    string? Supersedes,
    FactKind Kind,
    FactPayload Payload);

/// <summary>
/// A stored fact: the draft plus what the store assigned. For a correction, <see cref="Supersedes"/> is
/// the fact it replaces, whose effect is taken back before this one's is applied.
/// </summary>
public sealed record StoredFact(
    long FactId,
    string Source,
    string ExternalId,
    string AccountId,
    DateTimeOffset OccurredAt,
    FactKind Kind,
    FactPayload Payload,
    bool Late,
    string RecordedBy,
    StoredFact? Supersedes);
