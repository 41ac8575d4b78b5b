namespace Governance.Domain.Metrics.Formulas;

/// <summary>Where a piece of a formula is: 0-based offset of its first character and its length.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;

    public static TextSpan Between(TextSpan first, TextSpan last) => new(first.Start, last.End - first.Start);
}

/// <summary>
/// A node of a parsed formula. <see cref="Span"/> covers the node's whole text, including any
/// parentheses written around it, so messages can quote it as written.
/// </summary>
public abstract record FormulaExpression(TextSpan Span);

/// <summary>A number as written: no unit of its own (it takes the unit of what it is combined with).</summary>
public sealed record NumberExpression(TextSpan Span, decimal Value) : FormulaExpression(Span);

/// <summary>A measure read in the period being computed.</summary>
public sealed record MeasureExpression(TextSpan Span, string Name) : FormulaExpression(Span);

/// <summary><c>null</c>: allowed only as the fallback of a division (<c>a / b else null</c>).</summary>
public sealed record NullExpression(TextSpan Span) : FormulaExpression(Span);

public enum UnaryOperator
{
    Negate,
    Not,
}

public sealed record UnaryExpression(TextSpan Span, UnaryOperator Operator, FormulaExpression Operand) : FormulaExpression(Span);

/// <summary>The binary operators except <c>/</c>, which has its own node for its <c>else</c>.</summary>
public enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
    And,
    Or,
}

/// <summary>A binary operation; <see cref="OperatorSpan"/> is where errors about the operation point.</summary>
public sealed record BinaryExpression(
    TextSpan Span, BinaryOperator Operator, TextSpan OperatorSpan, FormulaExpression Left, FormulaExpression Right)
    : FormulaExpression(Span);

/// <summary>
/// <c>Numerator / Denominator else Fallback</c>. <see cref="Fallback"/> is what a zero denominator gives: a
/// <see cref="NullExpression"/> or a value; it is absent only where the denominator is a non-zero number.
/// </summary>
public sealed record DivideExpression(
    TextSpan Span, TextSpan OperatorSpan, FormulaExpression Numerator, FormulaExpression Denominator, FormulaExpression? Fallback)
    : FormulaExpression(Span);

/// <summary>A function call; <see cref="Function"/> is null when <see cref="Name"/> is no known function.</summary>
public sealed record CallExpression(
    TextSpan Span, string Name, TextSpan NameSpan, FormulaFunction? Function, IReadOnlyList<FormulaExpression> Arguments)
    : FormulaExpression(Span);
