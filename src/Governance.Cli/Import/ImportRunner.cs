using System.Buffers;
using System.Text.Json;

namespace Governance.Cli.Import;

/// <summary>
/// Imports one facts file: reads it a batch at a time, sends each batch as one <c>ingestFacts</c> call
/// (atomic on the server), and after each acknowledged batch writes the checkpoint that lets a later run
/// skip what is done. While a batch is on the wire the next one is read, so reading and the server's
/// work overlap. Stops at the first rejected batch (exit 2, its errors by file line) or when the server
/// stays unreachable through the retries (exit 3); either way everything acknowledged before stays
/// stored and checkpointed.
/// </summary>
public sealed class ImportRunner(HttpClient http, ImportOptions options, IImportProgress progress, TimeProvider? time = null)
{
    private const int ProgressEvery = 500;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private ImportTotals _totals = new();

    public async Task<ImportResult> RunAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        ImportResult Finish(ImportExit exit, string message, IReadOnlyList<ImportProblem>? problems = null) =>
            new(exit, _totals, _time.GetElapsedTime(started), message, problems ?? []);

        if (options.BatchSize is < 1 or > ImportOptions.MaxBatchSize)
        {
            return Finish(ImportExit.Usage, $"--batch-size must be 1 to {ImportOptions.MaxBatchSize:N0}.");
        }

        var file = new FileInfo(options.File);
        if (!file.Exists)
        {
            return Finish(ImportExit.Usage, $"There is no file {options.File}.");
        }

        if ((options.Format ?? FactFileReader.FormatOf(file.Name)) is not { } format)
        {
            return Finish(ImportExit.Usage, $"Cannot tell the format of {file.Name} from its extension: say --format csv or --format jsonl.");
        }

        var client = new GovernanceClient(http, options.Url, options.ClientId, options.ClientSecret, _time);
        var lastAcknowledgedLine = 0L;
        try
        {
            await using var reader = FactFileReader.Open(file.FullName, format);
            progress.Started(file.Name, reader.Length, format);
            await ResumeAsync(reader, file, cancellationToken);
            lastAcknowledgedLine = _totals.LinesSkipped;

            // Credentials are checked before the first batch is read, so a typo fails at once.
            if (await WithRetriesAsync(0, async () => { await client.TokenAsync(renew: false, cancellationToken); return (BatchAnswer?)null; }, cancellationToken)
                is BatchAnswer.Failed unreachable)
            {
                return Finish(ImportExit.Unreachable, $"Could not get a token from {options.Url}: {unreachable.Reason}.");
            }

            Batch? sending = null;
            Task<BatchAnswer>? answer = null;
            try
            {
                for (var number = 1; ; number++)
                {
                    Batch? next = null;
                    FactFileException? malformed = null;
                    try
                    {
                        next = await ReadBatchAsync(reader, number, cancellationToken);
                    }
                    catch (FactFileException e)
                    {
                        malformed = e;
                    }

                    if (answer is not null)
                    {
                        var outcome = await answer;
                        answer = null;
                        if (Acknowledge(sending!, outcome, file) is { } stop)
                        {
                            return Finish(stop.Exit, stop.Message, stop.Problems);
                        }

                        lastAcknowledgedLine = sending!.LastLine;
                        progress.Advanced(_totals, reader.BytesRead);
                    }

                    if (malformed is not null)
                    {
                        return Finish(ImportExit.Rejected,
                            $"Line {malformed.Line} cannot be read; nothing of batch {number} was sent.",
                            [new ImportProblem(malformed.Line, null, malformed.Message, null)]);
                    }

                    if (next is null)
                    {
                        break;
                    }

                    sending = next;
                    answer = SendAsync(client, next, cancellationToken);
                }
            }
            finally
            {
                if (answer is not null)
                {
                    // Interrupted while a batch was on the wire: let it settle so nothing runs on after us.
                    await Task.WhenAny(answer);
                }
            }

            _totals = _totals with { LinesRead = reader.Line };
            ImportCheckpoint.Delete(file.FullName);
            return Finish(ImportExit.Completed, $"Imported {file.Name}: every fact is acknowledged.");
        }
        catch (AccessException e)
        {
            return Finish(ImportExit.Usage, Sentence(e.Message));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Finish(ImportExit.Interrupted, lastAcknowledgedLine > 0
                ? $"Interrupted: lines 1 to {lastAcknowledgedLine:N0} are acknowledged; run the same command again to go on from there."
                : "Interrupted before any batch was acknowledged.");
        }
        catch (IOException e)
        {
            return Finish(ImportExit.Usage, $"Cannot read {file.Name}: {e.Message}");
        }
    }

    /// <summary>Skips what a matching checkpoint says was acknowledged, and says so.</summary>
    private async Task ResumeAsync(FactFileReader reader, FileInfo file, CancellationToken cancellationToken)
    {
        if (ImportCheckpoint.Load(file.FullName) is not { } checkpoint)
        {
            return;
        }

        var name = Path.GetFileName(ImportCheckpoint.PathFor(file.FullName));
        if (options.Restart)
        {
            progress.Note($"--restart: ignoring {name}; every line is sent (lines stored before count as duplicates).");
            return;
        }

        if (!checkpoint.Matches(file, options.Url.AbsoluteUri, options.ClientId))
        {
            progress.Note($"{name} is for another version of the file, another host or another client: starting from line 1 (lines stored before count as duplicates).");
            return;
        }

        var facts = await reader.SkipThroughLineAsync(checkpoint.LinesAcknowledged, cancellationToken);
        _totals = _totals with { LinesRead = reader.Line, LinesSkipped = reader.Line, FactsSkipped = facts };
        progress.Note($"Resuming: lines 1 to {reader.Line:N0} ({facts:N0} facts) were acknowledged by an earlier run ({name}); sending the rest. --restart sends everything.");
        progress.Advanced(_totals, reader.BytesRead);
    }

    /// <summary>Reads up to a batch of facts and writes them straight into the request body; null at the end of the file.</summary>
    private async Task<Batch?> ReadBatchAsync(FactFileReader reader, int number, CancellationToken cancellationToken)
    {
        var lines = new List<long>(Math.Min(options.BatchSize, 1024));
        var body = new ArrayBufferWriter<byte>(64 * 1024);
        await using var json = new Utf8JsonWriter(body);
        json.WriteStartObject();
        json.WriteString("query", GovernanceClient.IngestMutation);
        json.WriteStartObject("variables");
        json.WriteStartObject("input");
        json.WriteStartArray("facts");
        var lastLine = 0L;
        while (lines.Count < options.BatchSize && json.BytesPending + json.BytesCommitted < options.MaxBatchBytes
            && await reader.ReadAsync(cancellationToken) is { } fact)
        {
            json.WriteRawValue(fact.Json, skipInputValidation: true);
            lines.Add(fact.FirstLine);
            lastLine = fact.LastLine;
            if (lines.Count % ProgressEvery == 0)
            {
                progress.Advanced(_totals with { LinesRead = reader.Line }, reader.BytesRead);
            }
        }

        if (lines.Count == 0)
        {
            return null;
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
        _totals = _totals with { LinesRead = reader.Line };
        return new Batch(number, lines, lastLine, body.WrittenSpan.ToArray());
    }

    private Task<BatchAnswer> SendAsync(GovernanceClient client, Batch batch, CancellationToken cancellationToken) =>
        WithRetriesAsync(batch.Number, async () =>
        {
            var token = await client.TokenAsync(renew: false, cancellationToken);
            var answer = await client.IngestAsync(batch.Body, token, cancellationToken);
            if (answer is BatchAnswer.Unauthorized)
            {
                // Expired early or the host's keys changed: one new token, one more try.
                token = await client.TokenAsync(renew: true, cancellationToken);
                answer = await client.IngestAsync(batch.Body, token, cancellationToken);
                if (answer is BatchAnswer.Unauthorized)
                {
                    throw new AccessException($"{options.Url} does not accept the tokens its own token endpoint issues");
                }
            }

            return answer;
        }, cancellationToken)!;

    /// <summary>
    /// Runs <paramref name="attempt"/> until it gives an answer other than <see cref="BatchAnswer.Failed"/>, waiting
    /// <see cref="ImportOptions.RetryDelays"/> between tries; the last failure if it never does.
    /// Sending a batch again is always safe: the server counts facts it already holds as duplicates.
    /// </summary>
    private async Task<BatchAnswer?> WithRetriesAsync(int batch, Func<Task<BatchAnswer?>> attempt, CancellationToken cancellationToken)
    {
        for (var tries = 1; ; tries++)
        {
            string reason;
            try
            {
                var answer = await attempt();
                if (answer is not BatchAnswer.Failed failed)
                {
                    return answer;
                }

                reason = failed.Reason;
            }
            catch (Exception e) when (e is HttpRequestException or TransientException or IOException
                                      || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                reason = e is TaskCanceledException ? $"no answer within {http.Timeout.TotalSeconds:N0} s" : e.Message;
            }

            if (tries > options.RetryDelays.Count)
            {
                return new BatchAnswer.Failed($"{reason} (after {tries} attempts)");
            }

            var delay = options.RetryDelays[tries - 1];
            progress.Retrying(batch, tries, delay, reason);
            await Task.Delay(delay, _time, cancellationToken);
        }
    }

    /// <summary>Books an answer: totals and checkpoint when stored; the reason to stop otherwise.</summary>
    private Stop? Acknowledge(Batch batch, BatchAnswer answer, FileInfo file)
    {
        switch (answer)
        {
            case BatchAnswer.Stored stored:
                _totals = _totals with
                {
                    FactsSent = _totals.FactsSent + batch.FirstLines.Count,
                    Accepted = _totals.Accepted + stored.Accepted,
                    Duplicates = _totals.Duplicates + stored.Duplicates,
                    Late = _totals.Late + stored.Late,
                    Batches = _totals.Batches + 1,
                };
                new ImportCheckpoint
                {
                    Length = file.Length,
                    LastWriteTimeUtc = file.LastWriteTimeUtc,
                    LinesAcknowledged = batch.LastLine,
                    FactsAcknowledged = _totals.FactsSkipped + _totals.FactsSent,
                    Url = options.Url.AbsoluteUri,
                    ClientId = options.ClientId,
                    UpdatedAt = _time.GetUtcNow(),
                }.Save(file.FullName);
                return null;

            case BatchAnswer.Rejected rejected:
                var problems = rejected.Errors.Select(e => ToProblem(batch, e)).ToList();
                return new Stop(ImportExit.Rejected,
                    $"Batch {batch.Number} (lines {batch.FirstLines[0]:N0} to {batch.LastLine:N0}) was rejected; nothing of it was stored."
                    + (problems.Count >= 100 ? " The server reports at most 100 errors per batch." : ""),
                    problems);

            case BatchAnswer.Refused refused:
                return new Stop(ImportExit.Usage, $"The server refused batch {batch.Number}: {Sentence(refused.Reason)}", []);

            case BatchAnswer.Failed failed:
                return new Stop(ImportExit.Unreachable,
                    $"Batch {batch.Number} (lines {batch.FirstLines[0]:N0} to {batch.LastLine:N0}) got no answer: {Sentence(failed.Reason)}"
                    + " It may or may not be stored: run the same command again, facts already stored count as duplicates.",
                    []);

            default:
                throw new InvalidOperationException($"Unexpected answer {answer}.");
        }
    }

    private static ImportProblem ToProblem(Batch batch, ServerError error)
    {
        long? LineOf(int index) => index >= 0 && index < batch.FirstLines.Count ? batch.FirstLines[index] : null;

        var line = error.Index is { } index ? LineOf(index) : null;
        var field = error.Field is null ? null : ErrorPaths.FactIndex(error.Field) is null ? error.Field : ErrorPaths.WithinFact(error.Field);
        var message = ErrorPaths.Explain(error.Message, error.Field, i => LineOf(i) is { } other ? $"line {other}" : null);
        return new ImportProblem(line, field, message, error.Code);
    }

    private static string Sentence(string text) => text.EndsWith('.') ? text : text + ".";

    private sealed record Batch(int Number, IReadOnlyList<long> FirstLines, long LastLine, byte[] Body);

    private sealed record Stop(ImportExit Exit, string Message, IReadOnlyList<ImportProblem> Problems);
}
