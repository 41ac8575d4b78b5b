using System.Text.Json;

namespace Governance.Cli.Import;

/// <summary>The layouts of a facts file <c>governance import</c> reads.</summary>
public enum FactFileFormat
{
    /// <summary>Header <c>source,externalId,accountId,occurredAt,kind,supersedes,payload</c>; the kind by its wire name, the payload a JSON object.</summary>
    Csv,

    /// <summary>One GraphQL <c>FactInput</c> object per line, as the API takes it.</summary>
    JsonLines,
}

/// <summary>
/// One fact read from a file, already in the shape of a GraphQL <c>FactInput</c> (UTF-8 JSON), with the
/// file lines it came from so that the server's errors can be reported by line.
/// </summary>
public sealed record FactRecord(long FirstLine, long LastLine, byte[] Json);

/// <summary>A fact the file itself gets wrong (not JSON, unknown kind …): nothing is sent for it.</summary>
public sealed class FactFileException(long line, string message) : Exception(message)
{
    public long Line { get; } = line;
}

/// <summary>
/// Reads a facts file one record at a time: the file is never held in memory, only the record being read
/// and the reader's buffer. <see cref="BytesRead"/> is how far into the file the reader has got.
/// </summary>
public abstract class FactFileReader : IAsyncDisposable
{
    private readonly FileStream _stream;

    protected FactFileReader(FileStream stream)
    {
        _stream = stream;
        Reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
    }

    public long Length => _stream.Length;

    /// <summary>Bytes taken from the file so far (the reader's buffer included), for progress.</summary>
    public long BytesRead => _stream.Position;

    /// <summary>The last file line read (1-based; 0 before the first).</summary>
    public abstract long Line { get; }

    protected StreamReader Reader { get; }

    public static FactFileReader Open(string path, FactFileFormat format)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return format switch
        {
            FactFileFormat.Csv => new CsvFactFileReader(stream),
            FactFileFormat.JsonLines => new JsonLinesFactFileReader(stream),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    /// <summary>The format a file's extension implies, or null when it implies none.</summary>
    public static FactFileFormat? FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => FactFileFormat.Csv,
        ".jsonl" or ".ndjson" or ".json" => FactFileFormat.JsonLines,
        _ => null,
    };

    /// <summary>The next fact, or null at the end of the file. Throws <see cref="FactFileException"/> for a record it cannot read.</summary>
    public abstract ValueTask<FactRecord?> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Passes over every record that ends on or before <paramref name="line"/> without sending or checking it; returns how many facts that was.</summary>
    public abstract ValueTask<long> SkipThroughLineAsync(long line, CancellationToken cancellationToken);

    public virtual ValueTask DisposeAsync()
    {
        Reader.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Null when <paramref name="json"/> is exactly one JSON object; otherwise what is wrong with it.</summary>
    internal static string? CheckObject(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return "is not a JSON object";
            }

            reader.Skip();
            reader.Read(); // throws if anything but white space follows the object
            return null;
        }
        catch (JsonException e)
        {
            return $"is not valid JSON ({e.Message})";
        }
    }
}
