using Governance.Benchmarks.Steps;

namespace Governance.Benchmarks.Reporting;

/// <summary>Everything one run measured; a step that did not run or failed leaves its figure null.</summary>
public sealed class BenchmarkResults
{
    public const double GraphQLTarget = 100_000;
    public const double GraphQLShareOfCopy = 0.20;
    public const double ImportShareOfCopy = 0.50;
    public const double GrainBytesTarget = 4 * 1024;

    public required BenchmarkOptions Options { get; init; }

    public required MachineInfo Machine { get; init; }

    public required string Command { get; init; }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public TimeSpan Duration { get; set; }

    public DataSetSummary? Data { get; set; }

    public CopyResult? CopyBare { get; set; }

    public CopyResult? CopyIndexed { get; set; }

    public StoreAppendResult? Store { get; set; }

    public IngestResult? OneTenant { get; set; }

    public IngestResult? ManyTenants { get; set; }

    public ImportResult? Import { get; set; }

    public string ImportNote { get; set; } = "not measured: no --cli given";

    public MemoryResult? Memory { get; set; }

    public ActivationResult? AfterIngest { get; set; }

    public ActivationResult? RestartWithSnapshots { get; set; }

    public ActivationResult? RestartWithoutSnapshots { get; set; }

    public int SnapshotsDeleted { get; set; }

    public PortfolioMetricsResult? Portfolio { get; set; }

    public string PortfolioNote { get; set; } = "not measured";

    public List<string> Failures { get; } = [];

    public double? CopyRate => CopyBare?.RowsPerSecond;
}
