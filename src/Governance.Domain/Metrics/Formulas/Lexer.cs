using System.Globalization;

namespace Governance.Domain.Metrics.Formulas;

/// <summary>
/// Cuts formula text into tokens on demand. Bad text becomes an <see cref="TokenKind.Invalid"/> token
/// rather than an exception, so that the parser reports whichever problem comes first in the text.
/// </summary>
internal sealed class Lexer(string text)
{
    private static readonly Dictionary<string, TokenKind> Keywords = new(StringComparer.Ordinal)
    {
        ["and"] = TokenKind.And,
        ["or"] = TokenKind.Or,
        ["not"] = TokenKind.Not,
        ["else"] = TokenKind.Else,
        ["null"] = TokenKind.Null,
    };

    /// <summary>Characters people type from habit or paste from documents, with what the language spells instead.</summary>
    private static readonly Dictionary<char, string> Alternatives = new()
    {
        ['='] = "write `==` to compare",
        ['!'] = "write `!=` to compare, or `not` to negate",
        ['&'] = "write `and`",
        ['|'] = "write `or`",
        ['−'] = "write `-`",
        ['×'] = "write `*`",
        ['÷'] = "write `/`",
        ['≤'] = "write `<=`",
        ['≥'] = "write `>=`",
        ['≠'] = "write `!=`",
        ['%'] = "a percentage is 100 times a ratio, e.g. `100 * a / b else null`",
        ['.'] = "write numbers with a digit before the point, e.g. `0.5`",
    };

    private int _position;

    public Token Next()
    {
        SkipWhitespaceAndComments();
        if (_position >= text.Length)
        {
            return new Token(TokenKind.End, new TextSpan(text.Length, 0), "");
        }

        var start = _position;
        var c = text[start];
        if (IsDigit(c))
        {
            return Number(start);
        }

        if (IsIdentifierStart(c))
        {
            return Identifier(start);
        }

        var next = start + 1 < text.Length ? text[start + 1] : '\0';
        var (kind, length) = (c, next) switch
        {
            ('+', _) => (TokenKind.Plus, 1),
            ('-', _) => (TokenKind.Minus, 1),
            ('*', _) => (TokenKind.Star, 1),
            ('/', _) => (TokenKind.Slash, 1),
            ('(', _) => (TokenKind.LeftParen, 1),
            (')', _) => (TokenKind.RightParen, 1),
            (',', _) => (TokenKind.Comma, 1),
            ('<', '=') => (TokenKind.LessOrEqual, 2),
            ('<', _) => (TokenKind.Less, 1),
            ('>', '=') => (TokenKind.GreaterOrEqual, 2),
            ('>', _) => (TokenKind.Greater, 1),
            ('=', '=') => (TokenKind.Equal, 2),
            ('!', '=') => (TokenKind.NotEqual, 2),
            _ => (TokenKind.Invalid, 1),
        };

        // A surrogate pair is one character to the reader: quote and skip it whole.
        if (kind == TokenKind.Invalid && char.IsHighSurrogate(c) && char.IsLowSurrogate(next))
        {
            length = 2;
        }

        _position += length;
        var tokenText = text.Substring(start, length);
        if (kind != TokenKind.Invalid)
        {
            return new Token(kind, new TextSpan(start, length), tokenText);
        }

        var problem = Alternatives.TryGetValue(c, out var instead)
            ? $"unexpected `{tokenText}`: {instead}"
            : $"unexpected `{tokenText}`: formulas use measure names, numbers, + - * / ( ) , < <= > >= == != and the words and, or, not, else, null";
        return new Token(TokenKind.Invalid, new TextSpan(start, length), tokenText, Problem: problem);
    }

    private void SkipWhitespaceAndComments()
    {
        while (_position < text.Length)
        {
            var c = text[_position];
            if (c == '#')
            {
                while (_position < text.Length && text[_position] != '\n')
                {
                    _position++;
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                _position++;
            }
            else
            {
                return;
            }
        }
    }

    private Token Number(int start)
    {
        while (_position < text.Length && IsDigit(text[_position]))
        {
            _position++;
        }

        if (_position < text.Length && text[_position] == '.')
        {
            _position++;
            if (_position >= text.Length || !IsDigit(text[_position]))
            {
                return Invalid(start, $"expected a digit after the decimal point in `{text[start.._position]}`");
            }

            while (_position < text.Length && IsDigit(text[_position]))
            {
                _position++;
            }
        }

        // "1e5" or "2x" would otherwise read as a number followed by a name, and fail later with a worse message.
        if (_position < text.Length && (IsIdentifierPart(text[_position]) || text[_position] == '.'))
        {
            while (_position < text.Length && (IsIdentifierPart(text[_position]) || text[_position] == '.'))
            {
                _position++;
            }

            return Invalid(start, $"`{text[start.._position]}` is neither a number nor a name: numbers are digits with an optional decimal point, names start with a letter");
        }

        var digits = text[start.._position];
        if (!decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return Invalid(start, $"the number `{digits}` is too large");
        }

        return new Token(TokenKind.Number, new TextSpan(start, _position - start), digits, value);
    }

    private Token Identifier(int start)
    {
        while (_position < text.Length && IsIdentifierPart(text[_position]))
        {
            _position++;
        }

        var name = text[start.._position];
        var lower = name.ToLowerInvariant();
        if (lower != name)
        {
            return Invalid(start, $"names are lower case: write `{lower}`, not `{name}`");
        }

        var kind = Keywords.GetValueOrDefault(name, TokenKind.Identifier);
        return new Token(kind, new TextSpan(start, _position - start), name);
    }

    private Token Invalid(int start, string problem) =>
        new(TokenKind.Invalid, new TextSpan(start, _position - start), text[start.._position], Problem: problem);

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsIdentifierStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || IsDigit(c);
}
