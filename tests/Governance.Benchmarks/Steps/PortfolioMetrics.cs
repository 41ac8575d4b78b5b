using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Governance.Abstractions;
using Governance.Abstractions.Accounts;
using Governance.Abstractions.Portfolios;
using Governance.Benchmarks.Infrastructure;
using Governance.Domain.Measures;
using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Catalog;
using Governance.Domain.Metrics.Definitions;
using Governance.Domain.Metrics.Formulas;
using Governance.Domain.Metrics.Values;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;

namespace Governance.Benchmarks.Steps;

/// <summary>The four numbers of one portfolio and quarter, and the measures they come from, as one side computed them.</summary>
public sealed record PortfolioFigures(decimal? NetRevenueRetention, decimal? GrossRevenueRetention, decimal? CustomerChurnRate, decimal? HealthScore, IReadOnlyDictionary<string, decimal?> Inputs);

/// <summary>
/// Where the machine's CPU went while one side was measured, in cores busy on average: the whole machine
/// (<c>/proc/stat</c>), this process (the client), the host process, and the rest (PostgreSQL, and
/// anything else running on the machine).
/// </summary>
public sealed record CpuUse(TimeSpan Wall, double Machine, double Benchmark, double Host, string LoadBefore, string LoadAfter)
{
    public double Others => Math.Max(0, Machine - Benchmark - Host);

    public static Func<CpuUse> Start(HostProcess host)
    {
        var started = Stopwatch.GetTimestamp();
        var machine = MachineBusySeconds();
        var benchmark = Process.GetCurrentProcess().TotalProcessorTime;
        var hostCpu = host.CpuTime();
        var load = Reporting.MachineInfo.Load();
        return () =>
        {
            var wall = Stopwatch.GetElapsedTime(started);
            var seconds = wall.TotalSeconds;
            return new CpuUse(wall,
                (MachineBusySeconds() - machine) / seconds,
                (Process.GetCurrentProcess().TotalProcessorTime - benchmark).TotalSeconds / seconds,
                (host.CpuTime() - hostCpu).TotalSeconds / seconds,
                load,
                Reporting.MachineInfo.Load());
        };
    }

    /// <summary>CPU seconds every core spent on anything but idling and waiting for I/O since boot (USER_HZ = 100).</summary>
    private static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal (guest time is inside user)
        return (fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]) / 100.0;
    }
}

/// <summary>Step 7: an executive's quarter from the grains beside the same numbers from SQL over the facts.</summary>
public sealed record PortfolioMetricsResult(
    string TenantId,
    string ExecutiveId,
    Period Quarter,
    int Executives,
    IReadOnlyList<(string ExecutiveId, int Accounts)> Portfolios,
    int PortfolioAccounts,
    long TenantFacts,
    double[] GrainWarmUpMs,
    TimeSpan GrainWarmUpWall,
    double[] GrainMs,
    double[] GrainCallMs,
    double[] GrainEvaluateMs,
    int SqlWarmUp,
    double[] SqlMs,
    PortfolioFigures Grains,
    PortfolioFigures Sql,
    HealthResult Health,
    HealthResult PreviousHealth,
    IReadOnlyList<string> Mismatches,
    IReadOnlyList<string> Diagnosis,
    string SqlPlan,
    CpuUse GrainCpu,
    CpuUse SqlCpu,
    int BenchmarkCollections,
    double[] BaselineMs,
    CpuUse BaselineCpu)
{
    public const double GrainP99TargetMs = 5;
    public const double SpeedUpTarget = 100;

    public double GrainP50 => Reporting.PerformanceReport.Percentile(GrainMs, 0.50);

    public double GrainP99 => Reporting.PerformanceReport.Percentile(GrainMs, 0.99);

    public double SqlP50 => Reporting.PerformanceReport.Percentile(SqlMs, 0.50);

    public double SqlP99 => Reporting.PerformanceReport.Percentile(SqlMs, 0.99);

    public double SpeedUpP50 => SqlP50 / GrainP50;

    public double SpeedUpP99 => SqlP99 / GrainP99;

    public bool Agree => Mismatches.Count == 0;

    public bool LatencyMet => GrainP99 < GrainP99TargetMs;

    public bool SpeedUpMet => SpeedUpP50 >= SpeedUpTarget && SpeedUpP99 >= SpeedUpTarget;
}

/// <summary>
/// Step 7, on the host of the one-tenant pass once every fact is delivered: net revenue retention,
/// gross revenue retention, customer churn rate and the customer health score of one executive's
/// portfolio for one quarter, computed
/// <list type="bullet">
/// <item>from the grains exactly as <c>MetricValueService</c> does it, from an Orleans client in this
/// process connected to the host's silo: one <see cref="IRollupGrain.GetPeriodsAsync"/> call on the
/// portfolio roll-up for the quarter and the one before it (the health score's trend reads it), then
/// <see cref="MetricEvaluator.Evaluate"/> for the three formulas and each health component, and
/// <see cref="HealthScorer.Score"/> for the quarter and the quarter before;</item>
/// <item>by one SQL statement over the <c>facts</c> table, as an analyst without the grains would
/// write it: ownership at the quarter's end, per-account MRR and customer levels as running sums of
/// <c>mrr.changed</c>, the quarter's movements, distinct users, NPS answers and ticket resolutions,
/// then the same formulas and health profile.</item>
/// </list>
/// Both sides must agree, measure by measure, or the step fails and says which side is wrong.
/// </summary>
public static class PortfolioMetrics
{
    public const string NetRevenueRetention = "net_revenue_retention";
    public const string GrossRevenueRetention = "gross_revenue_retention";
    public const string CustomerChurnRate = "customer_churn_rate";
    public const string HealthScoreKey = "customer_health_score";
    /// <summary>
    /// The grain side warms up for at least this many computations and this long: the host has never run
    /// these grain methods and their serializers, nor this process the client's, and tiered JIT (with its
    /// instrumented tier and a delayed background recompile) takes about a second of calls to settle on
    /// both sides of the socket. Measured right after 200 computations, the p99 was 4–5 ms on 2 cores.
    /// </summary>
    public const int GrainWarmUpMinimum = 2_000;

    public static readonly TimeSpan GrainWarmUpTime = TimeSpan.FromSeconds(5);
    public const int SqlWarmUp = 2;

    /// <summary>Formula metrics that can be health components here: the SQL computes each of them (by these column names).</summary>
    private static readonly string[] ComponentColumns =
        [GrossRevenueRetention, NetRevenueRetention, CustomerChurnRate, "customer_engagement_score", "net_promoter_score", "first_contact_resolution", "churn_risk_score"];

    /// <summary>The measures both sides report, by their formula names (<see cref="MetricMeasures"/>), compared exactly.</summary>
    private static readonly string[] Measures =
    [
        "mrr_start", "mrr_end", "customers_start", "customers_end", "mrr_new", "mrr_expansion", "mrr_contraction", "mrr_churned", "mrr_reactivated",
        "customers_new", "customers_churned", "customers_reactivated", "mrr_expansion_existing", "mrr_contraction_existing",
        "mrr_churned_existing", "mrr_reactivated_existing", "mrr_net_decrease", "customers_lost", "customers_downgraded",
        "accounts_active", "active_users", "feature_users", "nps_responses", "nps_promoters", "nps_detractors",
        "tickets_resolved", "tickets_resolved_first_contact",
    ];

    /// <summary>Ratios agree to this; scores (0–100) to a hundred times this; the health score to its rounding (0.01).</summary>
    private const decimal RatioTolerance = 0.000000000001m;

    public static async Task<PortfolioMetricsResult> RunAsync(
        HostProcess host, ScratchDatabase database, string tenantId, DateOnly dataStart, int months, int executives,
        int grainIterations, int sqlIterations, Action<string> say)
    {
        var quarter = LastWholeQuarter(dataStart, months);
        var metrics = await InForceAsync(database, tenantId, quarter);
        var profile = HealthScorer.ProfileFor(metrics.Health, null);
        var sql = Sql(profile);

        await using var dataSource = new NpgsqlDataSourceBuilder(database.ConnectionString).Build();
        await using var connection = await dataSource.OpenConnectionAsync();
        var tenantFacts = (long)(await Scalar(connection, "select count(*) from facts where tenant_id = $1", tenantId))!;

        // The biggest portfolio at the quarter's end (untimed; it only picks which executive to measure).
        var portfolios = await PortfoliosAsync(connection, tenantId, quarter);
        if (portfolios.Count == 0)
        {
            throw new InvalidOperationException($"No account of tenant {tenantId} has an owner by the end of {quarter}.");
        }

        var (executiveId, accounts) = portfolios[0];
        say($"7. {quarter}, portfolio of {executiveId}: {accounts:N0} accounts at the quarter's end ({string.Join(", ", portfolios.Select(p => $"{p.ExecutiveId} {p.Accounts:N0}"))})");

        // The grains, from a client of the host's silo.
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Error);
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, host.GatewayPort));
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = host.ClusterId;
                o.ServiceId = HostProcess.ServiceId;
            });
        });
        using var clientHost = builder.Build();
        await clientHost.StartAsync();
        try
        {
            var grains = clientHost.Services.GetRequiredService<IClusterClient>();
            var rollup = grains.GetGrain<IRollupGrain>(GrainKeys.Portfolio(tenantId, executiveId));
            int[] keys = [quarter.Key, quarter.Previous.Key];

            // Warm-up, timed only to show it: the metrics and the baseline call alternate until both have run enough.
            var checksum = 0m;
            var warmUp = new List<double>();
            var warmUpClock = Stopwatch.StartNew();
            while (warmUp.Count < GrainWarmUpMinimum || warmUpClock.Elapsed < GrainWarmUpTime)
            {
                var started = Stopwatch.GetTimestamp();
                checksum += Evaluate(metrics, profile, quarter, await rollup.GetPeriodsAsync(keys)).Health.Score ?? 0;
                warmUp.Add(Milliseconds(Stopwatch.GetTimestamp() - started));
                await rollup.GetStatusAsync();
            }

            var warmUpWall = warmUpClock.Elapsed;
            var total = new double[grainIterations];
            var call = new double[grainIterations];
            var evaluate = new double[grainIterations];
            var collections = Collections();
            var grainCpu = CpuUse.Start(host);
            for (var i = 0; i < grainIterations; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var snapshots = await rollup.GetPeriodsAsync(keys);
                var read = Stopwatch.GetTimestamp();
                var values = Evaluate(metrics, profile, quarter, snapshots);
                var done = Stopwatch.GetTimestamp();
                checksum += values.Health.Score ?? 0;
                call[i] = Milliseconds(read - started);
                evaluate[i] = Milliseconds(done - read);
                total[i] = Milliseconds(done - started);
            }

            var grainUse = grainCpu();
            collections = Collections() - collections;
            GC.KeepAlive(checksum);

            // Baseline: the same client's cheapest call on the same grain (two counters back, no measures),
            // which shows what the round trip between this process and the silo costs on this machine.
            var baseline = new double[grainIterations];
            var baselineCpu = CpuUse.Start(host);
            for (var i = 0; i < grainIterations; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await rollup.GetStatusAsync();
                baseline[i] = Milliseconds(Stopwatch.GetTimestamp() - started);
            }

            var baselineUse = baselineCpu();
            var fromGrains = Evaluate(metrics, profile, quarter, await rollup.GetPeriodsAsync(keys));
            var grainFigures = Figures(fromGrains);
            say($"7. grains: p50 {Reporting.PerformanceReport.Percentile(total, 0.5):F3} ms, p99 {Reporting.PerformanceReport.Percentile(total, 0.99):F3} ms over {grainIterations:N0} reads; {Describe(grainFigures)}");

            // The same numbers by SQL over the facts table.
            var parameters = Parameters(tenantId, executiveId, quarter);
            PortfolioFigures? sqlFigures = null;
            for (var i = 0; i < SqlWarmUp; i++)
            {
                var started = Stopwatch.GetTimestamp();
                sqlFigures = await QueryAsync(connection, sql, parameters);
                say($"7. SQL warm-up {i + 1}: {Milliseconds(Stopwatch.GetTimestamp() - started):N0} ms");
            }

            var sqlMs = new double[sqlIterations];
            var sqlCpu = CpuUse.Start(host);
            for (var i = 0; i < sqlIterations; i++)
            {
                var started = Stopwatch.GetTimestamp();
                sqlFigures = await QueryAsync(connection, sql, parameters);
                sqlMs[i] = Milliseconds(Stopwatch.GetTimestamp() - started);
            }

            var sqlUse = sqlCpu();

            say($"7. SQL: p50 {Reporting.PerformanceReport.Percentile(sqlMs, 0.5):N0} ms, p99 {Reporting.PerformanceReport.Percentile(sqlMs, 0.99):N0} ms over {sqlIterations:N0} runs; {Describe(sqlFigures!)}");
            var plan = await PlanAsync(connection, sql, parameters);

            var mismatches = Compare(grainFigures, sqlFigures!, accounts, (int)(sqlFigures!.Inputs["accounts"] ?? 0));
            var diagnosis = mismatches.Count == 0
                ? []
                : await DiagnoseAsync(connection, grains, tenantId, executiveId, quarter, sql, parameters, fromGrains.Current);
            return new PortfolioMetricsResult(tenantId, executiveId, quarter, executives, portfolios, accounts, tenantFacts,
                [.. warmUp], warmUpWall, total, call, evaluate, SqlWarmUp, sqlMs, grainFigures, sqlFigures, fromGrains.Health, fromGrains.PreviousHealth,
                mismatches, diagnosis, plan, grainUse, sqlUse, collections, baseline, baselineUse);
        }
        finally
        {
            await clientHost.StopAsync();
        }
    }

    /// <summary>The latest calendar quarter whose three months all lie in the data.</summary>
    public static Period LastWholeQuarter(DateOnly dataStart, int months)
    {
        var first = MonthKey.Of(dataStart);
        var last = first + months - 1;
        var (year, month) = MonthKey.Split(last);
        var quarter = Period.Quarter(year, ((month - 1) / 3) + 1);
        if (quarter.LastMonth > last)
        {
            quarter = quarter.Previous;
        }

        return quarter.FirstMonth >= first
            ? quarter
            : throw new InvalidOperationException($"The data ({months} months from {dataStart:yyyy-MM}) holds no whole quarter.");
    }

    /// <summary>The compiled formulas in force for the quarter, as the API compiles them, and the health spec.</summary>
    private sealed record InForce(CompiledFormula Nrr, CompiledFormula Grr, CompiledFormula Churn, HealthSpec Health, IReadOnlyDictionary<string, CompiledFormula> Formulas);

    /// <summary>What one evaluation produced: the API's four values, and the quarter's measures they read.</summary>
    private sealed record Evaluated(PeriodMeasures Current, MetricResult Nrr, MetricResult Grr, MetricResult Churn, HealthResult Health, HealthResult PreviousHealth, IReadOnlyDictionary<string, MetricResult> Components);

    /// <summary>
    /// What MetricValueService does with the grain's answer (ScopeReader, FormulaAsync, HealthAsync):
    /// period measures, each formula evaluated, each component evaluated and scored, for the quarter
    /// and for the quarter before (the health score's trend).
    /// </summary>
    private static Evaluated Evaluate(InForce metrics, HealthProfile profile, Period quarter, IReadOnlyList<PeriodSnapshot> snapshots)
    {
        var measures = new Dictionary<Period, PeriodMeasures>(snapshots.Count);
        foreach (var snapshot in snapshots)
        {
            var period = Period.FromKey(snapshot.Period);
            measures[period] = new PeriodMeasures(period, snapshot.Values, snapshot.MrrStart, snapshot.MrrEnd, snapshot.CustomersStart, snapshot.CustomersEnd);
        }

        var current = measures[quarter];
        var components = new Dictionary<string, MetricResult>(StringComparer.Ordinal);
        HealthResult Health(PeriodMeasures period, Dictionary<string, MetricResult>? keep)
        {
            var inputs = new List<ComponentInput>(profile.Components.Count);
            foreach (var component in profile.Components)
            {
                var result = MetricEvaluator.Evaluate(metrics.Formulas[component.MetricKey], period, null);
                keep?.Add(component.MetricKey, result);
                inputs.Add(new ComponentInput(component, 1, result.Value, result.NullReason));
            }

            return HealthScorer.Score(profile, inputs);
        }

        return new Evaluated(
            current,
            MetricEvaluator.Evaluate(metrics.Nrr, current, null),
            MetricEvaluator.Evaluate(metrics.Grr, current, null),
            MetricEvaluator.Evaluate(metrics.Churn, current, null),
            Health(current, components),
            Health(measures[quarter.Previous], null),
            components);
    }

    private static PortfolioFigures Figures(Evaluated e)
    {
        var inputs = new Dictionary<string, decimal?>(StringComparer.Ordinal);
        foreach (var measure in Measures)
        {
            inputs[measure] = MetricMeasures.Catalog.Read(measure, e.Current);
        }

        foreach (var (key, result) in e.Components)
        {
            inputs[key] = result.Value;
        }

        return new PortfolioFigures(e.Nrr.Value, e.Grr.Value, e.Churn.Value, e.Health.Score, inputs);
    }

    /// <summary>
    /// The versions in force for the quarter must be the built-in version 1 of each key (the tenant has
    /// changed nothing): the formulas are then compiled from the catalog exactly as the API compiles the
    /// stored ones.
    /// </summary>
    private static async Task<InForce> InForceAsync(ScratchDatabase database, string tenantId, Period quarter)
    {
        var health = BuiltInMetrics.All.Single(d => d.Key == HealthScoreKey);
        var componentKeys = health.Health!.Profiles.SelectMany(p => p.Components).Select(c => c.MetricKey).Distinct().ToList();
        var keys = new[] { NetRevenueRetention, GrossRevenueRetention, CustomerChurnRate, HealthScoreKey }.Concat(componentKeys).Distinct().ToArray();
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            select d.key, d.version, d.formula, d.effective_from
            from metric_definitions d
            where d.tenant_id = $1 and d.key = any($2) and d.effective_from <= $3
              and exists (select 1 from metric_definition_events e where e.tenant_id = d.tenant_id and e.key = d.key and e.version = d.version and e.event = 'approved')
              and not exists (select 1 from metric_definition_events e where e.tenant_id = d.tenant_id and e.key = d.key and e.version = d.version and e.event = 'retired')
            order by d.key, d.version
            """, connection);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = keys });
        command.Parameters.Add(new() { Value = quarter.Start });
        var stored = new List<(string Key, int Version, string? Formula)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored.Add((reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            }
        }

        var formulas = new Dictionary<string, CompiledFormula>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var builtIn = BuiltInMetrics.All.Single(d => d.Key == key);
            var versions = stored.Where(s => s.Key == key).ToList();
            if (versions is not [{ Version: 1 } only] || only.Formula != builtIn.Formula)
            {
                throw new InvalidOperationException($"Tenant {tenantId}: the version of {key} in force for {quarter} is not the built-in version 1 ({versions.Count} approved versions).");
            }

            if (builtIn.Kind == DefinitionKind.Formula)
            {
                formulas[key] = FormulaCompiler.Compile(builtIn.Formula!, builtIn.Unit, MetricMeasures.Catalog) is { Formula: { } compiled }
                    ? compiled
                    : throw new InvalidOperationException($"The built-in formula of {key} does not compile.");
            }
        }

        return new InForce(formulas[NetRevenueRetention], formulas[GrossRevenueRetention], formulas[CustomerChurnRate], health.Health!, formulas);
    }

    /// <summary>
    /// One pass over the tenant's facts, grouped by account, then the portfolio, its measures, the
    /// formulas and the health score. Conventions (docs/metrics.md): an account belongs to the portfolio
    /// of its owner in the quarter's last month (the latest account.assigned, or the account.created
    /// owner, effective in or before it: by month, then by fact id); MRR and customer levels are
    /// running sums of mrr.changed movements; retention and churn count only what the customers paying
    /// at the start did; retained MRR is, per account, at most its start (min of start and end); a
    /// customer acquired and lost within the quarter is not churn; facts replaced by a correction are
    /// left out. Every index of <c>facts</c> leads with tenant_id and none has kind or occurred_at, so
    /// one scan of the tenant's rows with every condition applied on the way is as good as it gets.
    /// </summary>
    private static string Sql(HealthProfile profile)
    {
        if (profile.Missing != MissingInputRule.Renormalize)
        {
            throw new InvalidOperationException($"The SQL encodes the renormalize rule, not {profile.Missing}.");
        }

        var components = string.Join(",\n                    ", profile.Components.Select(c => ComponentColumns.Contains(c.MetricKey)
            ? $"({Number(c.Weight)}, {Number(c.Worst)}, {Number(c.Best)}, m.{c.MetricKey})"
            : throw new InvalidOperationException($"The SQL does not compute the health component {c.MetricKey}.")));
        return PerAccountSql + $"""
            ,
            portfolio as (
                select count(*) as accounts,
                    coalesce(sum(mrr_start), 0) as mrr_start,
                    coalesce(sum(mrr_end), 0) as mrr_end,
                    coalesce(sum(customers_start), 0) as customers_start,
                    coalesce(sum(customers_end), 0) as customers_end,
                    coalesce(sum(new_mrr), 0) as mrr_new,
                    coalesce(sum(expansion), 0) as mrr_expansion,
                    coalesce(sum(contraction), 0) as mrr_contraction,
                    coalesce(sum(churned), 0) as mrr_churned,
                    coalesce(sum(reactivated), 0) as mrr_reactivated,
                    coalesce(sum(new_movements), 0) as customers_new,
                    coalesce(sum(churn_movements), 0) as customers_churned,
                    coalesce(sum(reactivation_movements), 0) as customers_reactivated,
                    -- flows of the customers paying at the start (their MRR then above zero)
                    coalesce(sum(expansion) filter (where mrr_start > 0), 0) as mrr_expansion_existing,
                    coalesce(sum(contraction) filter (where mrr_start > 0), 0) as mrr_contraction_existing,
                    coalesce(sum(churned) filter (where mrr_start > 0), 0) as mrr_churned_existing,
                    coalesce(sum(reactivated) filter (where mrr_start > 0), 0) as mrr_reactivated_existing,
                    -- per account, how far MRR fell over the quarter: retained = start − this
                    coalesce(sum(greatest(0, mrr_start - mrr_end)), 0) as mrr_net_decrease,
                    -- per account, customers at the start gone at the end: acquired-and-lost within the quarter is not churn
                    coalesce(sum(greatest(0, churn_movements - new_movements - reactivation_movements)), 0) as customers_lost,
                    count(*) filter (where contraction_movements > 0) as customers_downgraded,
                    count(*) filter (where active_users > 0) as accounts_active,
                    coalesce(sum(active_users), 0) as active_users,
                    coalesce(sum(feature_users), 0) as feature_users,
                    coalesce(sum(nps_responses), 0) as nps_responses,
                    coalesce(sum(nps_promoters), 0) as nps_promoters,
                    coalesce(sum(nps_detractors), 0) as nps_detractors,
                    coalesce(sum(tickets_resolved), 0) as tickets_resolved,
                    coalesce(sum(tickets_resolved_first_contact), 0) as tickets_resolved_first_contact
                from per_account
                where owner = @executive
            ),
            metrics as (
                select p.*,
                    (mrr_start + mrr_expansion_existing + mrr_reactivated_existing - mrr_contraction_existing - mrr_churned_existing) / nullif(mrr_start, 0) as net_revenue_retention,
                    (mrr_start - mrr_net_decrease) / nullif(mrr_start, 0) as gross_revenue_retention,
                    customers_lost::numeric / nullif(customers_start, 0) as customer_churn_rate,
                    100 * (0.5 * least(greatest(coalesce(accounts_active::numeric / nullif(customers_start, 0), 0), 0), 1)
                         + 0.5 * coalesce(feature_users::numeric / nullif(active_users, 0), 0)) as customer_engagement_score,
                    100 * (nps_promoters - nps_detractors)::numeric / nullif(nps_responses, 0) as net_promoter_score,
                    tickets_resolved_first_contact::numeric / nullif(tickets_resolved, 0) as first_contact_resolution,
                    100 * least(greatest(
                            0.4 * coalesce(customers_downgraded::numeric / nullif(customers_start, 0), 0)
                          + 0.3 * coalesce(nps_detractors::numeric / nullif(nps_responses, 0), 0)
                          + 0.3 * (1 - least(greatest(coalesce(accounts_active::numeric / nullif(customers_start, 0), 1), 0), 1)), 0), 1) as churn_risk_score
                from portfolio p
            )
            select m.*,
                (select case when sum(c.weight) filter (where c.value is not null) > 0
                              and sum(c.weight) filter (where c.value is not null) / sum(c.weight) >= {Number(profile.MinCoverage)}
                         then round(sum(c.weight * least(greatest((c.value - c.worst) / (c.best - c.worst), 0), 1) * 100) filter (where c.value is not null)
                                    / sum(c.weight) filter (where c.value is not null), 2)
                         end
                 from (values
                    {components}) as c(weight, worst, best, value)) as customer_health_score
            from metrics m
            """;
    }

    /// <summary>The per-account part, shared by the measured statement and the diagnosis.</summary>
    private const string PerAccountSql =
        """
        with relevant as (
            select f.account_id, f.kind, f.fact_id, f.occurred_at, f.payload
            from facts f
            where f.tenant_id = @tenant
              and (f.kind in ('account.created', 'account.assigned')
                or (f.kind = 'mrr.changed' and f.occurred_at < @quarter_end)
                or (f.kind in ('usage.recorded', 'survey.responded', 'ticket.resolved') and f.occurred_at >= @quarter_start and f.occurred_at < @quarter_end))
              and not exists (select 1 from facts c where c.tenant_id = f.tenant_id and c.supersedes_fact_id = f.fact_id)
        ),
        typed as (
            select account_id, kind, fact_id,
                occurred_at >= @quarter_start as in_quarter,
                case kind when 'account.created' then payload->>'ownerExecutiveId' when 'account.assigned' then payload->>'executiveId' end as owner,
                -- the month (year × 12 + month − 1, UTC) an ownership takes effect
                case kind
                    when 'account.created' then (extract(year from occurred_at at time zone 'UTC') * 12 + extract(month from occurred_at at time zone 'UTC') - 1)::int
                    when 'account.assigned' then (extract(year from (payload->>'effectiveFrom')::date) * 12 + extract(month from (payload->>'effectiveFrom')::date) - 1)::int
                end as owner_from,
                case when kind = 'mrr.changed' then payload->>'movement' end as movement,
                case when kind = 'mrr.changed' then (payload->>'amount')::numeric end as amount,
                case when kind = 'usage.recorded' then payload->>'userId' end as user_id,
                case when kind = 'usage.recorded' then payload->>'feature' end as feature,
                case when kind = 'survey.responded' and payload->>'survey' = 'nps' then (payload->>'score')::int end as nps_score,
                case when kind = 'ticket.resolved' then (payload->>'contacts')::int end as contacts
            from relevant
        ),
        per_account as (
            select account_id,
                -- the owner in the quarter's last month: the latest ownership effective by then, by month, then fact id
                (array_agg(owner order by owner_from desc, fact_id desc) filter (where owner is not null and owner_from <= @last_month))[1] as owner,
                -- levels: running sums of the movements before the quarter (start) and through it (end)
                coalesce(sum(case when movement in ('new', 'expansion', 'reactivation') then amount else -amount end) filter (where movement is not null and not in_quarter), 0) as mrr_start,
                coalesce(sum(case when movement in ('new', 'expansion', 'reactivation') then amount else -amount end) filter (where movement is not null), 0) as mrr_end,
                coalesce(sum(case movement when 'churn' then -1 else 1 end) filter (where movement in ('new', 'reactivation', 'churn') and not in_quarter), 0) as customers_start,
                coalesce(sum(case movement when 'churn' then -1 else 1 end) filter (where movement in ('new', 'reactivation', 'churn')), 0) as customers_end,
                -- the quarter's movements
                coalesce(sum(amount) filter (where in_quarter and movement = 'new'), 0) as new_mrr,
                coalesce(sum(amount) filter (where in_quarter and movement = 'expansion'), 0) as expansion,
                coalesce(sum(amount) filter (where in_quarter and movement = 'contraction'), 0) as contraction,
                coalesce(sum(amount) filter (where in_quarter and movement = 'churn'), 0) as churned,
                coalesce(sum(amount) filter (where in_quarter and movement = 'reactivation'), 0) as reactivated,
                count(*) filter (where in_quarter and movement = 'new') as new_movements,
                count(*) filter (where in_quarter and movement = 'churn') as churn_movements,
                count(*) filter (where in_quarter and movement = 'reactivation') as reactivation_movements,
                count(*) filter (where in_quarter and movement = 'contraction') as contraction_movements,
                -- distinct within the account and the whole quarter, then summed over accounts
                count(distinct user_id) as active_users,
                count(distinct user_id) filter (where feature is not null) as feature_users,
                count(nps_score) as nps_responses,
                count(*) filter (where nps_score >= 9) as nps_promoters,
                count(*) filter (where nps_score <= 6) as nps_detractors,
                count(contacts) as tickets_resolved,
                count(*) filter (where contacts = 1) as tickets_resolved_first_contact
            from typed
            group by account_id
        )
        """;

    private static Dictionary<string, object> Parameters(string tenantId, string executiveId, Period quarter) => new()
    {
        ["tenant"] = tenantId,
        ["executive"] = executiveId,
        ["quarter_start"] = MonthKey.Start(quarter.FirstMonth).UtcDateTime,
        ["quarter_end"] = MonthKey.Start(quarter.LastMonth + 1).UtcDateTime,
        ["last_month"] = quarter.LastMonth,
    };

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, Dictionary<string, object> parameters)
    {
        var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static async Task<PortfolioFigures> QueryAsync(NpgsqlConnection connection, string sql, Dictionary<string, object> parameters)
    {
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            throw new InvalidOperationException("The SQL returned no row.");
        }

        var values = new Dictionary<string, decimal?>(StringComparer.Ordinal);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            values[reader.GetName(i)] = reader.IsDBNull(i) ? null : Convert.ToDecimal(reader.GetValue(i), CultureInfo.InvariantCulture);
        }

        return new PortfolioFigures(values[NetRevenueRetention], values[GrossRevenueRetention], values[CustomerChurnRate], values[HealthScoreKey], values);
    }

    private static async Task<string> PlanAsync(NpgsqlConnection connection, string sql, Dictionary<string, object> parameters)
    {
        await using var command = Command(connection, "explain (analyze, buffers, costs off) " + sql, parameters);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new() { Value = parameter });
        }

        return await command.ExecuteScalarAsync();
    }

    /// <summary>Accounts per owner at the quarter's end, biggest first: the same ownership rule as the measured SQL.</summary>
    private static async Task<List<(string ExecutiveId, int Accounts)>> PortfoliosAsync(NpgsqlConnection connection, string tenantId, Period quarter)
    {
        await using var command = Command(connection, PerAccountSql + """
            select owner, count(*)::int from per_account where owner is not null group by owner order by count(*) desc, owner
            """, Parameters(tenantId, "", quarter));
        var portfolios = new List<(string, int)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            portfolios.Add((reader.GetString(0), reader.GetInt32(1)));
        }

        return portfolios;
    }

    /// <summary>Every measure and number the two sides disagree on; empty when they agree.</summary>
    private static List<string> Compare(PortfolioFigures grains, PortfolioFigures sql, int accounts, int sqlAccounts)
    {
        var problems = new List<string>();
        if (accounts != sqlAccounts)
        {
            problems.Add($"accounts in the portfolio: {accounts:N0} by the ownership query, {sqlAccounts:N0} in the measured SQL");
        }

        foreach (var measure in Measures)
        {
            if (grains.Inputs[measure] != sql.Inputs[measure])
            {
                problems.Add($"{measure}: grains {Show(grains.Inputs[measure])}, SQL {Show(sql.Inputs[measure])}");
            }
        }

        foreach (var key in grains.Inputs.Keys.Where(k => !Measures.Contains(k)))
        {
            var tolerance = key.EndsWith("_score", StringComparison.Ordinal) ? 100 * RatioTolerance : RatioTolerance;
            if (!Close(grains.Inputs[key], sql.Inputs[key], tolerance))
            {
                problems.Add($"{key} (health component): grains {Show(grains.Inputs[key])}, SQL {Show(sql.Inputs[key])}");
            }
        }

        void Number(string name, decimal? g, decimal? s, decimal tolerance)
        {
            if (!Close(g, s, tolerance))
            {
                problems.Add($"{name}: grains {Show(g)}, SQL {Show(s)}");
            }
        }

        Number(NetRevenueRetention, grains.NetRevenueRetention, sql.NetRevenueRetention, RatioTolerance);
        Number(GrossRevenueRetention, grains.GrossRevenueRetention, sql.GrossRevenueRetention, RatioTolerance);
        Number(CustomerChurnRate, grains.CustomerChurnRate, sql.CustomerChurnRate, RatioTolerance);
        Number(HealthScoreKey, grains.HealthScore, sql.HealthScore, 0.01m);
        return problems;
    }

    private static bool Close(decimal? a, decimal? b, decimal tolerance) =>
        (a is null && b is null) || (a is { } x && b is { } y && Math.Abs(x - y) <= tolerance);

    /// <summary>
    /// When the sides disagree: the portfolio's accounts (by the SQL's ownership) each read from its
    /// account grain and compared with the SQL's per-account row, and their sum compared with the
    /// roll-up. Accounts that differ point at the account grains (or the SQL); equal accounts whose sum
    /// differs from the roll-up point at the roll-up's bookkeeping or at ownership.
    /// </summary>
    private static async Task<List<string>> DiagnoseAsync(
        NpgsqlConnection connection, IGrainFactory grains, string tenantId, string executiveId, Period quarter,
        string sql, Dictionary<string, object> parameters, PeriodMeasures rollup)
    {
        var lines = new List<string>();
        var rows = new List<Dictionary<string, object?>>();
        await using (var command = Command(connection, PerAccountSql + "select * from per_account where owner = @executive order by account_id", parameters))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var row = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(row);
            }
        }

        decimal D(object? value) => value is null ? 0 : Convert.ToDecimal(value, CultureInfo.InvariantCulture);
        long sumMrrStart = 0, sumMrrEnd = 0, sumCustomersStart = 0, sumCustomersEnd = 0;
        var differing = 0;
        foreach (var row in rows)
        {
            var accountId = (string)row["account_id"]!;
            var snapshot = (await grains.GetGrain<IAccountGrain>(GrainKeys.Account(tenantId, accountId)).GetPeriodsAsync([quarter.Key]))[0];
            var v = snapshot.Values;
            sumMrrStart += snapshot.MrrStart;
            sumMrrEnd += snapshot.MrrEnd;
            sumCustomersStart += snapshot.CustomersStart;
            sumCustomersEnd += snapshot.CustomersEnd;
            var pairs = new (string Name, decimal Grain, decimal Sql)[]
            {
                ("mrr_start", Governance.Domain.Facts.Money.FromUnits(snapshot.MrrStart), D(row["mrr_start"])),
                ("mrr_end", Governance.Domain.Facts.Money.FromUnits(snapshot.MrrEnd), D(row["mrr_end"])),
                ("customers_start", snapshot.CustomersStart, D(row["customers_start"])),
                ("customers_end", snapshot.CustomersEnd, D(row["customers_end"])),
                ("mrr_expansion", Governance.Domain.Facts.Money.FromUnits(v[(int)Measure.MrrExpansion]), D(row["expansion"])),
                ("mrr_contraction", Governance.Domain.Facts.Money.FromUnits(v[(int)Measure.MrrContraction]), D(row["contraction"])),
                ("mrr_churned", Governance.Domain.Facts.Money.FromUnits(v[(int)Measure.MrrChurned]), D(row["churned"])),
                ("mrr_reactivated", Governance.Domain.Facts.Money.FromUnits(v[(int)Measure.MrrReactivated]), D(row["reactivated"])),
                ("customers_new", v[(int)Measure.CustomersNew], D(row["new_movements"])),
                ("customers_churned", v[(int)Measure.CustomersChurned], D(row["churn_movements"])),
                ("active_users", v[(int)Measure.ActiveUsers], D(row["active_users"])),
                ("feature_users", v[(int)Measure.FeatureUsers], D(row["feature_users"])),
                ("nps_responses", v[(int)Measure.NpsResponses], D(row["nps_responses"])),
                ("tickets_resolved", v[(int)Measure.TicketsResolved], D(row["tickets_resolved"])),
            };
            var different = pairs.Where(p => p.Grain != p.Sql).ToList();
            if (different.Count > 0 && ++differing <= 10)
            {
                lines.Add($"account {accountId}: " + string.Join(", ", different.Select(d => $"{d.Name} grain {d.Grain} / SQL {d.Sql}")));
            }
        }

        lines.Insert(0, $"{rows.Count:N0} accounts of {executiveId} by the SQL's ownership; {differing:N0} of them differ between their account grain and the SQL (first ten below).");
        lines.Insert(1, $"Summed over those accounts, the account grains give MRR {Governance.Domain.Facts.Money.FromUnits(sumMrrStart)} → {Governance.Domain.Facts.Money.FromUnits(sumMrrEnd)}, customers {sumCustomersStart} → {sumCustomersEnd}; " +
            $"the portfolio roll-up says MRR {Governance.Domain.Facts.Money.FromUnits(rollup.MrrStart)} → {Governance.Domain.Facts.Money.FromUnits(rollup.MrrEnd)}, customers {rollup.CustomersStart} → {rollup.CustomersEnd}.");
        return lines;
    }

    private static string Describe(PortfolioFigures f) =>
        $"NRR {Show(f.NetRevenueRetention, 6)}, GRR {Show(f.GrossRevenueRetention, 6)}, churn {Show(f.CustomerChurnRate, 6)}, health {Show(f.HealthScore)}; " +
        $"MRR {Show(f.Inputs["mrr_start"])} → {Show(f.Inputs["mrr_end"])}, customers {Show(f.Inputs["customers_start"])} → {Show(f.Inputs["customers_end"])}";

    public static string Show(decimal? value, int decimals = -1) => value is not { } v
        ? "null"
        : decimals < 0 ? v.ToString(CultureInfo.InvariantCulture) : Math.Round(v, decimals).ToString(CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture) + "::numeric";

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static int Collections() => GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
}
