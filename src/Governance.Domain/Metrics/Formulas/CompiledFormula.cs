namespace Governance.Domain.Metrics.Formulas;

/// <summary>A parsed, type-checked formula, ready to evaluate.</summary>
public sealed class CompiledFormula
{
    private FormulaExpression? _expression;

    /// <summary>The formula as written.</summary>
    public required string Text { get; init; }

    /// <summary>The unit its value has (the unit it was declared with).</summary>
    public required Unit Unit { get; init; }

    /// <summary>Measures it reads, with the period offsets it reads them at (0, and −1 for <c>prev(…)</c>).</summary>
    public required IReadOnlyList<(string Measure, int PeriodOffset)> Reads { get; init; }

    /// <summary>
    /// The parsed formula. <see cref="FormulaCompiler"/> sets it; a formula built by hand (a test double)
    /// is parsed from <see cref="Text"/> on first use, so its spans always match the text.
    /// </summary>
    /// <exception cref="FormatException">A hand-built formula's text is not a formula.</exception>
    public FormulaExpression Expression
    {
        get => _expression ??= Parse(Text);
        internal init => _expression = value;
    }

    /// <summary>
    /// The formula's value from <paramref name="values"/>: null, with the reason, when a value it needs
    /// is unknown, a division has a zero denominator and falls back to <c>null</c>, or a result overflows.
    /// </summary>
    public FormulaValue Evaluate(IMeasureValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new Evaluator(new SourceText(Text), values).Evaluate(Expression);
    }

    private static FormulaExpression Parse(string text)
    {
        try
        {
            return Parser.Parse(new SourceText(text));
        }
        catch (FormulaSyntaxException e)
        {
            throw new FormatException($"not a formula: {e.Error.Message} (line {e.Error.Line}, column {e.Error.Column})", e);
        }
    }
}
