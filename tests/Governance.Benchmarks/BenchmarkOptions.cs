using System.Globalization;

namespace Governance.Benchmarks;

/// <summary>The command line. Every option has a default; the defaults are the full run of docs/performance.md.</summary>
public sealed class BenchmarkOptions
{
    public const int FullAccounts = 10_000;
    public const int FullMonths = 24;
    public const long FullFacts = 5_000_000;

    public int Accounts { get; private set; } = FullAccounts;

    public int Months { get; private set; } = FullMonths;

    public long Facts { get; private set; } = FullFacts;

    public int Batch { get; private set; } = 10_000;

    /// <summary>Concurrent GraphQL writers.</summary>
    public int Writers { get; private set; } = 2;

    /// <summary>
    /// Tenants of the second GraphQL pass. One tenant's batches take turns under its advisory lock, so a
    /// second pass spreads the same facts over this many tenants. 1 skips that pass.
    /// </summary>
    public int Tenants { get; private set; } = 2;

    public int Seed { get; private set; } = 20261122;

    /// <summary>Executives owning the synthetic accounts; fewer executives make bigger portfolios.</summary>
    public int Executives { get; private set; } = Synthetic.SyntheticTenant.DefaultExecutives;

    /// <summary>Measured grain reads of the portfolio metrics (after a warm-up).</summary>
    public int PortfolioIterations { get; private set; } = 2_000;

    /// <summary>Measured runs of the SQL that computes the same portfolio metrics (after a warm-up).</summary>
    public int SqlIterations { get; private set; } = 20;

    /// <summary>First month of the data; by default the data ends with the month before the current one.</summary>
    public DateOnly Start { get; private set; }

    public string ConnectionString { get; private set; } = Environment.GetEnvironmentVariable("GOVERNANCE_DB") ?? "";

    /// <summary>Governance.Cli.dll for the bulk import figure; not measured without it.</summary>
    public string? Cli { get; private set; }

    public string? HostDll { get; private set; }

    /// <summary>Account grains of the in-process memory measurement; 0 = every account.</summary>
    public int MemoryAccounts { get; private set; }

    /// <summary>Concurrent account(id) queries when activating every account.</summary>
    public int QueryConcurrency { get; private set; } = 16;

    public string? Docs { get; private set; }

    public bool WriteDocs { get; private set; } = true;

    public bool KeepDatabases { get; private set; }

    public string? WorkDirectory { get; private set; }

    /// <summary>A file that receives every line the hosts write (JSON logs), for looking into a figure afterwards.</summary>
    public string? HostLog { get; private set; }

    public bool SkipCopy { get; private set; }

    public bool SkipStore { get; private set; }

    public bool SkipGraphQL { get; private set; }

    public bool SkipMemory { get; private set; }

    public bool SkipRecovery { get; private set; }

    public bool SkipPortfolio { get; private set; }

    /// <summary>
    /// A run that skips a step measures only part of docs/performance.md: it rewrites only the portfolio
    /// metrics section and leaves the earlier figures of the page as they are.
    /// </summary>
    public bool SkipsSteps => SkipCopy || SkipStore || SkipGraphQL || SkipMemory || SkipRecovery || SkipPortfolio;

    public bool Help { get; private set; }

    /// <summary>Runs only the anomaly detector over synthetic series (no database, no host).</summary>
    public bool Anomalies { get; private set; }

    public int AnomalySeries { get; private set; } = 100_000;

    public int AnomalyPoints { get; private set; } = 36;

    /// <summary>The arguments as given, for the report's "command" line.</summary>
    public IReadOnlyList<string> Arguments { get; private set; } = [];

    /// <summary>True when the run uses the full data set; anything smaller is reported as a smoke run.</summary>
    public bool IsFullRun => Accounts >= FullAccounts && Months >= FullMonths && Facts >= FullFacts;

    public int MemoryAccountCount => MemoryAccounts <= 0 ? Accounts : Math.Min(MemoryAccounts, Accounts);

    public const string Usage = """
        Governance ingest benchmark (docs/performance.md). Options, with defaults:
          --accounts 10000        accounts of the synthetic tenant
          --months 24             months of history
          --facts 5000000         facts in total (about 70 % usage.recorded)
          --batch 10000           facts per ingestFacts call, COPY statement and import batch
          --writers 2             concurrent GraphQL writers
          --tenants 2             tenants of the second GraphQL pass (1 = only the one-tenant pass)
          --seed 20261122         seed of the generator
          --executives 50         executives owning the accounts (5 makes portfolios of ~2,000 accounts)
          --start yyyy-MM         first month (default: so that the data ends last month)
          --connection CS         PostgreSQL server (default: GOVERNANCE_DB); databases are created and dropped
          --cli PATH              Governance.Cli.dll: also measure the bulk import
          --host-dll PATH         Governance.Api.dll (default: src/Governance.Api/bin/Release/net10.0)
          --memory-accounts N     account grains in the in-process memory measurement (default: all)
          --query-concurrency 16  concurrent account(id) queries when activating accounts
          --docs PATH             where to write the report (default: docs/performance.md)
          --no-docs               print only
          --keep-databases        do not drop the databases at the end
          --work-dir DIR          where the JSONL file goes (default: a temporary folder)
          --host-log FILE         append everything the hosts log to FILE
          --portfolio-iterations 2000  measured grain reads of the portfolio metrics
          --sql-iterations 20     measured runs of the SQL computing the same metrics
          --anomalies             only the anomaly detector: --anomaly-series 100000 series of --anomaly-points 36
                                  months, naive baseline vs detector (no database needed, nothing written)
          --skip-copy --skip-store --skip-graphql --skip-memory --skip-recovery --skip-portfolio
                                  with any of these, only the portfolio metrics section of --docs is rewritten
        """;

    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions { Arguments = args };
        string? start = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int Int() => int.Parse(Value(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
            switch (name)
            {
                case "--accounts": options.Accounts = Int(); break;
                case "--months": options.Months = Int(); break;
                case "--facts": options.Facts = long.Parse(Value(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture); break;
                case "--batch": options.Batch = Int(); break;
                case "--writers": options.Writers = Int(); break;
                case "--tenants": options.Tenants = Int(); break;
                case "--seed": options.Seed = Int(); break;
                case "--executives": options.Executives = Int(); break;
                case "--portfolio-iterations": options.PortfolioIterations = Int(); break;
                case "--sql-iterations": options.SqlIterations = Int(); break;
                case "--start": start = Value(); break;
                case "--connection": options.ConnectionString = Value(); break;
                case "--cli": options.Cli = Path.GetFullPath(Value()); break;
                case "--host-dll": options.HostDll = Path.GetFullPath(Value()); break;
                case "--memory-accounts": options.MemoryAccounts = Int(); break;
                case "--query-concurrency": options.QueryConcurrency = Int(); break;
                case "--docs": options.Docs = Path.GetFullPath(Value()); break;
                case "--no-docs": options.WriteDocs = false; break;
                case "--keep-databases": options.KeepDatabases = true; break;
                case "--work-dir": options.WorkDirectory = Path.GetFullPath(Value()); break;
                case "--host-log": options.HostLog = Path.GetFullPath(Value()); break;
                case "--skip-copy": options.SkipCopy = true; break;
                case "--skip-store": options.SkipStore = true; break;
                case "--skip-graphql": options.SkipGraphQL = true; break;
                case "--skip-memory": options.SkipMemory = true; break;
                case "--skip-recovery": options.SkipRecovery = true; break;
                case "--skip-portfolio": options.SkipPortfolio = true; break;
                case "--anomalies": options.Anomalies = true; break;
                case "--anomaly-series": options.AnomalySeries = Int(); break;
                case "--anomaly-points": options.AnomalyPoints = Int(); break;
                case "--help" or "-h": options.Help = true; break;
                default: throw new ArgumentException($"Unknown option {name}.\n{Usage}");
            }
        }

        var thisMonth = DateTime.UtcNow;
        var latestStart = new DateOnly(thisMonth.Year, thisMonth.Month, 1).AddMonths(-options.Months);
        options.Start = start is null
            ? latestStart
            : DateOnly.ParseExact(start + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (options.Start > latestStart)
        {
            throw new ArgumentException($"--start {start} with --months {options.Months} reaches into the current month; facts must not be in the future.");
        }

        if (options.Accounts < 1 || options.Months < 1 || options.Facts < options.Accounts || options.Batch is < 1 or > 10_000
            || options.Writers < 1 || options.Tenants < 1 || options.Tenants > options.Accounts || options.QueryConcurrency < 1
            || options.Executives is < 1 or > 99 || options.PortfolioIterations < 1 || options.SqlIterations < 1)
        {
            throw new ArgumentException($"Out of range: accounts ≥ 1, months ≥ 1, facts ≥ accounts, batch 1–10000, writers ≥ 1, 1 ≤ tenants ≤ accounts, executives 1–99, iterations ≥ 1.\n{Usage}");
        }

        if (options.AnomalySeries < 1 || options.AnomalyPoints is < 1 or > 1_000)
        {
            throw new ArgumentException($"Out of range: anomaly series ≥ 1, anomaly points 1–1000.\n{Usage}");
        }

        if (!options.Help && !options.Anomalies && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("No PostgreSQL server: set GOVERNANCE_DB or pass --connection.");
        }

        return options;
    }
}
