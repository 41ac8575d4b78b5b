using System.Text.RegularExpressions;
using Governance.Domain.Metrics.Formulas;

namespace Governance.Domain.Metrics.Definitions;

/// <summary>
/// The rules a proposed definition must meet. <see cref="Validate"/> needs nothing but the draft
/// (and is the one place formulas are compiled for a definition); <see cref="CheckReferences"/>
/// needs what the tenant already has, so the store runs it inside the proposal's transaction.
/// Every problem is reported, not only the first, each naming its field.
/// </summary>
public static partial class DefinitionValidator
{
    /// <summary>A key as PostgreSQL checks it: snake_case, 2 to 63 characters, starting with a letter.</summary>
    public const string KeyPattern = "^[a-z][a-z0-9_]{1,62}$";

    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 2_000;
    public const int MaxReasonLength = 500;
    public const int MaxDataOwnerLength = 200;
    public const int MaxFormulaLength = 4_000;
    public const int MaxProfiles = 50;
    public const int MaxSegmentLength = 100;
    public const int MaxComponents = 20;

    /// <summary>No KPI history we hold goes further back; an earlier date is a typo.</summary>
    public static readonly DateOnly EarliestEffectiveFrom = new(2000, 1, 1);

    // \z, not $: .NET's $ also matches before a final newline, PostgreSQL's does not.
    [GeneratedRegex(@"^[a-z][a-z0-9_]{1,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyRegex();

    public static bool IsValidKey(string? key) => key is not null && KeyRegex().IsMatch(key);

    /// <summary>The one call of the formula compiler for definitions: the measure catalog is always <see cref="MetricMeasures.Catalog"/>.</summary>
    public static FormulaResult Compile(string formula, Unit unit) => FormulaCompiler.Compile(formula, unit, MetricMeasures.Catalog);

    public static IReadOnlyList<DefinitionProblem> Validate(MetricDraft draft)
    {
        var problems = new List<DefinitionProblem>();
        if (!IsValidKey(draft.Key))
        {
            problems.Add(new("key", "must be 2 to 63 characters of lowercase letters, digits and '_', starting with a letter"));
        }

        Text(problems, "name", draft.Name, 1, MaxNameLength);
        Text(problems, "description", draft.Description, 0, MaxDescriptionLength);
        Text(problems, "dataOwner", draft.DataOwner, 1, MaxDataOwnerLength);
        Text(problems, "reason", draft.Reason, 1, MaxReasonLength);
        Defined(problems, "unit", draft.Unit);
        Defined(problems, "direction", draft.Direction);
        Defined(problems, "focusArea", draft.FocusArea);
        Defined(problems, "journeyStage", draft.JourneyStage);
        Defined(problems, "indicator", draft.Indicator);
        if (draft.EffectiveFrom < EarliestEffectiveFrom)
        {
            problems.Add(new("effectiveFrom", $"must not be before {EarliestEffectiveFrom:yyyy-MM-dd}"));
        }

        switch (draft.Kind)
        {
            case DefinitionKind.Formula:
                ValidateFormula(problems, draft);
                break;
            case DefinitionKind.HealthScore:
                ValidateHealthScore(problems, draft);
                break;
            default:
                problems.Add(new("kind", "is not a known kind"));
                break;
        }

        return problems;
    }

    /// <summary>
    /// The checks against what the tenant has: a key keeps its kind across versions (so a health
    /// score never ends up among its own inputs), and a health score's components are formula
    /// metrics of the tenant with a version that is not retired.
    /// </summary>
    public static IReadOnlyList<DefinitionProblem> CheckReferences(MetricDraft draft, IReadOnlyDictionary<string, KnownKey> known)
    {
        var problems = new List<DefinitionProblem>();
        if (known.TryGetValue(draft.Key, out var existing) && existing.Kind != draft.Kind)
        {
            problems.Add(new("kind", $"'{draft.Key}' is a {existing.Kind} metric; a new version keeps the kind of the key (use a new key instead)"));
        }

        if (draft is { Kind: DefinitionKind.HealthScore, Health: { } health })
        {
            for (var p = 0; p < health.Profiles.Count; p++)
            {
                var components = health.Profiles[p].Components;
                for (var c = 0; c < components.Count; c++)
                {
                    var key = components[c].MetricKey;
                    var field = $"health.profiles[{p}].components[{c}].metricKey";
                    if (!known.TryGetValue(key, out var component) || component.AllRetired)
                    {
                        problems.Add(new(field, $"no metric '{key}' in force in this tenant"));
                    }
                    else if (component.Kind != DefinitionKind.Formula)
                    {
                        problems.Add(new(field, $"'{key}' is a {component.Kind} metric; components must be formula metrics"));
                    }
                }
            }
        }

        return problems;
    }

    /// <summary>Every metric key a draft refers to, its own included: what <see cref="CheckReferences"/> needs to know.</summary>
    public static IReadOnlySet<string> ReferencedKeys(MetricDraft draft)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal) { draft.Key };
        foreach (var component in draft.Health?.Profiles.SelectMany(p => p.Components) ?? [])
        {
            keys.Add(component.MetricKey);
        }

        return keys;
    }

    private static void ValidateFormula(List<DefinitionProblem> problems, MetricDraft draft)
    {
        if (draft.Health is not null)
        {
            problems.Add(new("health", "must not be set for a formula metric"));
        }

        if (string.IsNullOrWhiteSpace(draft.Formula))
        {
            problems.Add(new("formula", "is required for a formula metric"));
            return;
        }

        if (draft.Formula.Length > MaxFormulaLength)
        {
            problems.Add(new("formula", $"must be at most {MaxFormulaLength} characters long"));
            return;
        }

        if (Enum.IsDefined(draft.Unit))
        {
            problems.AddRange(Compile(draft.Formula, draft.Unit).Errors.Select(DefinitionProblem.FromFormula));
        }
    }

    private static void ValidateHealthScore(List<DefinitionProblem> problems, MetricDraft draft)
    {
        if (draft.Formula is not null)
        {
            problems.Add(new("formula", "must not be set for a health score; its components say how it is computed"));
        }

        if (draft.Unit != Unit.Score)
        {
            problems.Add(new("unit", "must be Score for a health score (0 to 100)"));
        }

        if (draft.Health is null)
        {
            problems.Add(new("health", "is required for a health score"));
            return;
        }

        var profiles = draft.Health.Profiles ?? [];
        if (profiles.Count is 0 or > MaxProfiles)
        {
            problems.Add(new("health.profiles", $"must hold 1 to {MaxProfiles} profiles"));
            return;
        }

        var defaults = profiles.Count(p => p.Segment is null);
        if (defaults != 1)
        {
            problems.Add(new("health.profiles", $"must hold exactly one default profile (segment null), not {defaults}"));
        }

        var segments = new HashSet<string>(StringComparer.Ordinal);
        for (var p = 0; p < profiles.Count; p++)
        {
            ValidateProfile(problems, $"health.profiles[{p}]", profiles[p], segments);
        }
    }

    private static void ValidateProfile(List<DefinitionProblem> problems, string path, HealthProfile profile, HashSet<string> segments)
    {
        if (profile.Segment is { } segment)
        {
            if (segment.Trim().Length is 0 or > MaxSegmentLength)
            {
                problems.Add(new($"{path}.segment", $"must be 1 to {MaxSegmentLength} characters long, or null for the default profile"));
            }
            else if (!segments.Add(segment))
            {
                problems.Add(new($"{path}.segment", $"segment '{segment}' has another profile already"));
            }
        }

        if (profile.RedBelow is < 0 or > 100)
        {
            problems.Add(new($"{path}.redBelow", "must be 0 to 100"));
        }

        if (profile.GreenFrom < profile.RedBelow || profile.GreenFrom > 100)
        {
            problems.Add(new($"{path}.greenFrom", "must be from redBelow to 100"));
        }

        Defined(problems, $"{path}.missing", profile.Missing);
        if (profile.MinCoverage is < 0 or > 1)
        {
            problems.Add(new($"{path}.minCoverage", "must be 0 to 1 (a share of the total weight)"));
        }

        var components = profile.Components ?? [];
        if (components.Count is 0 or > MaxComponents)
        {
            problems.Add(new($"{path}.components", $"must hold 1 to {MaxComponents} components"));
            return;
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var c = 0; c < components.Count; c++)
        {
            var component = components[c];
            var at = $"{path}.components[{c}]";
            if (!IsValidKey(component.MetricKey))
            {
                problems.Add(new($"{at}.metricKey", "is not a metric key"));
            }
            else if (!keys.Add(component.MetricKey))
            {
                problems.Add(new($"{at}.metricKey", $"'{component.MetricKey}' is a component of this profile already"));
            }

            if (component.Weight <= 0)
            {
                problems.Add(new($"{at}.weight", "must be greater than 0"));
            }

            if (component.Best == component.Worst)
            {
                problems.Add(new($"{at}.best", "must differ from worst (best below worst means lower is better)"));
            }
        }
    }

    private static void Text(List<DefinitionProblem> problems, string field, string? value, int min, int max)
    {
        var length = value?.Trim().Length ?? 0;
        if (length < min || (value?.Length ?? 0) > max)
        {
            problems.Add(new(field, min == 0 ? $"must be at most {max} characters long" : $"must be {min} to {max} characters long"));
        }
    }

    private static void Defined<TEnum>(List<DefinitionProblem> problems, string field, TEnum value) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            problems.Add(new(field, $"is not a known {typeof(TEnum).Name}"));
        }
    }
}
