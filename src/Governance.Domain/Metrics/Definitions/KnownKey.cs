namespace Governance.Domain.Metrics.Definitions;

/// <summary>
/// What a tenant already has under a key, as far as checking a proposal needs: its kind (every
/// version of a key has the same kind) and whether any version is still in force (not retired).
/// </summary>
public sealed record KnownKey(string Key, DefinitionKind Kind, bool AllRetired);
