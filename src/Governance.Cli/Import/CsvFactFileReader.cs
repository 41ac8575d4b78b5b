using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Governance.Domain.Facts;

namespace Governance.Cli.Import;

/// <summary>
/// CSV with the header <c>source,externalId,accountId,occurredAt,kind,supersedes,payload</c> (any order,
/// any case; <c>supersedes</c> and <c>payload</c> may be left out). <c>kind</c> is a wire name such as
/// <c>mrr.changed</c>; <c>payload</c> is a JSON object of that kind's input fields. Each row becomes the
/// FactInput the API takes: the payload goes under the kind's field (<c>mrrChanged</c>).
/// </summary>
public sealed class CsvFactFileReader : FactFileReader
{
    public static readonly IReadOnlyList<string> Columns = ["source", "externalId", "accountId", "occurredAt", "kind", "supersedes", "payload"];

    private static readonly string[] RequiredColumns = ["source", "externalId", "accountId", "occurredAt", "kind"];

    private readonly CsvReader _csv;
    private Dictionary<string, int>? _columns;
    private long _line;

    public CsvFactFileReader(FileStream stream)
        : base(stream)
    {
        _csv = new CsvReader(Reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            // Row shape is checked here, by line, instead of by CsvHelper's exceptions.
            MissingFieldFound = null,
            HeaderValidated = null,
        });
    }

    public override long Line => _line;

    public override async ValueTask<FactRecord?> ReadAsync(CancellationToken cancellationToken)
    {
        var columns = await ReadHeaderAsync();
        if (!await NextRowAsync())
        {
            return null;
        }

        var firstLine = _line + 1;
        _line = _csv.Parser.RawRow;
        if (_csv.Parser.Count != columns.Count)
        {
            throw new FactFileException(firstLine, $"the row has {_csv.Parser.Count} fields, the header {columns.Count}");
        }

        string Field(string name) => columns.TryGetValue(name, out var index) ? _csv.Parser[index] : "";

        var kindName = Field("kind").Trim();
        if (!FactKinds.TryParse(kindName, out var kind))
        {
            throw new FactFileException(firstLine,
                $"kind: '{kindName}' is not a fact kind; one of {string.Join(", ", FactKinds.All.Select(k => k.WireName()))}");
        }

        var payload = Field("payload").Trim();
        var payloadBytes = payload.Length == 0 ? "{}"u8.ToArray() : Encoding.UTF8.GetBytes(payload);
        if (CheckObject(payloadBytes) is { } problem)
        {
            throw new FactFileException(firstLine, $"payload {problem}; write the {kindName} fields as a JSON object, e.g. {{\"amount\":120.5}}");
        }

        var buffer = new ArrayBufferWriter<byte>(256 + payloadBytes.Length);
        await using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("source", Field("source"));
            json.WriteString("externalId", Field("externalId"));
            json.WriteString("accountId", Field("accountId"));
            json.WriteString("occurredAt", Field("occurredAt").Trim());
            if (Field("supersedes") is { Length: > 0 } supersedes)
            {
                json.WriteString("supersedes", supersedes);
            }

            json.WritePropertyName(FactValidation.PayloadField(kind));
            json.WriteRawValue(payloadBytes, skipInputValidation: true);
            json.WriteEndObject();
        }

        return new FactRecord(firstLine, _line, buffer.WrittenSpan.ToArray());
    }

    public override async ValueTask<long> SkipThroughLineAsync(long line, CancellationToken cancellationToken)
    {
        await ReadHeaderAsync();
        long facts = 0;
        // Parsing (not just counting line breaks) keeps quoted fields with line breaks in one record.
        while (_line < line && await NextRowAsync())
        {
            _line = _csv.Parser.RawRow;
            facts++;
        }

        return facts;
    }

    public override async ValueTask DisposeAsync()
    {
        _csv.Dispose();
        await base.DisposeAsync();
    }

    private async Task<bool> NextRowAsync()
    {
        try
        {
            return await _csv.ReadAsync();
        }
        catch (CsvHelperException e)
        {
            throw new FactFileException(_line + 1, $"the row is not valid CSV ({e.Message.Split('\n')[0].Trim()})");
        }
    }

    private async Task<Dictionary<string, int>> ReadHeaderAsync()
    {
        if (_columns is not null)
        {
            return _columns;
        }

        if (!await NextRowAsync())
        {
            throw new FactFileException(1, $"the file is empty; it must start with the header {string.Join(',', Columns)}");
        }

        _csv.ReadHeader();
        _line = _csv.Parser.RawRow;
        var header = _csv.HeaderRecord ?? [];
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            var name = Columns.FirstOrDefault(c => c.Equals(header[i].Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new FactFileException(_line, $"header: unknown column '{header[i]}'; the columns are {string.Join(',', Columns)}");
            if (!columns.TryAdd(name, i))
            {
                throw new FactFileException(_line, $"header: column '{name}' appears twice");
            }
        }

        if (RequiredColumns.Where(c => !columns.ContainsKey(c)).ToList() is { Count: > 0 } missing)
        {
            throw new FactFileException(_line, $"header: missing column(s) {string.Join(", ", missing)}; the columns are {string.Join(',', Columns)}");
        }

        _columns = columns;
        return columns;
    }
}
