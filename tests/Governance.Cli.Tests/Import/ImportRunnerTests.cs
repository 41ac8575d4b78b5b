using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Governance.Cli.Import;

namespace Governance.Cli.Tests.Import;

/// <summary>The runner against a scripted host: what it sends, how it reads each answer, what it remembers.</summary>
public sealed class ImportRunnerTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("governance-cli-runner-");
    private readonly ScriptedHost _host = new();
    private readonly RecordingProgress _progress = new();

    [Fact]
    public async Task ShouldSendTheFileInBatchesAndRemoveTheCheckpointWhenDone()
    {
        var file = WriteFacts(5);
        _host.OnIngest = (_, facts) => Stored(facts.Count, 0);

        var result = await RunAsync(file, batchSize: 2);

        Assert.Equal(ImportExit.Completed, result.Exit);
        Assert.Equal([2, 2, 1], _host.Batches.Select(b => b.Count));
        Assert.Equal(["e1", "e2", "e3", "e4", "e5"], _host.Batches.SelectMany(b => b).Select(f => f!["externalId"]!.GetValue<string>()));
        Assert.Equal(new ImportTotals { LinesRead = 5, FactsSent = 5, Accepted = 5, Batches = 3 }, result.Totals);
        Assert.False(File.Exists(ImportCheckpoint.PathFor(file)));
        Assert.Equal(1, _host.Tokens);
    }

    [Fact]
    public async Task ShouldReportARejectedBatchByFileLineAndKeepTheCheckpointOfTheBatchesBefore()
    {
        var file = WriteFacts(6);
        _host.OnIngest = (call, facts) => call == 2
            ? Answer(HttpStatusCode.OK, """
                {"errors":[
                  {"message":"input.facts[1].surveyResponded.score: NPS must be 0 to 10.","extensions":{"code":"INVALID_INPUT","data":{"field":"input.facts[1].surveyResponded.score","index":1}}},
                  {"message":"input.facts[1].externalId: repeats facts[0] of this batch with different content.","extensions":{"code":"CONFLICT","data":{"field":"input.facts[1].externalId","index":1}}}],
                 "data":{"ingestFacts":null}}
                """)
            : Stored(facts.Count, 0);

        var result = await RunAsync(file, batchSize: 2);

        Assert.Equal(ImportExit.Rejected, result.Exit);
        Assert.Equal(
            [new ImportProblem(4, "surveyResponded.score", "NPS must be 0 to 10.", "INVALID_INPUT"),
             new ImportProblem(4, "externalId", "repeats line 3 of this batch with different content.", "CONFLICT")],
            result.Problems);
        Assert.Contains("lines 3 to 4", result.Message);
        Assert.Equal(2, _host.Batches.Count); // the third batch was read but never sent
        Assert.Equal(2, ImportCheckpoint.Load(file)!.LinesAcknowledged);
    }

    [Fact]
    public async Task ShouldRefuseAMalformedLineWithoutSendingItsBatch()
    {
        var file = Path.Combine(_directory.FullName, "facts.jsonl");
        File.WriteAllLines(file, [Fact(1), Fact(2), Fact(3), "{not json"]);
        _host.OnIngest = (_, facts) => Stored(facts.Count, 0);

        var result = await RunAsync(file, batchSize: 2);

        Assert.Equal(ImportExit.Rejected, result.Exit);
        Assert.Equal(4, Assert.Single(result.Problems).Line);
        Assert.Single(_host.Batches);
        Assert.Equal(2, ImportCheckpoint.Load(file)!.LinesAcknowledged);
    }

    [Fact]
    public async Task ShouldSendABatchAgainAfterTransportAndServerFailuresAndCountItOnce()
    {
        var file = WriteFacts(3);
        _host.OnIngest = (call, facts) => call switch
        {
            1 => Answer(HttpStatusCode.ServiceUnavailable, ""),
            2 => throw new HttpRequestException("Connection refused"),
            3 => Answer(HttpStatusCode.OK, """{"errors":[{"message":"Error trying to resolve field 'ingestFacts'.","extensions":{"code":"NPGSQL"}}],"data":{"ingestFacts":null}}"""),
            _ => Stored(facts.Count - 1, 1),
        };

        var result = await RunAsync(file, retries: 3);

        Assert.Equal(ImportExit.Completed, result.Exit);
        Assert.Equal(4, _host.Batches.Count);
        Assert.Equal(3, _progress.Retries.Count);
        Assert.Contains("Connection refused", _progress.Retries[1]);
        Assert.Equal(new ImportTotals { LinesRead = 3, FactsSent = 3, Accepted = 2, Duplicates = 1, Batches = 1 }, result.Totals);
    }

    [Fact]
    public async Task ShouldStopAsUnreachableWhenTheRetriesRunOutKeepingWhatWasAcknowledged()
    {
        var file = WriteFacts(4);
        _host.OnIngest = (call, facts) => call == 1 ? Stored(facts.Count, 0) : Answer(HttpStatusCode.BadGateway, "");

        var result = await RunAsync(file, batchSize: 2);

        Assert.Equal(ImportExit.Unreachable, result.Exit);
        Assert.Equal(1 + 3, _host.Batches.Count); // the first batch, then the second with its two retries
        Assert.Contains("502", result.Message);
        Assert.Equal(2, ImportCheckpoint.Load(file)!.LinesAcknowledged);
    }

    [Fact]
    public async Task ShouldGetANewTokenOnceWhenTheServerRefusesTheOldOne()
    {
        var file = WriteFacts(1);
        _host.OnIngest = (call, facts) => call == 1 ? Answer(HttpStatusCode.Unauthorized, """{"errors":[{"message":"expired","extensions":{"code":"UNAUTHENTICATED"}}]}""") : Stored(facts.Count, 0);

        var result = await RunAsync(file);

        Assert.Equal(ImportExit.Completed, result.Exit);
        Assert.Equal(2, _host.Tokens);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], _host.Authorizations);
    }

    [Fact]
    public async Task ShouldStopBeforeReadingWhenTheCredentialsAreRefused()
    {
        var file = WriteFacts(1);
        _host.OnToken = () => Answer(HttpStatusCode.BadRequest, """{"error":"invalid_client","error_description":"The specified client credentials are invalid."}""");

        var result = await RunAsync(file);

        Assert.Equal(ImportExit.Usage, result.Exit);
        Assert.Contains("The specified client credentials are invalid", result.Message);
        Assert.Empty(_host.Batches);
    }

    [Fact]
    public async Task ShouldSkipWhatAMatchingCheckpointAcknowledgedAndIgnoreACheckpointOfAnotherFile()
    {
        var file = WriteFacts(5);
        _host.OnIngest = (_, facts) => Stored(facts.Count, 0);
        SaveCheckpoint(file, linesAcknowledged: 3);

        var resumed = await RunAsync(file, batchSize: 10);

        Assert.Equal(["e4", "e5"], _host.Batches.Single().Select(f => f!["externalId"]!.GetValue<string>()));
        Assert.Equal(new ImportTotals { LinesRead = 5, LinesSkipped = 3, FactsSkipped = 3, FactsSent = 2, Accepted = 2, Batches = 1 }, resumed.Totals);
        Assert.Contains(_progress.Notes, n => n.StartsWith("Resuming: lines 1 to 3 (3 facts)", StringComparison.Ordinal));

        SaveCheckpoint(file, linesAcknowledged: 3, length: 1);
        var restarted = await RunAsync(file, batchSize: 10);

        Assert.Equal(5, _host.Batches.Last().Count);
        Assert.Equal(0, restarted.Totals.LinesSkipped);
        Assert.Contains(_progress.Notes, n => n.Contains("another version of the file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ShouldIgnoreAMatchingCheckpointWhenAskedToRestart()
    {
        var file = WriteFacts(2);
        _host.OnIngest = (_, facts) => Stored(0, facts.Count);
        SaveCheckpoint(file, linesAcknowledged: 2);

        var result = await RunAsync(file, restart: true);

        Assert.Equal(2, _host.Batches.Single().Count);
        Assert.Equal(2, result.Totals.Duplicates);
    }

    public void Dispose()
    {
        _host.Dispose();
        _directory.Delete(recursive: true);
    }

    private async Task<ImportResult> RunAsync(string file, int batchSize = ImportOptions.DefaultBatchSize, bool restart = false, int retries = 2)
    {
        using var http = new HttpClient(_host, disposeHandler: false);
        var options = new ImportOptions
        {
            Url = new Uri("http://governance.test:5080"),
            ClientId = "acme-integration",
            ClientSecret = "secret",
            File = file,
            BatchSize = batchSize,
            Restart = restart,
            RetryDelays = Enumerable.Repeat(TimeSpan.Zero, retries).ToList(),
        };
        return await new ImportRunner(http, options, _progress).RunAsync(CancellationToken.None);
    }

    private string WriteFacts(int count)
    {
        var path = Path.Combine(_directory.FullName, "facts.jsonl");
        File.WriteAllLines(path, Enumerable.Range(1, count).Select(Fact));
        return path;
    }

    private static string Fact(int n) =>
        $$$"""{"source":"s","externalId":"e{{{n}}}","accountId":"acme","occurredAt":"2025-01-01T00:00:00Z","qbrHeld":{}}""";

    private static void SaveCheckpoint(string file, long linesAcknowledged, long? length = null)
    {
        var info = new FileInfo(file);
        new ImportCheckpoint
        {
            Length = length ?? info.Length,
            LastWriteTimeUtc = info.LastWriteTimeUtc,
            LinesAcknowledged = linesAcknowledged,
            FactsAcknowledged = linesAcknowledged,
            Url = "http://governance.test:5080/",
            ClientId = "acme-integration",
        }.Save(file);
    }

    private static HttpResponseMessage Stored(int accepted, int duplicates) =>
        Answer(HttpStatusCode.OK, new JsonObject
        {
            ["data"] = new JsonObject { ["ingestFacts"] = new JsonObject { ["batchId"] = "b", ["accepted"] = accepted, ["duplicates"] = duplicates, ["late"] = 0 } },
        }.ToJsonString());

    private static HttpResponseMessage Answer(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/graphql-response+json") };

    /// <summary>Answers the token endpoint with token-1, token-2 …, and ingestFacts as the test says.</summary>
    private sealed class ScriptedHost : HttpMessageHandler
    {
        public Func<int, JsonArray, HttpResponseMessage> OnIngest { get; set; } = (_, _) => throw new InvalidOperationException("No ingest expected.");

        public Func<HttpResponseMessage>? OnToken { get; set; }

        public int Tokens { get; private set; }

        public List<JsonArray> Batches { get; } = [];

        public List<string> Authorizations { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            switch (request.RequestUri!.AbsolutePath)
            {
                case "/connect/token":
                    Assert.Contains("grant_type=client_credentials", await request.Content!.ReadAsStringAsync(cancellationToken));
                    Tokens++;
                    return OnToken?.Invoke() ?? Answer(HttpStatusCode.OK, $$"""{"access_token":"token-{{Tokens}}","token_type":"Bearer","expires_in":3600}""");
                case "/graphql":
                    var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!;
                    Assert.Equal(GovernanceClient.IngestMutation, body["query"]!.GetValue<string>());
                    var facts = body["variables"]!["input"]!["facts"]!.AsArray();
                    Batches.Add(facts);
                    Authorizations.Add(request.Headers.Authorization!.ToString());
                    return OnIngest(Batches.Count, facts);
                default:
                    return new HttpResponseMessage(HttpStatusCode.NotFound);
            }
        }
    }

    private sealed class RecordingProgress : IImportProgress
    {
        public List<string> Notes { get; } = [];

        public List<string> Retries { get; } = [];

        public void Started(string file, long length, FactFileFormat format)
        {
        }

        public void Note(string message) => Notes.Add(message);

        public void Advanced(ImportTotals totals, long bytesRead)
        {
        }

        public void Retrying(int batch, int attempt, TimeSpan delay, string reason) => Retries.Add(reason);
    }
}
