namespace Governance.Domain.Metrics.Formulas;

// API agreed for the formula language; the implementation lands with the formula work (issue 5).

/// <summary>A problem found while compiling a formula, with where it is (0-based offset, 1-based line and column).</summary>
public sealed record FormulaError(string Code, string Message, int Offset, int Line, int Column, int Length);

/// <summary>What compiling a formula gave: a formula, or the errors (never both).</summary>
public sealed record FormulaResult(CompiledFormula? Formula, IReadOnlyList<FormulaError> Errors)
{
    public bool IsValid => Formula is not null;
}

/// <summary>A value a formula produced, or why it has none (e.g. "zero denominator: mrr_start").</summary>
public readonly record struct FormulaValue(decimal? Value, string? NullReason);

/// <summary>Bucketed counts of a distribution; <see cref="UpperBounds"/> are inclusive, the last bucket is open-ended.</summary>
public sealed record Distribution(IReadOnlyList<decimal> UpperBounds, IReadOnlyList<long> Counts);

/// <summary>Where a formula reads measure values; offset 0 is the period asked for, −1 the one before.</summary>
public interface IMeasureValues
{
    decimal? Get(string measure, int periodOffset);

    Distribution? GetDistribution(string measure, int periodOffset);
}

/// <summary>A parsed, type-checked formula, ready to evaluate.</summary>
public sealed class CompiledFormula
{
    /// <summary>The formula as written.</summary>
    public required string Text { get; init; }

    /// <summary>The unit its value has (the unit it was declared with).</summary>
    public required Unit Unit { get; init; }

    /// <summary>Measures it reads, with the period offsets it reads them at (0, and −1 for <c>prev(…)</c>).</summary>
    public required IReadOnlyList<(string Measure, int PeriodOffset)> Reads { get; init; }

    public FormulaValue Evaluate(IMeasureValues values) => throw new NotImplementedException("formula evaluation lands with the formula work");
}

public static class FormulaCompiler
{
    /// <summary>Parses and type-checks <paramref name="text"/>; the value must have <paramref name="declaredUnit"/>.</summary>
    public static FormulaResult Compile(string text, Unit declaredUnit, IMeasureCatalog measures) =>
        throw new NotImplementedException("the formula compiler lands with the formula work");
}
