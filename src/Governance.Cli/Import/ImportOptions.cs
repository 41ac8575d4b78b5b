namespace Governance.Cli.Import;

/// <summary>What <c>governance import</c> was asked to do.</summary>
public sealed record ImportOptions
{
    /// <summary>The server's limit on facts per <c>ingestFacts</c> call (schema: "1 to 10000 facts").</summary>
    public const int MaxBatchSize = 10_000;

    public const int DefaultBatchSize = 5_000;

    /// <summary>The host, e.g. http://127.0.0.1:5080; the token and GraphQL endpoints are found under it.</summary>
    public required Uri Url { get; init; }

    public required string ClientId { get; init; }

    public required string ClientSecret { get; init; }

    public required string File { get; init; }

    /// <summary>Null: from the file's extension.</summary>
    public FactFileFormat? Format { get; init; }

    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>Ignore the checkpoint of an earlier run and send every line.</summary>
    public bool Restart { get; init; }

    /// <summary>Waits before each new attempt at a batch the server did not answer; one attempt more than there are delays.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; init; } =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)];

    /// <summary>A batch is also cut at this size of request body, below the server's 32 MiB limit.</summary>
    public int MaxBatchBytes { get; init; } = 24 * 1024 * 1024;
}
