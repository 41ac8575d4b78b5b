namespace Governance.Cli.Import;

/// <summary>Exit codes of <c>governance import</c>.</summary>
public enum ImportExit
{
    /// <summary>Every fact of the file is acknowledged (stored now or before).</summary>
    Completed = 0,

    /// <summary>Nothing could start or go on: bad options, unreadable file, credentials or roles refused.</summary>
    Usage = 1,

    /// <summary>A batch was rejected for its content (by the server or because the file is malformed); nothing of it was stored.</summary>
    Rejected = 2,

    /// <summary>The server could not be reached or kept failing after the retries.</summary>
    Unreachable = 3,

    /// <summary>Stopped by the user (Ctrl+C); run again to resume.</summary>
    Interrupted = 130,
}

/// <summary>The counters of an import so far; a new instance at every change.</summary>
public sealed record ImportTotals
{
    /// <summary>The last file line reached (skipped lines included).</summary>
    public long LinesRead { get; init; }

    /// <summary>Lines a matching checkpoint said were acknowledged, not sent again.</summary>
    public long LinesSkipped { get; init; }

    /// <summary>Facts on the skipped lines.</summary>
    public long FactsSkipped { get; init; }

    /// <summary>Facts this run sent that the server acknowledged.</summary>
    public long FactsSent { get; init; }

    public long Accepted { get; init; }

    public long Duplicates { get; init; }

    public long Late { get; init; }

    /// <summary>Batches the server acknowledged.</summary>
    public int Batches { get; init; }
}

/// <summary>One reason a batch was refused, located in the file where it can be.</summary>
public sealed record ImportProblem(long? Line, string? Field, string Message, string? Code)
{
    public override string ToString() =>
        $"{(Line is { } line ? $"line {line}" : "batch")}: {(string.IsNullOrEmpty(Field) ? "" : Field + ": ")}{Message}{(Code is null ? "" : $" [{Code}]")}";
}

public sealed record ImportResult(ImportExit Exit, ImportTotals Totals, TimeSpan Elapsed, string Message, IReadOnlyList<ImportProblem> Problems)
{
    public double FactsPerSecond => Elapsed > TimeSpan.Zero ? Totals.FactsSent / Elapsed.TotalSeconds : 0;
}

/// <summary>Where an import reports as it goes (the console's progress bar, or a test).</summary>
public interface IImportProgress
{
    void Started(string file, long length, FactFileFormat format);

    void Note(string message);

    void Advanced(ImportTotals totals, long bytesRead);

    void Retrying(int batch, int attempt, TimeSpan delay, string reason);
}

/// <summary>A server answer the import cannot go on after (not a transport failure).</summary>
public sealed class AccessException(string message) : Exception(message);

/// <summary>A failure worth another attempt.</summary>
public sealed class TransientException(string message) : Exception(message);
