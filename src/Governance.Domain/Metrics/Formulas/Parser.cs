namespace Governance.Domain.Metrics.Formulas;

/// <summary>
/// Recursive-descent parser, one method per rule of the grammar. It stops at the first syntax error:
/// after one, the rest of the text is too uncertain to say anything useful about.
/// </summary>
/// <remarks>
/// <code>
/// formula        := expr EOF
/// expr           := or
/// or             := and ('or' and)*
/// and            := not ('and' not)*
/// not            := 'not' not | comparison
/// comparison     := additive (('&lt;'|'&lt;='|'&gt;'|'&gt;='|'=='|'!=') additive)?   -- a &lt; b &lt; c is an error
/// additive       := multiplicative (('+'|'-') multiplicative)*
/// multiplicative := unary (('*' unary) | ('/' unary ('else' fallback)?))*
/// fallback       := 'null' | unary
/// unary          := '-' unary | primary
/// primary        := NUMBER | IDENT | IDENT '(' (expr (',' expr)*)? ')' | '(' expr ')'
/// </code>
/// </remarks>
internal sealed class Parser
{
    private readonly SourceText _source;
    private readonly Lexer _lexer;
    private Token _current;
    private int _depth;

    private Parser(SourceText source)
    {
        _source = source;
        _lexer = new Lexer(source.Text);
        _current = _lexer.Next();
    }

    /// <exception cref="FormulaSyntaxException">The text is not a formula, or nests too deeply.</exception>
    public static FormulaExpression Parse(SourceText source) => new Parser(source).Formula();

    private FormulaExpression Formula()
    {
        if (Current.Kind == TokenKind.End)
        {
            throw new FormulaSyntaxException(_source.Error(FormulaErrorCodes.Syntax, "formula is empty", new TextSpan(0, 0)));
        }

        var expression = Expression();
        return Current.Kind switch
        {
            TokenKind.End => expression,
            TokenKind.Else => throw Fail("`else` can only follow a division, as in `a / b else 0`"),
            TokenKind.RightParen => throw Fail("unexpected `)`: there is no `(` for it to close"),
            _ => throw Fail($"expected an operator or the end of the formula but found {Current.Describe()}"),
        };
    }

    private FormulaExpression Expression() => Or();

    private FormulaExpression Or()
    {
        var left = And();
        while (Current.Kind == TokenKind.Or)
        {
            var op = Take();
            var right = And();
            left = new BinaryExpression(TextSpan.Between(left.Span, right.Span), BinaryOperator.Or, op.Span, left, right);
        }

        return left;
    }

    private FormulaExpression And()
    {
        var left = Not();
        while (Current.Kind == TokenKind.And)
        {
            var op = Take();
            var right = Not();
            left = new BinaryExpression(TextSpan.Between(left.Span, right.Span), BinaryOperator.And, op.Span, left, right);
        }

        return left;
    }

    private FormulaExpression Not()
    {
        if (Current.Kind != TokenKind.Not)
        {
            return Comparison();
        }

        var op = Take();
        Enter(op);
        var operand = Not();
        _depth--;
        return new UnaryExpression(TextSpan.Between(op.Span, operand.Span), UnaryOperator.Not, operand);
    }

    private FormulaExpression Comparison()
    {
        var left = Additive();
        if (!Current.IsComparison)
        {
            return left;
        }

        var op = Take();
        var right = Additive();
        if (Current.IsComparison)
        {
            // Reading a < b < c as (a < b) < c would compare true/false with a number; what was meant is a range.
            throw Fail($"comparisons do not chain: write `a {op.Text} b and b {Current.Text} c`");
        }

        var kind = op.Kind switch
        {
            TokenKind.Less => BinaryOperator.Less,
            TokenKind.LessOrEqual => BinaryOperator.LessOrEqual,
            TokenKind.Greater => BinaryOperator.Greater,
            TokenKind.GreaterOrEqual => BinaryOperator.GreaterOrEqual,
            TokenKind.Equal => BinaryOperator.Equal,
            _ => BinaryOperator.NotEqual,
        };
        return new BinaryExpression(TextSpan.Between(left.Span, right.Span), kind, op.Span, left, right);
    }

    private FormulaExpression Additive()
    {
        var left = Multiplicative();
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Take();
            var right = Multiplicative();
            var kind = op.Kind == TokenKind.Plus ? BinaryOperator.Add : BinaryOperator.Subtract;
            left = new BinaryExpression(TextSpan.Between(left.Span, right.Span), kind, op.Span, left, right);
        }

        return left;
    }

    private FormulaExpression Multiplicative()
    {
        var left = Unary();
        while (Current.Kind is TokenKind.Star or TokenKind.Slash)
        {
            var op = Take();
            var right = Unary();
            if (op.Kind == TokenKind.Star)
            {
                left = new BinaryExpression(TextSpan.Between(left.Span, right.Span), BinaryOperator.Multiply, op.Span, left, right);
                continue;
            }

            FormulaExpression? fallback = null;
            if (Current.Kind == TokenKind.Else)
            {
                Take();
                fallback = Current.Kind == TokenKind.Null ? new NullExpression(Take().Span) : Unary();
            }

            left = new DivideExpression(TextSpan.Between(left.Span, (fallback ?? right).Span), op.Span, left, right, fallback);
        }

        return left;
    }

    private FormulaExpression Unary()
    {
        if (Current.Kind != TokenKind.Minus)
        {
            return Primary();
        }

        var op = Take();
        Enter(op);
        var operand = Unary();
        _depth--;
        return new UnaryExpression(TextSpan.Between(op.Span, operand.Span), UnaryOperator.Negate, operand);
    }

    private FormulaExpression Primary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Take();
                return new NumberExpression(token.Span, token.Number);
            case TokenKind.Identifier:
                Take();
                return Current.Kind == TokenKind.LeftParen ? Call(token) : new MeasureExpression(token.Span, token.Text);
            case TokenKind.LeftParen:
                {
                    var open = Take();
                    Enter(open);
                    var inner = Expression();
                    var close = Expect(TokenKind.RightParen, "`)`");
                    _depth--;
                    return inner with { Span = TextSpan.Between(open.Span, close.Span) };
                }

            case TokenKind.Null:
                throw Fail("`null` can only be the fallback of a division, as in `a / b else null`");
            case TokenKind.Else:
                throw Fail("`else` can only follow a division, as in `a / b else 0`");
            default:
                throw Fail(Expected("a number, a measure name or `(`"));
        }
    }

    private CallExpression Call(Token name)
    {
        var open = Take();
        Enter(open);
        var arguments = new List<FormulaExpression>();
        if (Current.Kind != TokenKind.RightParen)
        {
            arguments.Add(Expression());
            while (Current.Kind == TokenKind.Comma)
            {
                Take();
                arguments.Add(Expression());
            }
        }

        var close = Expect(TokenKind.RightParen, "`,` or `)`");
        _depth--;
        return new CallExpression(TextSpan.Between(name.Span, close.Span), name.Text, name.Span, FunctionInfo.Find(name.Text)?.Function, arguments);
    }

    /// <summary>The token to look at; an invalid one is reported as soon as the parser reaches it.</summary>
    private Token Current => _current.Kind == TokenKind.Invalid ? throw Fail(_current.Problem!) : _current;

    private Token Take()
    {
        var token = Current;
        _current = _lexer.Next();
        return token;
    }

    private Token Expect(TokenKind kind, string what) => Current.Kind == kind ? Take() : throw Fail(Expected(what));

    private string Expected(string what) => Current.Kind == TokenKind.End
        ? $"unexpected end of formula: expected {what}"
        : $"expected {what} but found {Current.Describe()}";

    /// <summary>Counts a level of nesting; the limit keeps recursion (here and in every later pass) far from the stack's end.</summary>
    private void Enter(Token opening)
    {
        if (++_depth > FormulaCompiler.MaxDepth)
        {
            throw new FormulaSyntaxException(_source.Error(
                FormulaErrorCodes.TooDeep,
                $"the formula nests more than {FormulaCompiler.MaxDepth} levels deep (parentheses, function calls, `-` and `not`)",
                opening.Span));
        }
    }

    private FormulaSyntaxException Fail(string message) =>
        new(_source.Error(FormulaErrorCodes.Syntax, message, _current.Span));
}

/// <summary>Ends parsing at the first syntax error; caught by <see cref="FormulaCompiler"/>, never seen outside.</summary>
internal sealed class FormulaSyntaxException(FormulaError error) : Exception(error.Message)
{
    public FormulaError Error { get; } = error;
}
