using System.Text;
using System.Text.Json.Nodes;
using Governance.Cli.Import;

namespace Governance.Cli.Tests.Import;

public sealed class FactFileReaderTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("governance-cli-reader-");

    [Fact]
    public async Task ShouldMapACsvRowToTheFactInputWithThePayloadUnderTheKindsField()
    {
        var file = Write("facts.csv",
            "Kind,SOURCE,externalId,accountId,occurredAt,supersedes,payload",
            "mrr.changed,billing,inv-1,acme,2025-01-15T00:00:00Z,,\"{\"\"movement\"\":\"\"NEW\"\",\"\"amount\"\":120.50,\"\"currency\"\":\"\"USD\"\"}\"",
            "qbr.held,cs,qbr-1,acme,2025-01-16T00:00:00Z,qbr-0,");

        var facts = await ReadAllAsync(file, FactFileFormat.Csv);

        Assert.Equal(2, facts.Count);
        Assert.Equal(
            """{"source":"billing","externalId":"inv-1","accountId":"acme","occurredAt":"2025-01-15T00:00:00Z","mrrChanged":{"movement":"NEW","amount":120.50,"currency":"USD"}}""",
            Encoding.UTF8.GetString(facts[0].Json));
        var qbr = JsonNode.Parse(facts[1].Json)!;
        Assert.Equal("qbr-0", qbr["supersedes"]!.GetValue<string>());
        Assert.Empty(qbr["qbrHeld"]!.AsObject());
        Assert.Equal((2L, 2L), (facts[0].FirstLine, facts[0].LastLine));
        Assert.Equal((3L, 3L), (facts[1].FirstLine, facts[1].LastLine));
    }

    [Fact]
    public async Task ShouldCountFileLinesAcrossQuotedLineBreaks()
    {
        var file = Write("facts.csv",
            "source,externalId,accountId,occurredAt,kind,payload",
            "s,a,acme,2025-01-01T00:00:00Z,account.closed,\"{\"\"reason\"\":",
            "\"\"moved\"\"}\"",
            "s,b,acme,2025-01-02T00:00:00Z,unknown.kind,");

        await using var reader = FactFileReader.Open(file, FactFileFormat.Csv);
        var first = await reader.ReadAsync(CancellationToken.None);
        var error = await Assert.ThrowsAsync<FactFileException>(async () => await reader.ReadAsync(CancellationToken.None));

        Assert.Equal((2L, 3L), (first!.FirstLine, first.LastLine));
        Assert.Equal("moved", JsonNode.Parse(first.Json)!["accountClosed"]!["reason"]!.GetValue<string>());
        Assert.Equal(4, error.Line);
        Assert.Contains("'unknown.kind' is not a fact kind", error.Message);
    }

    [Theory]
    [InlineData("source,externalId,accountId,occurredAt,payload", "missing column(s) kind")]
    [InlineData("source,externalId,accountId,occurredAt,kind,extrnalId", "unknown column 'extrnalId'")]
    [InlineData("source,externalId,accountId,occurredAt,kind,source", "column 'source' appears twice")]
    public async Task ShouldRefuseACsvHeaderItCannotMap(string header, string problem)
    {
        var file = Write("facts.csv", header, "s,a,acme,2025-01-01T00:00:00Z,qbr.held,");

        var error = await Assert.ThrowsAsync<FactFileException>(() => ReadAllAsync(file, FactFileFormat.Csv));

        Assert.Equal(1, error.Line);
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData("s,a,acme,2025-01-01T00:00:00Z,qbr.held,,[1]", "payload is not a JSON object")]
    [InlineData("s,a,acme,2025-01-01T00:00:00Z,qbr.held,,{nope}", "payload is not valid JSON")]
    [InlineData("s,a,acme,2025-01-01T00:00:00Z,qbr.held,", "the row has 6 fields, the header 7")]
    public async Task ShouldRefuseACsvRowItCannotMapByItsLine(string row, string problem)
    {
        var file = Write("facts.csv", "source,externalId,accountId,occurredAt,kind,supersedes,payload", row);

        var error = await Assert.ThrowsAsync<FactFileException>(() => ReadAllAsync(file, FactFileFormat.Csv));

        Assert.Equal(2, error.Line);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public async Task ShouldPassJsonLinesThroughAsTheyAreAndSkipBlankLines()
    {
        const string fact = """{"source":"s","externalId":"a","accountId":"acme","occurredAt":"2025-01-01T00:00:00Z","qbrHeld":{}}""";
        var file = Write("facts.jsonl", fact, "", "   ", fact);

        var facts = await ReadAllAsync(file, FactFileFormat.JsonLines);

        Assert.Equal([1L, 4L], facts.Select(f => f.FirstLine));
        Assert.All(facts, f => Assert.Equal(fact, Encoding.UTF8.GetString(f.Json)));
    }

    [Theory]
    [InlineData("""{"source":"s",""", "is not valid JSON")]
    [InlineData("""[{"source":"s"}]""", "is not a JSON object")]
    [InlineData("""{"a":1} {"b":2}""", "is invalid after a single JSON value")]
    public async Task ShouldRefuseAJsonLineThatIsNotOneObjectByItsLine(string line, string problem)
    {
        var file = Write("facts.jsonl", """{"a":1}""", line);

        var error = await Assert.ThrowsAsync<FactFileException>(() => ReadAllAsync(file, FactFileFormat.JsonLines));

        Assert.Equal(2, error.Line);
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData(FactFileFormat.Csv, 3, 2, 4L)]
    [InlineData(FactFileFormat.JsonLines, 2, 2, 3L)]
    public async Task ShouldSkipThroughALineAndGoOnWithTheNextRecord(FactFileFormat format, long through, long skipped, long next)
    {
        var file = format == FactFileFormat.Csv
            ? Write("facts.csv", "source,externalId,accountId,occurredAt,kind", "s,1,a,2025-01-01T00:00:00Z,qbr.held", "s,2,a,2025-01-01T00:00:00Z,qbr.held", "s,3,a,2025-01-01T00:00:00Z,qbr.held")
            : Write("facts.jsonl", """{"n":1}""", """{"n":2}""", """{"n":3}""");
        await using var reader = FactFileReader.Open(file, format);

        Assert.Equal(skipped, await reader.SkipThroughLineAsync(through, CancellationToken.None));
        Assert.Equal(next, (await reader.ReadAsync(CancellationToken.None))!.FirstLine);
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("facts.csv", FactFileFormat.Csv)]
    [InlineData("facts.JSONL", FactFileFormat.JsonLines)]
    [InlineData("facts.ndjson", FactFileFormat.JsonLines)]
    [InlineData("facts.txt", null)]
    public void ShouldTellTheFormatFromTheExtension(string name, FactFileFormat? format) =>
        Assert.Equal(format, FactFileReader.FormatOf(name));

    public void Dispose() => _directory.Delete(recursive: true);

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private static async Task<List<FactRecord>> ReadAllAsync(string file, FactFileFormat format)
    {
        await using var reader = FactFileReader.Open(file, format);
        var facts = new List<FactRecord>();
        while (await reader.ReadAsync(CancellationToken.None) is { } fact)
        {
            facts.Add(fact);
        }

        return facts;
    }
}
