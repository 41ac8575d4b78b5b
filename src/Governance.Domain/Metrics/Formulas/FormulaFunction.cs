namespace Governance.Domain.Metrics.Formulas;

/// <summary>The functions formulas may call.</summary>
public enum FormulaFunction
{
    Min,
    Max,
    Clamp,
    If,
    Abs,
    Coalesce,
    /// <summary>A measure's value in the previous period of the same grain.</summary>
    Prev,

    /// <summary>The median of a distribution measure, estimated from its buckets.</summary>
    Median,
}

/// <summary>The functions formulas may call: name, how many arguments, and how to show a call in a message.</summary>
internal sealed record FunctionInfo(FormulaFunction Function, string Name, int MinArguments, int MaxArguments, string Usage)
{
    public static readonly IReadOnlyList<FunctionInfo> All =
    [
        new(FormulaFunction.Abs, "abs", 1, 1, "abs(x)"),
        new(FormulaFunction.Clamp, "clamp", 3, 3, "clamp(x, lo, hi)"),
        new(FormulaFunction.Coalesce, "coalesce", 2, int.MaxValue, "coalesce(a, b, …)"),
        new(FormulaFunction.If, "if", 3, 3, "if(condition, then, otherwise)"),
        new(FormulaFunction.Max, "max", 2, int.MaxValue, "max(a, b, …)"),
        new(FormulaFunction.Median, "median", 1, 1, "median(distribution)"),
        new(FormulaFunction.Min, "min", 2, int.MaxValue, "min(a, b, …)"),
        new(FormulaFunction.Prev, "prev", 1, 1, "prev(measure)"),
    ];

    private static readonly Dictionary<string, FunctionInfo> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    private static readonly Dictionary<FormulaFunction, FunctionInfo> ByFunction = All.ToDictionary(f => f.Function);

    public static FunctionInfo? Find(string name) => ByName.GetValueOrDefault(name);

    public static FunctionInfo Of(FormulaFunction function) => ByFunction[function];

    public string Arguments => MinArguments == MaxArguments
        ? $"{MinArguments} argument{(MinArguments == 1 ? "" : "s")}"
        : $"at least {MinArguments} arguments";
}
