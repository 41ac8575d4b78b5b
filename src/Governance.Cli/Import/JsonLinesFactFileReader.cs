using System.Text;

namespace Governance.Cli.Import;

/// <summary>JSON lines: every non-blank line is one GraphQL <c>FactInput</c> object, passed on as it is.</summary>
public sealed class JsonLinesFactFileReader(FileStream stream) : FactFileReader(stream)
{
    private long _line;

    public override long Line => _line;

    public override async ValueTask<FactRecord?> ReadAsync(CancellationToken cancellationToken)
    {
        while (await Reader.ReadLineAsync(cancellationToken) is { } text)
        {
            _line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var json = Encoding.UTF8.GetBytes(text);
            if (CheckObject(json) is { } problem)
            {
                throw new FactFileException(_line, $"the line {problem}; each line must be one FactInput object");
            }

            return new FactRecord(_line, _line, json);
        }

        return null;
    }

    public override async ValueTask<long> SkipThroughLineAsync(long line, CancellationToken cancellationToken)
    {
        long facts = 0;
        while (_line < line && await Reader.ReadLineAsync(cancellationToken) is { } text)
        {
            _line++;
            if (!string.IsNullOrWhiteSpace(text))
            {
                facts++;
            }
        }

        return facts;
    }
}
