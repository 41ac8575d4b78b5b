using System.Text;

namespace Governance.Domain.Metrics.Formulas;

/// <summary>
/// The formula text seen by the compiler: turns offsets into the line and column people look for,
/// and quotes pieces of the formula in messages.
/// </summary>
internal sealed class SourceText(string text)
{
    /// <summary>Quotes longer than this are cut: a message names the culprit, it does not repeat the formula.</summary>
    private const int MaxQuote = 40;

    public string Text { get; } = text;

    public FormulaError Error(string code, string message, TextSpan span)
    {
        var (line, column) = Position(span.Start);
        return new FormulaError(code, message, span.Start, line, column, span.Length);
    }

    public (int Line, int Column) Position(int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset && i < Text.Length; i++)
        {
            if (Text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, offset - lineStart + 1);
    }

    /// <summary>The text of <paramref name="span"/> on one line (a formula may spread an expression over several).</summary>
    public string Slice(TextSpan span)
    {
        var builder = new StringBuilder(span.Length);
        var pendingSpace = false;
        foreach (var c in Text.AsSpan(span.Start, span.Length))
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>The text of <paramref name="span"/> in backquotes, shortened if long.</summary>
    public string Quote(TextSpan span)
    {
        var text = Slice(span);
        return text.Length <= MaxQuote ? $"`{text}`" : $"`{text[..(MaxQuote - 1)]}…`";
    }
}
