namespace Governance.Domain.Metrics.Definitions;

/// <summary>Why a lifecycle step was refused; the API turns each kind into its error code.</summary>
public enum RefusalKind
{
    /// <summary>The input breaks a rule; <see cref="DefinitionRefusal.Problems"/> names the fields.</summary>
    Invalid,

    /// <summary>No such version in the caller's tenant.</summary>
    NotFound,

    /// <summary>The caller may not take this step (missing role, or separation of duties).</summary>
    Forbidden,

    /// <summary>The version is not in a state that allows the step (approved twice, retired twice …).</summary>
    Conflict,
}

/// <summary>A refused step: nothing was written.</summary>
public sealed record DefinitionRefusal(RefusalKind Kind, string Message)
{
    public IReadOnlyList<DefinitionProblem> Problems { get; init; } = [];

    public static DefinitionRefusal Invalid(IReadOnlyList<DefinitionProblem> problems) =>
        new(RefusalKind.Invalid, $"The definition is invalid: {problems.Count} problem(s).") { Problems = problems };
}

/// <summary>What a lifecycle step gave: the version as it now is, or why the step was refused (never both).</summary>
public sealed record DefinitionOutcome(MetricDefinition? Definition, DefinitionRefusal? Refusal)
{
    public static DefinitionOutcome Done(MetricDefinition definition) => new(definition, null);

    public static DefinitionOutcome Refused(DefinitionRefusal refusal) => new(null, refusal);
}
