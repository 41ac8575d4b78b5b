namespace Governance.Domain.Metrics.Definitions;

/// <summary>
/// Where a version is in its life. Never stored: derived from the version's events (retired if it
/// has a retirement, else approved if it has an approval, else draft), so the rows stay append-only.
/// </summary>
public enum DefinitionStatus
{
    Draft,
    Approved,
    Retired,
}
