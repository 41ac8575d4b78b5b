using Governance.Domain.Metrics.Definitions;

namespace Governance.Storage.Metrics;

/// <summary>
/// Which definitions to list. Filters apply to versions; without <see cref="AllVersions"/> each key
/// then shows its latest matching version (so Status = Approved lists the newest approved version of
/// each key, even where a newer draft exists).
/// </summary>
public sealed record DefinitionFilter
{
    public string? Key { get; init; }

    public DefinitionStatus? Status { get; init; }

    public FocusArea? FocusArea { get; init; }

    public bool AllVersions { get; init; }
}
