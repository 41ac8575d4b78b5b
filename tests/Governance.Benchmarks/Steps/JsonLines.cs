namespace Governance.Benchmarks.Steps;

/// <summary>Reads a JSON-lines file line by line without decoding or copying lines into strings.</summary>
public sealed class JsonLines : IDisposable
{
    private readonly FileStream _stream;
    private byte[] _buffer = new byte[1 << 20];
    private int _start;
    private int _end;
    private bool _eof;

    public JsonLines(string file) => _stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);

    /// <summary>The next non-empty line, valid until the next call.</summary>
    public bool TryRead(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = _buffer.AsSpan(_start, newline);
                _start += newline + 1;
                if (line.Length > 0)
                {
                    return true;
                }

                continue;
            }

            if (_eof)
            {
                line = _buffer.AsSpan(_start, _end - _start);
                _start = _end;
                return line.Length > 0;
            }

            // Keep the partial line, refill behind it; grow if one line does not fit.
            var pending = _end - _start;
            if (pending == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            (_start, _end) = (0, pending);
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            _end += read;
            _eof = read == 0;
        }
    }

    /// <summary>The index of the account a FactInput line is about, read from its <c>accountId</c> (acc-NNNNNN).</summary>
    public static int AccountIndexOf(ReadOnlySpan<byte> line)
    {
        var at = line.IndexOf("\"accountId\":\"acc-"u8);
        if (at < 0)
        {
            throw new FormatException("A line without an accountId of the synthetic tenant.");
        }

        var value = 0;
        for (var i = at + 17; i < line.Length && line[i] is >= (byte)'0' and <= (byte)'9'; i++)
        {
            value = (value * 10) + (line[i] - '0');
        }

        return value;
    }

    public void Dispose() => _stream.Dispose();
}
