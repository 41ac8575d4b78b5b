namespace Governance.Domain.Metrics.Definitions;

/// <summary>Who takes a lifecycle step: the token's subject and its roles within the tenant.</summary>
public sealed record DefinitionActor(string Subject, IReadOnlyCollection<string> Roles)
{
    /// <summary>The author and approver of the built-in catalog's versions.</summary>
    public const string SystemSubject = "system";

    public bool HasAnyRole(IEnumerable<string> roles) => roles.Any(Roles.Contains);
}
