using Governance.Domain.Metrics.Definitions;

namespace Governance.Domain.Metrics.Values;

public enum HealthBand
{
    Red,
    Yellow,
    Green,
}

/// <summary>One component's value (from the metric version in force) and the points it earned.</summary>
public sealed record ComponentScore(string MetricKey, int? Version, decimal Weight, decimal? Value, decimal? Points, string? MissingReason);

/// <summary>A health score, or why there is none, with how it was made.</summary>
public sealed record HealthResult(decimal? Score, HealthBand? Band, string? Segment, decimal Coverage, IReadOnlyList<ComponentScore> Components, string? NullReason);

/// <summary>A component's input: the metric value of the scope and period, or why it has none.</summary>
public sealed record ComponentInput(HealthComponent Component, int? Version, decimal? Value, string? NullReason);

/// <summary>
/// Scores a health profile (docs/metrics.md, "Health score"): each component maps its metric linearly
/// from worst (0 points) to best (100), clamped; the score is the weighted mean of the points, rounded
/// to 2 decimals half away from zero; missing inputs follow the profile's rule.
/// </summary>
public static class HealthScorer
{
    /// <summary>The profile of the segment, or the default profile.</summary>
    public static HealthProfile ProfileFor(HealthSpec spec, string? segment) =>
        spec.Profiles.FirstOrDefault(p => segment is not null && p.Segment == segment) ?? spec.Profiles.First(p => p.Segment is null);

    public static HealthResult Score(HealthProfile profile, IReadOnlyList<ComponentInput> inputs)
    {
        var components = inputs.Select(i => new ComponentScore(i.Component.MetricKey, i.Version, i.Component.Weight, i.Value,
            i.Value is { } value ? Points(i.Component, value) : null, i.Value is null ? i.NullReason ?? "no value" : null)).ToList();
        var totalWeight = components.Sum(c => c.Weight);
        var presentWeight = components.Where(c => c.Points is not null).Sum(c => c.Weight);
        var coverage = totalWeight == 0 ? 0 : presentWeight / totalWeight;
        var missing = components.Where(c => c.Points is null).ToList();

        decimal? score = null;
        string? reason = null;
        switch (profile.Missing)
        {
            case MissingInputRule.NoScore when missing.Count > 0:
                reason = $"missing input: {string.Join(", ", missing.Select(m => $"{m.MetricKey} ({m.MissingReason})"))}";
                break;
            case MissingInputRule.Renormalize when presentWeight == 0 || coverage < profile.MinCoverage:
                reason = $"inputs present carry {coverage:P0} of the weight; the profile needs {profile.MinCoverage:P0}";
                break;
            case MissingInputRule.Renormalize:
                score = components.Where(c => c.Points is not null).Sum(c => c.Weight * c.Points!.Value) / presentWeight;
                break;
            default:
                score = components.Sum(c => c.Weight * (c.Points ?? 0)) / totalWeight;
                break;
        }

        score = score is { } s ? Math.Round(s, 2, MidpointRounding.AwayFromZero) : null;
        return new HealthResult(score, score is { } final ? BandOf(profile, final) : null, profile.Segment, coverage, components, reason);
    }

    public static HealthBand BandOf(HealthProfile profile, decimal score) =>
        score < profile.RedBelow ? HealthBand.Red : score >= profile.GreenFrom ? HealthBand.Green : HealthBand.Yellow;

    private static decimal Points(HealthComponent component, decimal value) =>
        Math.Clamp((value - component.Worst) / (component.Best - component.Worst), 0m, 1m) * 100m;
}
