namespace Governance.Domain.Metrics.Formulas;

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
