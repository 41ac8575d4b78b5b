namespace Governance.Domain.Metrics.Formulas;

internal enum TokenKind
{
    Number,
    Identifier,
    Plus,
    Minus,
    Star,
    Slash,
    LeftParen,
    RightParen,
    Comma,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
    And,
    Or,
    Not,
    Else,
    Null,
    End,

    /// <summary>Text that is no token; <see cref="Token.Problem"/> says why, and it is reported only if the parser gets there.</summary>
    Invalid,
}

/// <summary>A token and where it is; <see cref="Number"/> is set for numbers, <see cref="Problem"/> for invalid text.</summary>
internal readonly record struct Token(TokenKind Kind, TextSpan Span, string Text, decimal Number = 0, string? Problem = null)
{
    public bool IsComparison => Kind is TokenKind.Less or TokenKind.LessOrEqual or TokenKind.Greater
        or TokenKind.GreaterOrEqual or TokenKind.Equal or TokenKind.NotEqual;

    /// <summary>How a message names this token when it is not what was expected.</summary>
    public string Describe() => Kind == TokenKind.End ? "the end of the formula" : $"`{Text}`";
}
