using System.Globalization;
using System.Text;
using Governance.Benchmarks.Steps;

namespace Governance.Benchmarks.Reporting;

/// <summary>The results as a markdown table for the console, and as docs/performance.md.</summary>
public static class PerformanceReport
{
    public const string FullRunCommand =
        "GOVERNANCE_DB=\"Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres\" \\\n" +
        "  dotnet run -c Release --project tests/Governance.Benchmarks -- --cli src/Governance.Cli/bin/Release/net10.0/Governance.Cli.dll";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public const string PortfolioHeading = "## Portfolio metrics from the grains vs SQL";

    private const string MethodHeading = "## What each step does";

    /// <summary>The page's first paragraph.</summary>
    private const string Intro =
        "Ingest throughput, grain memory, recovery, and portfolio metrics from the grains against SQL, measured by `tests/Governance.Benchmarks`\n" +
        "(a console program, run by hand, never by CI). Every figure below comes from one run of the command shown, on the machine shown;\n" +
        "the benchmark rewrites this page at the end of each run. A run that skips steps (`--skip-…`) rewrites only the section\n" +
        "\"Portfolio metrics from the grains vs SQL\", which then names its own command, machine and time, and keeps every other figure.";

    /// <summary>The headline table: each figure beside its target.</summary>
    public static string Table(BenchmarkResults r)
    {
        var copy = r.CopyRate;
        var sb = new StringBuilder();
        sb.AppendLine("| figure | measured | target | verdict |");
        sb.AppendLine("|---|---:|---|---|");
        foreach (var pass in new[] { r.OneTenant, r.ManyTenants })
        {
            if (pass is null)
            {
                continue;
            }

            var share = copy is { } c ? pass.FactsPerSecond / c : (double?)null;
            var met = pass.FactsPerSecond >= BenchmarkResults.GraphQLTarget && share >= BenchmarkResults.GraphQLShareOfCopy;
            sb.AppendLine(Invariant, $"| durable facts/s through `ingestFacts` ({Tenants(pass.Tenants)}, {pass.Writers} writers, batches of {r.Options.Batch:N0}) | **{pass.FactsPerSecond:N0}**{Share(share)} | ≥ 100,000 and ≥ 20 % of COPY | {Verdict(met)} |");
        }

        if (r.Import is { } import)
        {
            var share = copy is { } c ? import.FactsPerSecond / c : (double?)null;
            var met = import.ExitCode == 0 && share >= BenchmarkResults.ImportShareOfCopy;
            sb.AppendLine(Invariant, $"| durable facts/s through the bulk import (`Governance.Cli import`) | **{import.FactsPerSecond:N0}**{Share(share)} | ≥ 50 % of COPY | {Verdict(met)}{(import.ExitCode == 0 ? "" : $" (exit code {import.ExitCode})")} |");
        }
        else
        {
            sb.AppendLine(Invariant, $"| durable facts/s through the bulk import | {r.ImportNote} | ≥ 50 % of COPY | — |");
        }

        if (r.Memory is { } memory)
        {
            sb.AppendLine(Invariant, $"| memory per active account grain ({r.Options.Months} months of facts) | **{Bytes(memory.AccountGrainBytes)}** | ≤ 4 KB | {Verdict(memory.AccountGrainBytes <= BenchmarkResults.GrainBytesTarget)} |");
        }

        if (r.RestartWithoutSnapshots is { } cold)
        {
            sb.AppendLine(Invariant, $"| recovery after a kill: replay rate, no snapshots | **{cold.ReplayedFactsPerSecond:N0} facts/s** ({cold.ReplayedFacts:N0} facts, {cold.Accounts:N0} accounts in {Seconds(cold.Time)}) | report | — |");
        }

        if (r.RestartWithSnapshots is { } warm)
        {
            sb.AppendLine(Invariant, $"| recovery after a kill: snapshots as the grains left them | {Seconds(warm.Time)} to activate {warm.Accounts:N0} accounts, {warm.ReplayedFacts:N0} facts replayed | report | — |");
        }

        if (r.Portfolio is { } portfolio)
        {
            PortfolioRows(sb, portfolio);
        }
        else
        {
            sb.AppendLine(Invariant, $"| portfolio NRR, GRR, churn rate and health from the grains, p99 | {r.PortfolioNote} | < 5 ms, ≥ 100× faster than SQL | — |");
        }

        if (r.CopyBare is { } bare)
        {
            sb.AppendLine(Invariant, $"| baseline: COPY into a bare table (same rows, no indexes) | {bare.RowsPerSecond:N0} rows/s | — | the 100 % above |");
        }

        if (r.CopyIndexed is { } indexed)
        {
            sb.AppendLine(Invariant, $"| baseline: COPY into `facts` with its indexes | {indexed.RowsPerSecond:N0} rows/s{Share(copy is { } c2 ? indexed.RowsPerSecond / c2 : null)} | — | — |");
        }

        if (r.Store is { } store)
        {
            sb.AppendLine(Invariant, $"| reference: `FactStore` append alone (lock, staging COPY, checks, insert…select; no GraphQL, no grains) | {store.FactsPerSecond:N0} facts/s{Share(copy is { } c3 ? store.FactsPerSecond / c3 : null)} | — | — |");
        }

        return sb.ToString();
    }

    public static string Markdown(BenchmarkResults r)
    {
        var o = r.Options;
        var m = r.Machine;
        var sb = new StringBuilder();
        sb.AppendLine("# Performance");
        sb.AppendLine();
        sb.AppendLine(Intro);
        sb.AppendLine();
        if (!o.IsFullRun)
        {
            sb.AppendLine(Invariant, $"> **Smoke run, not the full run.** {o.Accounts:N0} accounts, {o.Months} months, {o.Facts:N0} facts instead of");
            sb.AppendLine(Invariant, $"> 10,000 accounts, 24 months and 5,000,000 facts, on a {m.Cores}-core machine that other work was using (load");
            sb.AppendLine(Invariant, $"> average {m.LoadAtStart} at the start, {m.LoadAtEnd} at the end). These figures show that every step works;");
            sb.AppendLine("> they do not decide the targets. The full run is the command under \"How to run\" with no size options.");
            sb.AppendLine();
        }

        sb.AppendLine("## How to run");
        sb.AppendLine();
        sb.AppendLine("```sh");
        sb.AppendLine("dotnet build -c Release Governance.sln");
        sb.AppendLine(FullRunCommand);
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("`GOVERNANCE_DB` names a PostgreSQL server and a database to connect to first; the benchmark creates its own");
        sb.AppendLine("databases (`gov_bench_*`) and drops them at the end (`--keep-databases` keeps them). It starts `Governance.Api.dll`");
        sb.AppendLine("from `src/Governance.Api/bin/Release/net10.0` as a separate process. `--cli` names the bulk import's `Governance.Cli.dll`;");
        sb.AppendLine("without it the bulk import is reported as not measured. `--help` lists the options (sizes, writers, tenants, seed, steps to");
        sb.AppendLine("skip, `--host-log`). The full run writes a JSONL file of about 1 GB to a temporary folder, needs several GB of free space in");
        sb.AppendLine("PostgreSQL and takes tens of minutes. Run it with nothing else on the machine: client, host and PostgreSQL share its cores.");
        sb.AppendLine();
        sb.AppendLine("This run:");
        sb.AppendLine();
        sb.AppendLine("```sh");
        sb.AppendLine(r.Command);
        sb.AppendLine("```");
        sb.AppendLine();

        sb.AppendLine("## Machine");
        sb.AppendLine();
        sb.AppendLine("| | |");
        sb.AppendLine("|---|---|");
        sb.AppendLine(Invariant, $"| CPU | {m.Cpu}, {m.Cores} logical cores (`nproc`) |");
        sb.AppendLine(Invariant, $"| memory | {m.MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB |");
        sb.AppendLine(Invariant, $"| OS | {m.OperatingSystem}, kernel {m.Kernel} |");
        sb.AppendLine(Invariant, $"| .NET | {m.Runtime}, SDK {m.Sdk}; host with server GC, Release build |");
        sb.AppendLine(Invariant, $"| PostgreSQL | {m.PostgreSql}; {m.PostgreSqlSettings}; same machine, over TCP to 127.0.0.1 |");
        sb.AppendLine(Invariant, $"| load average (1, 5, 15 min) | {m.LoadAtStart} at the start, {m.LoadAtEnd} at the end |");
        sb.AppendLine(Invariant, $"| run | {r.StartedAt:yyyy-MM-dd HH:mm} UTC, {Seconds(r.Duration)} in all |");
        sb.AppendLine();
        sb.AppendLine("Client (the benchmark), host and PostgreSQL share these cores, so every figure includes the others' CPU use.");
        sb.AppendLine();

        sb.AppendLine("## Results");
        sb.AppendLine();
        sb.AppendLine("Rates are durable: a batch counts once PostgreSQL has committed it and the caller has the answer. \"% of COPY\" is");
        sb.AppendLine("relative to COPY of the same rows into a bare table, measured in the same run.");
        sb.AppendLine();
        sb.Append(Table(r));
        sb.AppendLine();
        if (r.Failures.Count > 0)
        {
            sb.AppendLine("Steps that failed in this run:");
            sb.AppendLine();
            foreach (var failure in r.Failures)
            {
                sb.AppendLine(Invariant, $"- {failure}");
            }

            sb.AppendLine();
        }

        Details(sb, r);
        Limits(sb, r);
        Portfolio(sb, r, partial: false);
        Method(sb, r);
        return sb.ToString();
    }

    /// <summary>
    /// For a run that skipped steps: the page as it was, with its first paragraph, the portfolio
    /// metrics section and the method brought up to date; every other figure stays as the earlier run left it.
    /// </summary>
    public static string MergePortfolio(string existing, BenchmarkResults r)
    {
        var failed = r.Failures.Any(f => f.StartsWith("7.", StringComparison.Ordinal));
        if (r.Portfolio is null && !failed)
        {
            return existing;
        }

        if (!existing.StartsWith("# Performance", StringComparison.Ordinal))
        {
            // Nothing earlier to keep: the whole page, with what this run has.
            return Markdown(r);
        }

        var section = new StringBuilder();
        Portfolio(section, r, partial: true);
        var method = new StringBuilder();
        Method(method, r);

        // The first paragraph.
        var introStart = existing.IndexOf("\n\n", StringComparison.Ordinal) + 2;
        var introEnd = existing.IndexOf("\n\n", introStart, StringComparison.Ordinal);
        var page = existing[..introStart] + Intro + existing[introEnd..];

        page = ReplaceSection(page, PortfolioHeading, section.ToString(), before: MethodHeading);
        return ReplaceSection(page, MethodHeading, method.ToString(), before: null);
    }

    /// <summary>Written by <c>--anomalies</c> alone; the other runs keep it.</summary>
    public const string AnomalyHeading = "## Anomaly detection";

    /// <summary>Replaces (or inserts, before "What each step does") one section of the page, leaving the rest as it was.</summary>
    public static string MergeSection(string existing, string heading, string section) => ReplaceSection(existing, heading, section, before: MethodHeading);

    /// <summary>Carries the section under <paramref name="heading"/> of <paramref name="existing"/>, if it has one, into a freshly written <paramref name="page"/>.</summary>
    public static string KeepSection(string existing, string page, string heading)
    {
        var start = existing.IndexOf(heading + "\n", StringComparison.Ordinal);
        if (start < 0)
        {
            return page;
        }

        var end = existing.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return MergeSection(page, heading, end < 0 ? existing[start..] : existing[start..(end + 1)]);
    }

    /// <summary>Replaces the section under <paramref name="heading"/> (up to the next "## "), or inserts it before <paramref name="before"/> or at the end.</summary>
    private static string ReplaceSection(string page, string heading, string section, string? before)
    {
        var start = page.IndexOf(heading + "\n", StringComparison.Ordinal);
        if (start >= 0)
        {
            var end = page.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
            return page[..start] + section + (end < 0 ? "" : page[(end + 1)..]);
        }

        var at = before is null ? -1 : page.IndexOf(before + "\n", StringComparison.Ordinal);
        return at < 0 ? page.TrimEnd('\n') + "\n\n" + section : page[..at] + section + page[at..];
    }

    private static void PortfolioRows(StringBuilder sb, PortfolioMetricsResult p)
    {
        sb.AppendLine(Invariant, $"| NRR, GRR, churn rate and health of an executive's portfolio ({p.PortfolioAccounts:N0} accounts, {p.Quarter}) from the grains, p99 | **{Ms(p.GrainP99)}** (p50 {Ms(p.GrainP50)}) | < 5 ms | {Verdict(p.LatencyMet)} |");
        sb.AppendLine(Invariant, $"| the same from the grains vs SQL over `facts` (SQL p50 {Ms(p.SqlP50)}, p99 {Ms(p.SqlP99)}) | **{p.SpeedUpP50:N0}×** faster at p50, **{p.SpeedUpP99:N0}×** at p99 | ≥ 100× | {Verdict(p.SpeedUpMet)} |");
        sb.AppendLine(Invariant, $"| the grains' numbers equal the SQL's | {(p.Agree ? "equal" : $"**{p.Mismatches.Count} differences**")} | equal | {Verdict(p.Agree)} |");
    }

    private static void Portfolio(StringBuilder sb, BenchmarkResults r, bool partial)
    {
        var o = r.Options;
        var m = r.Machine;
        sb.AppendLine(PortfolioHeading);
        sb.AppendLine();
        if (r.Portfolio is not { } p)
        {
            sb.AppendLine(Invariant, $"{r.PortfolioNote}{(r.Failures.FirstOrDefault(f => f.StartsWith("7.", StringComparison.Ordinal)) is { } failure ? $"; the step failed: {failure}" : "")}.");
            sb.AppendLine();
            return;
        }

        if (partial)
        {
            var skipped = new List<string>();
            if (o.SkipCopy) skipped.Add("COPY baselines");
            if (o.SkipStore) skipped.Add("store append");
            if (o.SkipMemory) skipped.Add("grain memory");
            if (o.SkipRecovery) skipped.Add("recovery");
            if (o.Tenants == 1) skipped.Add("the pass over several tenants");
            if (o.Cli is null) skipped.Add("bulk import");
            sb.AppendLine(Invariant, $"Measured by a run of its own, which generated and ingested the data set (GraphQL, one tenant) and then ran only this step");
            sb.AppendLine(Invariant, $"(skipped: {string.Join(", ", skipped)}). Every figure outside this section comes from the earlier run shown under \"How to run\".");
            if (r.OneTenant is { } one)
            {
                sb.AppendLine(Invariant, $"This run's ingest, for the record (not written above): {one.FactsPerSecond:N0} facts/s through `ingestFacts`, {one.StoredFacts:N0} facts stored in {Seconds(one.Wall)}.");
            }

            sb.AppendLine();
        }

        sb.AppendLine("```sh");
        sb.AppendLine(r.Command);
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine(Invariant, $"Machine: {m.Cpu}, {m.Cores} logical cores, {m.MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB; {m.Runtime}; {m.PostgreSql.Split(" on ")[0]} ({m.PostgreSqlSettings}),");
        sb.AppendLine(Invariant, $"same machine over TCP; load average {m.LoadAtStart} at the start, {m.LoadAtEnd} at the end; {r.StartedAt:yyyy-MM-dd HH:mm} UTC, {Seconds(r.Duration)} in all.");
        sb.AppendLine("Client (the benchmark), host and PostgreSQL share the cores.");
        sb.AppendLine();
        sb.AppendLine(Invariant, $"**Data.** The synthetic tenant of this run: {o.Accounts:N0} accounts, {o.Months} months from {o.Start:yyyy-MM}, seed {o.Seed}, {p.TenantFacts:N0} facts stored,");
        sb.AppendLine(Invariant, $"owned by {p.Executives} executives; a churn removes the account's whole MRR. **Portfolio:** `{p.ExecutiveId}`, the biggest at the end of {p.Quarter} (the last whole quarter of the data): {p.PortfolioAccounts:N0} accounts");
        sb.AppendLine(Invariant, $"(all portfolios: {string.Join(", ", p.Portfolios.Select(x => $"{x.ExecutiveId} {x.Accounts:N0}"))}), {p.Grains.Inputs["customers_start"]:N0} paying customers at the quarter's start and {p.Grains.Inputs["customers_end"]:N0} at its end,");
        sb.AppendLine(Invariant, $"MRR {p.Grains.Inputs["mrr_start"]:N2} → {p.Grains.Inputs["mrr_end"]:N2}.");
        sb.AppendLine();
        sb.AppendLine("| | grains p50 | grains p99 | grains max | SQL p50 | SQL p99 | SQL max | speed-up p50 | speed-up p99 | target | verdict |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        sb.AppendLine(Invariant, $"| NRR, GRR, churn rate, health score | **{Ms(p.GrainP50)}** | **{Ms(p.GrainP99)}** | {Ms(p.GrainMs.Max())} | {Ms(p.SqlP50)} | {Ms(p.SqlP99)} | {Ms(p.SqlMs.Max())} | **{p.SpeedUpP50:N0}×** | **{p.SpeedUpP99:N0}×** | grains p99 < 5 ms; ≥ 100× | {Verdict(p.LatencyMet && p.SpeedUpMet)} |");
        sb.AppendLine();
        var firstWarmUp = p.GrainWarmUpMs.Take(p.GrainMs.Length).ToArray();
        sb.AppendLine(Invariant, $"Grains: {p.GrainMs.Length:N0} computations one after the other, in {Seconds(p.GrainCpu.Wall)}: p90 {Ms(Percentile(p.GrainMs, 0.90))}, p99.9 {Ms(Percentile(p.GrainMs, 0.999))};");
        sb.AppendLine(Invariant, $"{p.GrainMs.Count(x => x > 1):N0} took over 1 ms and {p.GrainMs.Count(x => x > 5):N0} over 5 ms. The grain call (request, grain turn, answer) is {Ms(Percentile(p.GrainCallMs, 0.5))} of the p50 and the evaluation {Ms(Percentile(p.GrainEvaluateMs, 0.5))}");
        sb.AppendLine(Invariant, $"(p99 {Ms(Percentile(p.GrainCallMs, 0.99))} and {Ms(Percentile(p.GrainEvaluateMs, 0.99))}){(Percentile(p.GrainCallMs, 0.99) > 2 * Percentile(p.GrainEvaluateMs, 0.99) ? ": the tail is in the call" : "")}. {Cpu(p.GrainCpu, "the host", "other processes")} {p.BenchmarkCollections} garbage collections in the benchmark's process.");
        sb.AppendLine(Invariant, $"Before them, a warm-up of {p.GrainWarmUpMs.Length:N0} computations (each followed by the baseline call below) over {Seconds(p.GrainWarmUpWall)},");
        sb.AppendLine(Invariant, $"until the JIT had settled on both sides: its first {firstWarmUp.Length:N0} took p50 {Ms(Percentile(firstWarmUp, 0.5))}, p99 {Ms(Percentile(firstWarmUp, 0.99))}, the whole warm-up p50 {Ms(Percentile(p.GrainWarmUpMs, 0.5))}, p99 {Ms(Percentile(p.GrainWarmUpMs, 0.99))}");
        sb.AppendLine("(a host that has just started, or a portfolio read for the first time, pays this once).");
        sb.AppendLine(Invariant, $"Baseline, right after in the same client: `GetStatusAsync` on the same roll-up grain (two counters back, no measures), {p.BaselineMs.Length:N0} calls: p50 {Ms(Percentile(p.BaselineMs, 0.5))},");
        sb.AppendLine(Invariant, $"p99 {Ms(Percentile(p.BaselineMs, 0.99))}, max {Ms(p.BaselineMs.Max())}, {p.BaselineMs.Count(x => x > 1):N0} over 1 ms and {p.BaselineMs.Count(x => x > 5):N0} over 5 ms. {Cpu(p.BaselineCpu, "the host", "other processes")}");
        sb.AppendLine(Invariant, $"SQL: {p.SqlMs.Length:N0} runs after {p.SqlWarmUp} unmeasured ones{(p.SqlMs.Length < 100 ? $"; with {p.SqlMs.Length} runs the p99 is the slowest run" : "")}. Every run in ms: {string.Join(", ", p.SqlMs.Select(x => x.ToString("N0", Invariant)))}.");
        sb.AppendLine(Invariant, $"{Cpu(p.SqlCpu, "the host", "PostgreSQL and other processes")}");
        sb.AppendLine();
        sb.AppendLine("| number | grains | SQL |");
        sb.AppendLine("|---|---:|---:|");
        sb.AppendLine(Invariant, $"| net revenue retention | {Ratio(p.Grains.NetRevenueRetention)} | {Ratio(p.Sql.NetRevenueRetention)} |");
        sb.AppendLine(Invariant, $"| gross revenue retention | {Ratio(p.Grains.GrossRevenueRetention)} | {Ratio(p.Sql.GrossRevenueRetention)} |");
        sb.AppendLine(Invariant, $"| customer churn rate | {Ratio(p.Grains.CustomerChurnRate)} | {Ratio(p.Sql.CustomerChurnRate)} |");
        sb.AppendLine(Invariant, $"| customer health score (default profile) | {PortfolioMetrics.Show(p.Grains.HealthScore)} ({p.Health.Band?.ToString().ToLowerInvariant() ?? "no band"}; {p.Quarter.Previous}: {PortfolioMetrics.Show(p.PreviousHealth.Score)}) | {PortfolioMetrics.Show(p.Sql.HealthScore)} |");
        foreach (var component in p.Health.Components)
        {
            sb.AppendLine(Invariant, $"| &nbsp;&nbsp;component `{component.MetricKey}` (weight {component.Weight:G}) | {PortfolioMetrics.Show(component.Value, 6)} → {PortfolioMetrics.Show(component.Points, 2)} points | {PortfolioMetrics.Show(p.Sql.Inputs[component.MetricKey], 6)} |");
        }

        sb.AppendLine();
        var inputs = p.Grains.Inputs.Where(i => !p.Health.Components.Any(c => c.MetricKey == i.Key)).ToList();
        sb.AppendLine(Invariant, $"Measures of {p.Quarter} behind them (equal on both sides{(p.Agree ? "" : " except as listed below")}): {string.Join(", ", inputs.Select(i => $"{i.Key} {PortfolioMetrics.Show(i.Value)}"))}.");
        sb.AppendLine();
        if (p.Agree)
        {
            sb.AppendLine("**Check.** The SQL's numbers equal the grains': every measure above exactly, the ratios to 10⁻¹², the health");
            sb.AppendLine("components (0–100 scores) to 10⁻¹⁰ and the health score to its rounding (0.01). The step fails when they do not.");
        }
        else
        {
            sb.AppendLine("**Check: the grains and the SQL disagree.** Differences:");
            sb.AppendLine();
            foreach (var mismatch in p.Mismatches)
            {
                sb.AppendLine(Invariant, $"- {mismatch}");
            }

            sb.AppendLine();
            sb.AppendLine("Per account (account grains against the SQL's per-account rows):");
            sb.AppendLine();
            foreach (var line in p.Diagnosis)
            {
                sb.AppendLine(Invariant, $"- {line}");
            }
        }

        sb.AppendLine();
        sb.AppendLine("**What the grain figure includes.** Per computation, what `MetricValueService` does for these four metrics of an executive scope:");
        sb.AppendLine("one `IRollupGrain.GetPeriodsAsync` call on the portfolio roll-up for the quarter and the quarter before (the health score's");
        sb.AppendLine("trend reads it; the API would make it a second call), from an Orleans client in the benchmark's process to the host's silo over");
        sb.AppendLine("its gateway on 127.0.0.1 (serialization both ways, the grain reading its sums and running levels for two periods); then");
        sb.AppendLine("`PeriodMeasures` as `ScopeReader` builds them, `MetricEvaluator.Evaluate` for the three formulas and for the five components of");
        sb.AppendLine("the default health profile in each of the two quarters, and `HealthScorer.Score` twice. **Not included:** GraphQL parsing,");
        sb.AppendLine("validation and serialization, HTTP and the token check; the lookup of the definition versions in force (the API reads each");
        sb.AppendLine("key's history from PostgreSQL once per request; here it was read once and checked to be the built-in version 1); compiling the");
        sb.AppendLine("formulas (the API caches them across requests). The API runs inside the silo, so its grain call does not cross a socket as");
        sb.AppendLine("this client's does. The roll-up grain was active (it had taken the ingest's deltas): a cold one first rebuilds from every");
        sb.AppendLine("account of the portfolio (see the recovery figures).");
        sb.AppendLine();
        sb.AppendLine("**What the SQL figure includes.** One statement per run (`Steps/PortfolioMetrics.cs`) on an open Npgsql connection, from");
        sb.AppendLine("sending it to reading its one row: one pass over the tenant's facts that keeps the ownership facts, `mrr.changed` up to the");
        sb.AppendLine("quarter's end and the quarter's usage, NPS answers and ticket resolutions, leaves out facts replaced by a correction, groups");
        sb.AppendLine("them by account (owner at the quarter's end, MRR and customer levels at its start and end as running sums, the quarter's");
        sb.AppendLine("movements, distinct users), then sums the executive's accounts and computes the formulas and the health score. Every index of");
        sb.AppendLine("`facts` leads with tenant_id and none has kind or occurred_at, so no index narrows the scan; no table was added. Not");
        sb.AppendLine("included: opening the connection. The plan of one run:");
        sb.AppendLine();
        sb.AppendLine("<details><summary>EXPLAIN (ANALYZE, BUFFERS)</summary>");
        sb.AppendLine();
        sb.AppendLine("```");
        sb.AppendLine(p.SqlPlan);
        sb.AppendLine("```");
        sb.AppendLine();
        sb.AppendLine("</details>");
        sb.AppendLine();
    }

    private static string Cpu(CpuUse cpu, string host, string others) =>
        string.Create(Invariant, $"Meanwhile the machine's {cpu.Machine:F2} busy cores (of {Environment.ProcessorCount}) were the benchmark's {cpu.Benchmark:F2}, {host}'s {cpu.Host:F2} and {others}' {cpu.Others:F2}; load average {cpu.LoadBefore} before, {cpu.LoadAfter} after.");

    private static string Ms(double ms) => ms switch
    {
        < 10 => ms.ToString("F3", Invariant) + " ms",
        < 1_000 => ms.ToString("F1", Invariant) + " ms",
        _ => ms.ToString("N0", Invariant) + " ms",
    };

    private static string Ratio(decimal? value) => value is { } v ? $"{v:P2} ({PortfolioMetrics.Show(v, 8)})" : "null";

    private static void Details(StringBuilder sb, BenchmarkResults r)
    {
        sb.AppendLine("## Details");
        sb.AppendLine();
        if (r.Data is { } data)
        {
            sb.AppendLine(Invariant, $"**Data set.** {r.Options.Accounts:N0} accounts, {r.Options.Months} months from {r.Options.Start:yyyy-MM}, seed {r.Options.Seed}: {data.Facts:N0} facts,");
            sb.AppendLine(Invariant, $"{data.Bytes / (1024.0 * 1024):N0} MiB of JSON lines ({data.Bytes / (double)data.Facts:N0} bytes per fact as GraphQL `FactInput`). ~55 % of the accounts");
            sb.AppendLine("exist from the first month, the rest arrive evenly; sizes are skewed (log-normal); about 1 % churn a month (a churn removes the account's whole MRR) and a fifth of");
            sb.AppendLine(Invariant, $"those come back; owners are {r.Options.Executives} executives. Generated in {Seconds(data.Total)}, of which {Seconds(data.Serialization)} writing JSON");
            sb.AppendLine(Invariant, $"({data.Serialization.TotalMilliseconds * 1000 / data.Facts:F2} µs per fact with `Utf8JsonWriter`: the client's share of the cost).");
            sb.AppendLine();
            sb.AppendLine("| kind | facts | share |");
            sb.AppendLine("|---|---:|---:|");
            foreach (var (kind, count) in data.Kinds.OrderByDescending(k => k.Value))
            {
                sb.AppendLine(Invariant, $"| {Domain.Facts.FactKinds.WireName(kind)} | {count:N0} | {100.0 * count / data.Facts:F1} % |");
            }

            sb.AppendLine();
        }

        if (r.CopyBare is { } bare && r.CopyIndexed is { } indexed)
        {
            sb.AppendLine(Invariant, $"**COPY.** Bare table: {bare.Rows:N0} rows in {Seconds(bare.CopyTime)} of COPY ({Seconds(bare.WallTime)} with preparing the rows), {Size(bare.TableBytes)} on disk.");
            sb.AppendLine(Invariant, $"`facts` with its indexes: {Seconds(indexed.CopyTime)} ({Seconds(indexed.WallTime)}), {Size(indexed.TableBytes)} with indexes.");
            sb.AppendLine();
        }

        if (r.Store is { } store)
        {
            sb.AppendLine(Invariant, $"**Store append.** {store.Facts:N0} facts in {Seconds(store.AppendTime)} holding the tenant's lock, {store.AppendTime.TotalMilliseconds / Math.Ceiling(store.Facts / (double)r.Options.Batch):N0} ms per batch of {r.Options.Batch:N0}.");
            sb.AppendLine();
        }

        foreach (var pass in new[] { r.OneTenant, r.ManyTenants })
        {
            if (pass is null)
            {
                continue;
            }

            sb.AppendLine(Invariant, $"**GraphQL, {Tenants(pass.Tenants)}.** {pass.Facts:N0} facts acknowledged in {pass.Batches:N0} requests in {Seconds(pass.Wall)}; {pass.StoredFacts:N0} found stored.");
            sb.AppendLine(Invariant, $"Request latency seen by the client p50 {Percentile(pass.LatencyMs, 0.5):N0} ms, p95 {Percentile(pass.LatencyMs, 0.95):N0} ms, max {pass.LatencyMs.DefaultIfEmpty().Max():N0} ms;");
            sb.AppendLine(Invariant, $"in the host's request log p50 {Percentile(pass.ServerMs, 0.5):N0} ms, p95 {Percentile(pass.ServerMs, 0.95):N0} ms; the tenant's lock held (append and delivery, from `ingest_batches`)");
            sb.AppendLine(Invariant, $"p50 {Percentile(pass.LockHeldMs, 0.5):N0} ms, p95 {Percentile(pass.LockHeldMs, 0.95):N0} ms, max {pass.LockHeldMs.DefaultIfEmpty().Max():N0} ms per batch; {pass.RollupRebuilds:N0} roll-up rebuilds after a delta that did not fit. Host CPU {pass.HostCpu.TotalMilliseconds * 1000 / Math.Max(1, pass.Facts):F1} µs per fact");
            sb.AppendLine(Invariant, $"({pass.HostCpu.TotalSeconds / pass.Wall.TotalSeconds:F2} cores busy on average). Building request bodies from the JSON lines took {Seconds(pass.BodyBuilding)} on the client.");
            sb.AppendLine();
        }

        if (r.Import is { } import)
        {
            sb.AppendLine(Invariant, $"**Bulk import.** Exit code {import.ExitCode}, {import.StoredFacts:N0} facts stored in {Seconds(import.Wall)} (process start to exit), host CPU {import.HostCpu.TotalSeconds:N0} s.");
            sb.AppendLine();
        }

        if (r.Memory is { } memory)
        {
            var ledger = memory.Ledger;
            sb.AppendLine(Invariant, $"**Grain memory** (in-process silo, {memory.Accounts:N0} accounts, {memory.Facts:N0} facts applied in {Seconds(memory.ApplyTime)}, i.e. {memory.ApplyFactsPerSecond:N0} facts/s through");
            sb.AppendLine("`ApplyAsync` including the roll-up pushes, no database):");
            sb.AppendLine();
            sb.AppendLine("| | bytes per account |");
            sb.AppendLine("|---|---:|");
            sb.AppendLine(Invariant, $"| account grain activated, no facts | {memory.EmptyGrainBytes:N0} |");
            sb.AppendLine(Invariant, $"| account grain with its {r.Options.Months} months of facts | {memory.AccountGrainBytes:N0} |");
            sb.AppendLine(Invariant, $"| what stays after those grains are deactivated: the tenant and {r.Options.Executives} portfolio roll-up grains, per account | {memory.RollupBytesPerAccount:N0} |");
            sb.AppendLine(Invariant, $"| `AccountLedger` alone, outside a grain ({ledger.Accounts:N0} accounts) | {ledger.Bytes:N0} |");
            sb.AppendLine();
            sb.AppendLine(Invariant, $"A ledger holds {ledger.MonthsWithData:F1} months with data, each with {ledger.DistinctUsersPerMonth:F1} distinct users and {ledger.FeaturesPerMonth:F1} features on average.");
            sb.AppendLine();
        }

        var activations = new[] { r.AfterIngest, r.RestartWithSnapshots, r.RestartWithoutSnapshots }.Where(a => a is not null).Select(a => a!).ToList();
        if (activations.Count > 0)
        {
            sb.AppendLine(Invariant, $"**Activating every account** of the one-tenant pass ({activations[0].Accounts:N0} accounts, {activations[0].TenantFacts:N0} facts) with `account(id)`, {r.Options.QueryConcurrency} queries at a time:");
            sb.AppendLine();
            sb.AppendLine("| host | start to ready | activate all | facts replayed (log) | accounts replaying | replayed facts/s | tenant facts/s | roll-up rebuilds | host RSS before → after |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var a in activations)
            {
                // On the host that ingested the grains are active already: its row is query throughput, not recovery.
                var recovering = a.Startup is not null;
                sb.AppendLine(Invariant, $"| {a.Label} | {(a.Startup is { } s ? Seconds(s) : "—")} | {Seconds(a.Time)} | {a.ReplayedFacts:N0} | {a.ReplayingAccounts:N0} | {(recovering ? a.ReplayedFactsPerSecond.ToString("N0", Invariant) : "—")} | {(recovering ? a.TenantFactsPerSecond.ToString("N0", Invariant) : "—")} | {a.RollupRebuilds:N0} | {Size(a.ResidentBefore)} → {Size(a.ResidentAfter)} |");
            }

            sb.AppendLine();
            foreach (var a in activations.Where(a => a.RetriedQueries > 0))
            {
                sb.AppendLine(Invariant, $"On \"{a.Label}\", {a.RetriedQueries:N0} `account(id)` queries failed and were retried (the time includes the retries); the first error: `{a.FirstError}`");
                sb.AppendLine();
            }

            sb.AppendLine("\"Facts replayed\" sums the account grains' `replays {Count} facts` log lines; \"tenant facts/s\" is all the tenant's");
            sb.AppendLine(Invariant, $"facts over the same time. For the run without snapshots the benchmark deleted the {r.SnapshotsDeleted:N0} account snapshots of the tenant");
            sb.AppendLine("from `orleansstorage` while the host was down, so every account rebuilds from its facts. RSS is the whole host process,");
            sb.AppendLine("not only grains: it is a cross-check of the in-process figure, not a measurement of it.");
            sb.AppendLine();
        }
    }

    private static void Limits(StringBuilder sb, BenchmarkResults r)
    {
        var notes = new List<string>();
        var copy = r.CopyRate;
        var batch = r.Options.Batch;
        if (r.OneTenant is { } one && (one.FactsPerSecond < BenchmarkResults.GraphQLTarget || (copy is { } c && one.FactsPerSecond < BenchmarkResults.GraphQLShareOfCopy * c)))
        {
            var held = Math.Max(1, Percentile(one.LockHeldMs, 0.5));
            var text = $"**One tenant, {one.FactsPerSecond:N0} facts/s.** The tenant's lock was held {held:N0} ms per batch of {batch:N0} (median; " +
                $"`ingest_batches`, from the append's transaction start to `applied_at`), which caps one tenant at about {batch / held * 1000:N0} facts/s";
            if (r.Store is { } store)
            {
                var append = batch / store.FactsPerSecond * 1000;
                text += $". The append alone (`FactStore`, measured above) takes about {append:N0} ms of that; delivery to the grains " +
                    $"(one `ApplyAsync` per account of the batch, each pushing deltas to the tenant and portfolio roll-ups) about {Math.Max(0, held - append):N0} ms";
            }

            text += $". The host's request log shows {Percentile(one.ServerMs, 0.5):N0} ms per request (median), which includes waiting for the lock " +
                $"while the other writer's batch holds it; the host used {one.HostCpu.TotalMilliseconds * 1000 / Math.Max(1, one.Facts):F1} µs of CPU per fact " +
                $"({one.HostCpu.TotalSeconds / one.Wall.TotalSeconds:F2} of {r.Machine.Cores} cores): GraphQL.NET reading the 10,000-fact variables into dictionaries " +
                "and then `FactInput` objects, `FactInput.Payloads()` and `FactValidation` allocating per fact, `FactRow.From` (reflection-based payload JSON and " +
                "SHA-256 over a joined string), then reading every stored row back as a `FactMessage`.";
            notes.Add(text);
            notes.Add("**The tenant's advisory lock covers append *and* grain delivery.** `FactIngestion.IngestAsync` opens the session " +
                "(`pg_advisory_lock`), appends, then awaits `DeliverAsync` and `MarkAppliedAsync` before the session is disposed. One tenant's " +
                "batches therefore follow each other with no overlap of append and delivery: its ceiling is batch size / (append + delivery), " +
                "whatever the number of writers; only the GraphQL parsing of the next request overlaps.");
            if (r.ManyTenants is { } many)
            {
                var gain = many.FactsPerSecond / one.FactsPerSecond - 1;
                notes.Add(gain > 0.25
                    ? $"**Spreading over {many.Tenants} tenants** gave {gain:P0} more ({many.FactsPerSecond:N0} facts/s): the per-tenant serialization is a real limit."
                    : $"**Spreading over {many.Tenants} tenants** changed the rate by {gain:P0} ({many.FactsPerSecond:N0} facts/s): at this size the machine's {r.Machine.Cores} cores, shared by client, host and PostgreSQL, limit first (host alone {many.HostCpu.TotalSeconds / many.Wall.TotalSeconds:F2} cores busy).");
            }
        }

        if (r.CopyBare is { } bare && r.CopyIndexed is { } indexed)
        {
            var text = $"**Indexes.** COPY into `facts` with its four indexes runs at {indexed.RowsPerSecond / bare.RowsPerSecond:P0} of the bare table";
            if (r.Store is { } store)
            {
                text += $"; the product's append reaches {store.FactsPerSecond / indexed.RowsPerSecond:P0} of that indexed COPY: it creates a temporary staging table per batch, " +
                    "COPYs into it, runs the conflict/unknown-account/supersedes checks (joins against `facts` and `accounts`), then insert…select probes the unique " +
                    "(tenant, source, external_id) index again for every row, maintains the indexes, and returns every inserted row joined back to `facts` with its payload " +
                    "as text, so each fact crosses the wire twice";
            }

            notes.Add(text + ".");
        }

        if (r.Memory is { } mem && mem.AccountGrainBytes > BenchmarkResults.GrainBytesTarget)
        {
            var l = mem.Ledger;
            notes.Add($"**Grain memory, {mem.AccountGrainBytes:N0} B per account.** The ledger alone is {l.Bytes:N0} B: `AccountLedger` keeps, per month with data " +
                $"({l.MonthsWithData:F1} here), a `MonthCounters` holding only its non-zero sums (measure ids and values) and its distinct-count sets as packed numbers " +
                $"over a per-account table of user and feature names ({l.DistinctUsersPerMonth:F1} users and {l.FeaturesPerMonth:F1} features a month here), in a `SortedDictionary`. " +
                "What remains is mostly per-month object and array overhead and the names; a 4 KB budget needs one flat array for all months, " +
                "or distinct counts computed from the facts table on demand instead of kept live.");
        }

        if (r.RestartWithoutSnapshots is { } cold)
        {
            notes.Add($"**Recovery.** Without snapshots every activation reads its account's facts (`ReadAccountAsync`: the account's rows by `facts_account`, " +
                "left-joined to the facts they supersede, payload as text) and applies them one by one, deserializing each payload; " +
                $"{cold.ReplayedFactsPerSecond:N0} facts/s overall. The first pushes also activate the tenant and portfolio roll-ups, which rebuild from every account; " +
                "each portfolio roll-up first runs `AccountsOfPortfolioAsync`, which reads every fact of the tenant to filter them by kind and payload " +
                "(every index of `facts` leads with tenant_id, none has kind): one pass over the tenant's facts per executive, on every restart.");
        }

        sb.AppendLine("## What limits it");
        sb.AppendLine();
        if (notes.Count == 0)
        {
            sb.AppendLine("- Every target was met in this run.");
        }

        foreach (var note in notes)
        {
            sb.AppendLine($"- {note}");
        }

        sb.AppendLine();
        sb.AppendLine("Found while building the benchmark, and what was done about it:");
        sb.AppendLine();
        sb.AppendLine("- **Plans that read the whole facts table.** Left to itself, the planner hash- or merge-joined the staged batch with `facts`");
        sb.AppendLine("  (every tenant's rows) for the duplicate, conflict and correction lookups; for a tenant the statistics did not yet know, a");
        sb.AppendLine("  10,000-fact batch took 63 s. The append now analyzes its staging table and turns hash and merge joins off for its own");
        sb.AppendLine("  transaction (`set local`), so every lookup is an index probe whatever the size of `facts` or the age of its statistics.");
        sb.AppendLine("  The benchmark still gives each pass a database of its own, so passes do not measure each other's leftovers.");
        sb.AppendLine("- **Connections on a cold start.** Activating many accounts at once takes a connection per snapshot read and per fact read;");
        sb.AppendLine("  thousands at once exhausted a server with `max_connections=300`. Roll-up rebuilds now ask 32 accounts at a time and");
        sb.AppendLine("  delivery goes to at most 256 accounts at a time; a cold host can still queue on its pools (the TIMEOUTs retried above).");
        sb.AppendLine("  PostgreSQL's default `max_connections` is 100: size it for the silos of a cluster times their pools.");
        sb.AppendLine();
    }

    private static void Method(StringBuilder sb, BenchmarkResults r)
    {
        sb.AppendLine("## What each step does");
        sb.AppendLine();
        sb.AppendLine("1. **Generate** the tenant from the seed and write it as JSON lines, one GraphQL `FactInput` per line, the account.created facts first.");
        sb.AppendLine("   Facts are made per account and month on demand; nothing holds the whole set.");
        sb.AppendLine("2. **COPY** (binary, `BeginBinaryImport`) the same rows as `FactStore` would store them (payload JSON, content hash) into a scratch");
        sb.AppendLine("   database made by the real migrations: once into `facts_bare` (`like facts`, no keys or indexes), once into `facts`. One COPY");
        sb.AppendLine("   per batch, each its own transaction; only the COPY is timed. Then, in another fresh database, the same batches through");
        sb.AppendLine("   `FactStore` (`OpenSessionAsync`, `AppendAsync`, `MarkAppliedAsync`), timed while the lock is held.");
        sb.AppendLine("3. **GraphQL.** `Governance.Api.dll` (Release) starts as its own process on a fresh database, with `Jobs:WorkerCount=0`. The benchmark");
        sb.AppendLine("   creates tenants with the platform client, gets client-credentials tokens and posts `ingestFacts` batches cut from the JSON lines,");
        sb.AppendLine("   with the given number of concurrent writers; each tenant's account.created batches go first. Rate = acknowledged facts / wall time;");
        sb.AppendLine("   the stored count is checked afterwards. The pass over several tenants (the same facts, accounts spread over the tenants) and");
        sb.AppendLine("   the import run first, each on a database and host of its own that is gone before the next starts; the one-tenant pass runs");
        sb.AppendLine("   last, and the benchmark then waits until its host has written its snapshots and is idle.");
        sb.AppendLine("4. **Bulk import** (`--cli`): `dotnet Governance.Cli.dll import --url … --client-id … --client-secret … --file <jsonl> --batch-size …`");
        sb.AppendLine("   into a tenant of its own, on a database and host of its own; rate = facts stored / process run time.");
        sb.AppendLine("5. **Memory.** Host side: every account of the one-tenant pass is queried, and the host's RSS read. In process: a localhost silo");
        sb.AppendLine("   with the real `AccountGrain` and `RollupGrain`, a fact log with no facts and a storage that keeps nothing; facts applied month by");
        sb.AppendLine("   month with `ApplyAsync`; `GC.GetTotalMemory(true)` after full collections, before and after, divided by the accounts.");
        sb.AppendLine("6. **Recovery.** The host is killed (`Process.Kill`) and started again with a new Orleans cluster id; every account is queried and");
        sb.AppendLine("   timed. Once with the snapshots the grains had written (every 1,000 facts or 30 s), once with the tenant's account snapshots");
        sb.AppendLine("   deleted, which replays every fact.");
        sb.AppendLine("7. **Portfolio metrics** (before 5's in-process part and 6, on the host and database of the one-tenant pass once its facts are");
        sb.AppendLine("   delivered and snapshotted): the biggest executive portfolio at the end of the last whole quarter; NRR, GRR, churn rate and");
        sb.AppendLine("   health from the portfolio roll-up grain through an Orleans client, timed many times; the same numbers from one SQL statement");
        sb.AppendLine("   over `facts`, timed fewer times; both compared measure by measure (see its section).");
        sb.AppendLine();
    }

    private static string Tenants(int count) => count == 1 ? "one tenant" : $"{count} tenants";

    private static string Share(double? share) => share is { } s ? $" ({s.ToString("P0", Invariant)} of COPY)" : "";

    private static string Verdict(bool met) => met ? "met" : "**missed**";

    public static string Seconds(TimeSpan time) => time.TotalSeconds < 10
        ? time.TotalSeconds.ToString("F2", Invariant) + " s"
        : time.TotalSeconds.ToString("N0", Invariant) + " s";

    public static string Bytes(double bytes) => bytes < 10_240
        ? bytes.ToString("N0", Invariant) + " B"
        : (bytes / 1024).ToString("N1", Invariant) + " KB";

    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("F1", Invariant) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("N0", Invariant) + " MiB",
        _ => (bytes / 1024.0).ToString("N0", Invariant) + " KiB",
    };

    public static double Percentile(double[] values, double p)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
