using System.Diagnostics;
using System.Globalization;
using Governance.Benchmarks;
using Governance.Benchmarks.Infrastructure;
using Governance.Benchmarks.Reporting;
using Governance.Benchmarks.Steps;
using Governance.Benchmarks.Synthetic;

// The ingest benchmark of docs/performance.md: every figure in one run, side by side with the COPY
// baselines measured in that same run. Each step prints a line as it ends; a failed step is reported
// and the steps that do not depend on it still run.

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(BenchmarkOptions.Usage);
    return 0;
}

var repository = RepositoryRoot();
if (options.Anomalies)
{
    var (exitCode, section) = AnomalyDetection.Run(options);
    if (options.WriteDocs && exitCode == 0)
    {
        var docs = options.Docs ?? Path.Combine(repository, "docs", "performance.md");
        var existing = File.Exists(docs) ? await File.ReadAllTextAsync(docs) : "# Performance\n";
        await File.WriteAllTextAsync(docs, PerformanceReport.MergeSection(existing, PerformanceReport.AnomalyHeading, section));
        Console.WriteLine($"wrote the anomaly detection section of {docs}");
    }

    return exitCode;
}
var hostDll = options.HostDll ?? Path.Combine(repository, "src", "Governance.Api", "bin", "Release", "net10.0", "Governance.Api.dll");
if (!options.SkipGraphQL && !File.Exists(hostDll))
{
    Console.Error.WriteLine($"{hostDll} is missing: run `dotnet build -c Release Governance.sln` first, or pass --host-dll.");
    return 2;
}

var results = new BenchmarkResults
{
    Options = options,
    Machine = await MachineInfo.ReadAsync(options.ConnectionString),
    Command = CommandLine(options),
};
var clock = Stopwatch.StartNew();
var workDirectory = options.WorkDirectory ?? Directory.CreateTempSubdirectory("governance-bench-").FullName;
Directory.CreateDirectory(workDirectory);
using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops after the current step, so the finally blocks kill the hosts and drop the databases.
    if (!interrupted.IsCancellationRequested)
    {
        e.Cancel = true;
        interrupted.Cancel();
        Console.Error.WriteLine("Stopping after this step; Ctrl+C again stops now and leaves hosts and gov_bench_* databases behind.");
    }
};

Say($"Governance ingest benchmark: {options.Accounts:N0} accounts, {options.Months} months from {options.Start:yyyy-MM}, {options.Facts:N0} facts, {options.Executives} executives, batches of {options.Batch:N0}, {options.Writers} writers, {options.Tenants} tenants{(options.IsFullRun ? "" : " (smoke run)")}{(options.SkipsSteps ? "; steps skipped: only the portfolio metrics section of the report is rewritten" : "")}");
Say($"machine: {results.Machine.Cpu}, {results.Machine.Cores} cores, {results.Machine.MemoryBytes / (1L << 30)} GiB, load {results.Machine.LoadAtStart}; {results.Machine.Runtime}; {results.Machine.PostgreSql.Split(" on ")[0]}");

try
{
    // 1. The data set.
    var profiling = Stopwatch.StartNew();
    var tenant = new SyntheticTenant(options.Accounts, options.Months, options.Facts, options.Start, options.Seed, options.Executives);
    Say($"1. tenant profiled in {PerformanceReport.Seconds(profiling.Elapsed)}; {tenant.TotalFacts:N0} facts");
    var data = GenerateStep.Run(tenant, Path.Combine(workDirectory, "facts.jsonl"));
    results.Data = data;
    Say($"1. generated {data.Facts:N0} facts, {PerformanceReport.Size(data.Bytes)} of JSON lines in {PerformanceReport.Seconds(data.Total)} " +
        $"({data.Facts / data.Total.TotalSeconds:N0} facts/s; JSON {data.Serialization.TotalMilliseconds * 1000 / data.Facts:F2} µs/fact); " +
        string.Join(", ", data.Kinds.OrderByDescending(k => k.Value).Select(k => $"{Governance.Domain.Facts.FactKinds.WireName(k.Key)} {100.0 * k.Value / data.Facts:F1} %")));

    // 2. Baselines, then the store alone, each in a scratch database made by the real migrations. The store
    // gets a fresh one: a tenant unknown to the statistics of a big facts table gets catastrophic plans.
    if (!options.SkipCopy)
    {
        await Step("2. COPY baselines", async () =>
        {
            await using var scratch = await ScratchDatabase.CreateAsync(options.ConnectionString, "copy", migrate: true, options.KeepDatabases);
            await CopyBaseline.WarmUpAsync(scratch, tenant, options.Batch);
            await CopyBaseline.CreateBareTableAsync(scratch, "facts_bare");
            results.CopyBare = await CopyBaseline.RunAsync(scratch, tenant, options.Batch, "facts_bare");
            Say($"2. COPY into a bare table: {results.CopyBare.RowsPerSecond:N0} rows/s ({results.CopyBare.Rows:N0} rows, {PerformanceReport.Seconds(results.CopyBare.CopyTime)} of COPY)");
            results.CopyIndexed = await CopyBaseline.RunAsync(scratch, tenant, options.Batch, "facts");
            Say($"2. COPY into facts with its indexes: {results.CopyIndexed.RowsPerSecond:N0} rows/s ({PerformanceReport.Seconds(results.CopyIndexed.CopyTime)})");
        });
    }

    if (!options.SkipStore)
    {
        await Step("2. store append", async () =>
        {
            await using var scratch = await ScratchDatabase.CreateAsync(options.ConnectionString, "store", migrate: true, options.KeepDatabases);
            results.Store = await StoreAppend.RunAsync(scratch, tenant, options.Batch);
            Say($"2. FactStore append alone: {results.Store.FactsPerSecond:N0} facts/s ({PerformanceReport.Seconds(results.Store.AppendTime)} under the lock)");
        });
    }

    // 3–6. Each ingest measurement gets a database and a host of its own, and hosts never run side by side
    // (an idle host keeps its pooled connections, and a new one activating thousands of grains opens up to
    // its pool sizes: together they exhaust max_connections). A tenant that arrives in a facts table whose
    // statistics know only other tenants also gets catastrophic plans (see the report), and every pass should
    // start from the same empty table anyway. The one-tenant pass goes last because the host-side activation
    // and the recovery continue on its database.
    if (!options.SkipGraphQL)
    {
        if (options.Tenants > 1)
        {
            await Step($"3. GraphQL, {options.Tenants} tenants", () => WithFreshHostAsync("many", async (other, otherDatabase) =>
            {
                var many = await CreateTenantsAsync(other, [.. Enumerable.Range(1, options.Tenants).Select(t => $"bench-many-{t}")]);
                results.ManyTenants = await GraphQLIngest.RunAsync(other, many, data, options.Batch, options.Writers, $"{options.Tenants} tenants", otherDatabase);
                Say($"3. GraphQL, {options.Tenants} tenants, {options.Writers} writers: {results.ManyTenants.FactsPerSecond:N0} facts/s ({results.ManyTenants.StoredFacts:N0} stored, {PerformanceReport.Seconds(results.ManyTenants.Wall)}; {Lock(results.ManyTenants)})");
            }));
        }

        // 4. The bulk import, when there is a CLI to run.
        if (options.Cli is { } cli)
        {
            await Step("4. bulk import", () => WithFreshHostAsync("import", async (other, otherDatabase) =>
            {
                if (!File.Exists(cli))
                {
                    throw new FileNotFoundException($"--cli {cli} does not exist.");
                }

                var importTenant = (await CreateTenantsAsync(other, ["bench-import"]))[0];
                results.Import = await BulkImport.RunAsync(cli, other, importTenant, data, options.Batch, otherDatabase);
                Say($"4. bulk import: {results.Import.FactsPerSecond:N0} facts/s ({results.Import.StoredFacts:N0} stored in {PerformanceReport.Seconds(results.Import.Wall)}, exit code {results.Import.ExitCode})");
                if (results.Import.ExitCode != 0)
                {
                    Say(results.Import.OutputTail);
                }
            }));
        }
        else
        {
            Say("4. bulk import: not measured (no --cli)");
        }

        await using var database = await ScratchDatabase.CreateAsync(options.ConnectionString, "host", migrate: false, options.KeepDatabases);
        var dataDirectory = Path.Combine(workDirectory, "host-data");
        HostProcess? host = null;
        try
        {
            host = await HostProcess.StartAsync(hostDll, database.ConnectionString, dataDirectory, $"bench-{Guid.NewGuid():N}", options.HostLog);
            Say($"3. host started in {PerformanceReport.Seconds(host.StartupTime)} (pid {host.ProcessId}, {host.BaseAddress})");
            var one = await CreateTenantsAsync(host, ["bench-one"]);

            await Step("3. GraphQL, one tenant", async () =>
            {
                results.OneTenant = await GraphQLIngest.RunAsync(host, one, data, options.Batch, options.Writers, "one tenant", database);
                Say($"3. GraphQL, one tenant, {options.Writers} writers: {results.OneTenant.FactsPerSecond:N0} facts/s ({results.OneTenant.Facts:N0} acknowledged, {results.OneTenant.StoredFacts:N0} stored, {PerformanceReport.Seconds(results.OneTenant.Wall)}; {Lock(results.OneTenant)})");
            });

            // The grains snapshot up to 30 s after their first unsnapshotted fact; let that happen before anything else is measured.
            await Task.Delay(Governance.Grains.Accounts.AccountGrain.SnapshotAfter + TimeSpan.FromSeconds(2));
            await host.WaitUntilIdleAsync(TimeSpan.FromMinutes(3));

            var tenant1 = one[0];
            var tenantFacts = await database.ScalarAsync<long>("select count(*) from facts where tenant_id = $1", tenant1.TenantId);

            // 5. Host side: every account queried on the host that ingested.
            await Step("5. activating every account on the ingesting host", async () =>
            {
                results.AfterIngest = await AccountActivation.RunAsync("the host that ingested", host, tenant1, options.Accounts, options.QueryConcurrency, tenantFacts, null);
                Say($"5. every account queried on the ingesting host in {PerformanceReport.Seconds(results.AfterIngest.Time)}; host RSS {PerformanceReport.Size(results.AfterIngest.ResidentAfter)}");
            });

            // 7. Portfolio metrics from the grains beside SQL over the facts, on the host that ingested,
            // before the memory step loads this process and the recovery kills the host.
            if (!options.SkipPortfolio)
            {
                await Step("7. portfolio metrics", async () =>
                {
                    results.Portfolio = await PortfolioMetrics.RunAsync(host, database, tenant1.TenantId, options.Start, options.Months, options.Executives,
                        options.PortfolioIterations, options.SqlIterations, Say);
                    var p = results.Portfolio;
                    Say($"7. {p.Quarter} of {p.ExecutiveId} ({p.PortfolioAccounts:N0} accounts): grains p50 {p.GrainP50:F3} ms, p99 {p.GrainP99:F3} ms; SQL p50 {p.SqlP50:N0} ms, p99 {p.SqlP99:N0} ms; " +
                        $"{p.SpeedUpP50:N0}× faster at p50, {p.SpeedUpP99:N0}× at p99; {(p.Agree ? "both sides agree" : "THE SIDES DISAGREE")}");
                    if (!p.Agree)
                    {
                        throw new InvalidOperationException($"The grains and the SQL disagree on {p.Quarter} of {p.ExecutiveId}: {string.Join("; ", p.Mismatches)}\n{string.Join("\n", p.Diagnosis)}");
                    }
                });
            }
            else
            {
                results.PortfolioNote = "not measured: --skip-portfolio";
            }

            if (!options.SkipMemory)
            {
                await RunMemoryStep();
            }

            // 6. Recovery: kill, restart on a new cluster id, activate everything; then again without snapshots.
            if (!options.SkipRecovery)
            {
                await Step("6. recovery with snapshots", async () =>
                {
                    await host.KillAsync();
                    await host.DisposeAsync();
                    host = await HostProcess.StartAsync(hostDll, database.ConnectionString, dataDirectory, $"bench-{Guid.NewGuid():N}", options.HostLog);
                    results.RestartWithSnapshots = await AccountActivation.RunAsync("restarted, snapshots as left", host, tenant1, options.Accounts, options.QueryConcurrency, tenantFacts, host.StartupTime);
                    var r = results.RestartWithSnapshots;
                    Say($"6. after kill and restart ({PerformanceReport.Seconds(host.StartupTime)} to ready): every account active in {PerformanceReport.Seconds(r.Time)}, {r.ReplayedFacts:N0} facts replayed by {r.ReplayingAccounts:N0} accounts{Retries(r)}");
                });

                await Step("6. recovery without snapshots", async () =>
                {
                    await host.KillAsync();
                    await host.DisposeAsync();
                    results.SnapshotsDeleted = await database.ExecuteAsync(
                        "delete from orleansstorage where graintypestring = 'account' and grainidextensionstring like $1", $"{tenant1.TenantId}/%");
                    host = await HostProcess.StartAsync(hostDll, database.ConnectionString, dataDirectory, $"bench-{Guid.NewGuid():N}", options.HostLog);
                    results.RestartWithoutSnapshots = await AccountActivation.RunAsync("restarted, no snapshots", host, tenant1, options.Accounts, options.QueryConcurrency, tenantFacts, host.StartupTime);
                    var r = results.RestartWithoutSnapshots;
                    Say($"6. without snapshots ({results.SnapshotsDeleted:N0} deleted): every account active in {PerformanceReport.Seconds(r.Time)}, {r.ReplayedFacts:N0} facts replayed: {r.ReplayedFactsPerSecond:N0} facts/s{Retries(r)}");
                });
            }

            if (host.ErrorLines > 0)
            {
                Say($"The last host logged {host.ErrorLines} error lines, the first of them:\n{host.Errors()}");
            }
        }
        finally
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }
        }
    }
    else
    {
        results.PortfolioNote = "not measured: it reads the grains and facts of the one-tenant GraphQL pass (--skip-graphql)";
        if (!options.SkipMemory)
        {
            await RunMemoryStep();
        }
    }

    async Task<List<TenantClient>> CreateTenantsAsync(HostProcess on, IReadOnlyList<string> tenantIds)
    {
        var client = new GovernanceClient(on.Http);
        var platform = await client.GetTokenAsync(HostProcess.PlatformClientId, HostProcess.PlatformSecret);
        var clients = new List<TenantClient>();
        foreach (var tenantId in tenantIds)
        {
            clients.Add(await client.CreateTenantAsync(platform, tenantId));
        }

        return clients;
    }

    async Task WithFreshHostAsync(string purpose, Func<HostProcess, ScratchDatabase, Task> measure)
    {
        await using var otherDatabase = await ScratchDatabase.CreateAsync(options.ConnectionString, purpose, migrate: false, options.KeepDatabases);
        await using var other = await HostProcess.StartAsync(hostDll, otherDatabase.ConnectionString, Path.Combine(workDirectory, $"host-data-{purpose}"), $"bench-{Guid.NewGuid():N}", options.HostLog);
        await measure(other, otherDatabase);
        if (other.ErrorLines > 0)
        {
            Say($"The {purpose} host logged {other.ErrorLines} error lines, the first of them:\n{other.Errors()}");
        }
    }

    async Task RunMemoryStep() => await Step("5. grain memory in process", async () =>
    {
        results.Memory = await GrainMemory.RunAsync(tenant, options.MemoryAccountCount);
        var m = results.Memory;
        Say($"5. memory per active account grain: {m.AccountGrainBytes:N0} B (empty grain {m.EmptyGrainBytes:N0} B, roll-up grains {m.RollupBytesPerAccount:N0} B per account, ledger alone {m.Ledger.Bytes:N0} B); applied {m.Facts:N0} facts at {m.ApplyFactsPerSecond:N0} facts/s");
    });
}
finally
{
    if (options.WorkDirectory is null)
    {
        Directory.Delete(workDirectory, recursive: true);
    }
}

results.Duration = clock.Elapsed;
results.Machine.LoadAtEnd = MachineInfo.Load();
Console.WriteLine();
Console.WriteLine(PerformanceReport.Table(results));
if (options.WriteDocs)
{
    var docs = options.Docs ?? Path.Combine(repository, "docs", "performance.md");
    if (options.SkipsSteps)
    {
        // A partial run keeps the page's earlier figures and rewrites only what it measured.
        var existing = File.Exists(docs) ? await File.ReadAllTextAsync(docs) : "";
        await File.WriteAllTextAsync(docs, PerformanceReport.MergePortfolio(existing, results));
        Say($"wrote the portfolio metrics section of {docs}");
    }
    else
    {
        // The anomaly detection section comes from its own mode (--anomalies): a full run keeps it.
        var existing = File.Exists(docs) ? await File.ReadAllTextAsync(docs) : "";
        await File.WriteAllTextAsync(docs, PerformanceReport.KeepSection(existing, PerformanceReport.Markdown(results), PerformanceReport.AnomalyHeading));
        Say($"wrote {docs}");
    }
}

return results.Failures.Count == 0 ? 0 : 1;

async Task Step(string name, Func<Task> step)
{
    interrupted.Token.ThrowIfCancellationRequested();
    try
    {
        await step();
    }
    catch (Exception e) when (e is not OperationCanceledException || !interrupted.IsCancellationRequested)
    {
        results.Failures.Add($"{name}: {e.GetType().Name}: {GovernanceClient.Truncate(e.Message, 600)}");
        Say($"{name} FAILED: {e}");
    }
}

static string Retries(ActivationResult activation) =>
    activation.RetriedQueries == 0 ? "" : $"; {activation.RetriedQueries:N0} queries retried, first error: {activation.FirstError}";

static string Lock(IngestResult pass) =>
    $"lock held per batch p50 {PerformanceReport.Percentile(pass.LockHeldMs, 0.5):N0} ms, max {pass.LockHeldMs.DefaultIfEmpty().Max():N0} ms; server p50 {PerformanceReport.Percentile(pass.ServerMs, 0.5):N0} ms; roll-up rebuilds {pass.RollupRebuilds:N0}";

void Say(string line) => Console.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] {line}");

static string RepositoryRoot()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Governance.sln")))
    {
        directory = directory.Parent;
    }

    return directory?.FullName ?? Directory.GetCurrentDirectory();
}

static string CommandLine(BenchmarkOptions options)
{
    // A connection string may hold a password: the report shows where it went, not what it was.
    var arguments = options.Arguments.Select((a, i) => i > 0 && options.Arguments[i - 1] == "--connection" ? "'…'"
        : a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a);
    var connection = options.Arguments.Contains("--connection") ? "" : "GOVERNANCE_DB=\"…\" ";
    return $"{connection}dotnet run -c Release --project tests/Governance.Benchmarks --{(options.Arguments.Count == 0 ? "" : " " + string.Join(' ', arguments))}".TrimEnd(' ', '-');
}
