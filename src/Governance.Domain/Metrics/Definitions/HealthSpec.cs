namespace Governance.Domain.Metrics.Definitions;

/// <summary>
/// A health score (product §4): a weighted composite of formula metrics, scored 0–100 with red,
/// yellow and green bands, per segment, with an explicit rule for missing inputs. Stored as JSON
/// (<see cref="HealthSpecJson"/>); <see cref="DefinitionValidator"/> states the rules.
/// </summary>
public sealed record HealthSpec
{
    /// <summary>One profile per segment, plus exactly one default profile (segment null) for every other account.</summary>
    public required IReadOnlyList<HealthProfile> Profiles { get; init; }
}

/// <summary>How the accounts of one segment (or, with no segment, all others) are scored.</summary>
public sealed record HealthProfile
{
    /// <summary>The account segment this profile scores; null for the default profile.</summary>
    public string? Segment { get; init; }

    public required IReadOnlyList<HealthComponent> Components { get; init; }

    /// <summary>Scores below this are red.</summary>
    public required decimal RedBelow { get; init; }

    /// <summary>Scores from this up are green; between <see cref="RedBelow"/> and this, yellow.</summary>
    public required decimal GreenFrom { get; init; }

    public required MissingInputRule Missing { get; init; }

    /// <summary>
    /// For <see cref="MissingInputRule.Renormalize"/>: the share of the total weight (0–1) whose inputs
    /// must be present, or there is no score. Ignored by the other rules.
    /// </summary>
    public required decimal MinCoverage { get; init; }
}

/// <summary>
/// One input of a health score: a formula metric mapped linearly from <see cref="Worst"/> (0 points)
/// to <see cref="Best"/> (100 points), clamped. Best below worst means lower is better.
/// </summary>
public sealed record HealthComponent
{
    /// <summary>The key of a formula metric of the same tenant.</summary>
    public required string MetricKey { get; init; }

    /// <summary>Relative weight, greater than 0; weights need not add to anything.</summary>
    public required decimal Weight { get; init; }

    public required decimal Worst { get; init; }

    public required decimal Best { get; init; }
}

/// <summary>What a health score does when a component has no value (no data, or a guarded division gave none).</summary>
public enum MissingInputRule
{
    /// <summary>Score over the components present, weights scaled up, if they carry at least <see cref="HealthProfile.MinCoverage"/> of the weight.</summary>
    Renormalize,

    /// <summary>A missing component counts as 0 points.</summary>
    Zero,

    /// <summary>Any missing component means no score.</summary>
    NoScore,
}
