using Governance.Abstractions;
using Governance.Abstractions.Accounts;
using Governance.Api.GraphQL;
using Governance.Api.Metrics.Values;
using Governance.Domain.Measures;
using Governance.Domain.Metrics;
using Governance.Storage.Facts;
using Governance.Storage.Findings;
using GraphQL;

namespace Governance.Api.Reports;

/// <summary>
/// Builds a report when asked: reads the cadence's metrics for the scope (current, previous and, for a
/// quarter, a year before), then each account of the scope (health, churn risk, expansion opportunity,
/// what it expanded or lost), and the open findings that touch them; <see cref="ReportSections"/> turns
/// that into the seed's six sections. Reading writes nothing.
/// </summary>
public sealed class ReportBuilder(MetricValueService values, FactStore facts, FindingStore findings, IGrainFactory grains, TimeProvider time)
{
    /// <summary>
    /// The most accounts one report reads one by one (in account id order); a bigger scope's totals and
    /// metrics are still whole, but its account rankings cover only these, and the report says so.
    /// </summary>
    public const int MaxAccounts = 250;

    // Accounts read side by side: enough to hide grain latency, few enough not to crowd the silo.
    private const int Parallel = 16;

    public async Task<Report> BuildAsync(string tenantId, MetricScope scope, ReportPeriod period, CancellationToken cancellationToken)
    {
        var reader = await values.OpenAsync(tenantId, scope);
        var lines = new List<MetricLine>();
        foreach (var key in ReportMetrics.Of(period.Cadence))
        {
            lines.Add(await LineAsync(tenantId, key, reader, period, cancellationToken));
        }

        var totals = (await reader.ReadAsync([period.Current]))[period.Current];
        var (accounts, inScope) = await AccountsAsync(tenantId, scope, period.Current, cancellationToken);
        var rows = new List<AccountRow>();
        foreach (var chunk in accounts.Chunk(Parallel))
        {
            rows.AddRange(await Task.WhenAll(chunk.Select(a => AccountAsync(tenantId, a, period.Current, cancellationToken))));
        }

        var open = await OpenFindingsAsync(tenantId, scope, accounts, period.Current, cancellationToken);
        var inputs = new ReportInputs(period, scope, lines, totals, rows, inScope, open);
        var notes = new List<string> { $"Covers {period.Covers}." };
        if (inScope > accounts.Count)
        {
            notes.Add($"The scope has {inScope} accounts; account rankings read the first {accounts.Count} by id.");
        }

        return new Report(period.Cadence, scope, period, time.GetUtcNow(), notes, ReportSections.Compose(inputs));
    }

    /// <summary>A metric's current, previous and year-ago values; a period no version governs has no data, with the reason.</summary>
    private async Task<MetricLine> LineAsync(string tenantId, string key, ScopeReader reader, ReportPeriod period, CancellationToken cancellationToken)
    {
        var current = await TryValueAsync(tenantId, key, reader, period.Current, cancellationToken);
        var previous = await TryValueAsync(tenantId, key, reader, period.Previous, cancellationToken);
        var yearAgo = period.YearAgo is { } ago ? await TryValueAsync(tenantId, key, reader, ago, cancellationToken) : default;
        return new MetricLine(key, current.Value, current.Reason, previous.Value, yearAgo.Value);
    }

    private async Task<(MetricValue? Value, string? Reason)> TryValueAsync(string tenantId, string key, ScopeReader reader, Period period, CancellationToken cancellationToken)
    {
        try
        {
            var value = await values.ValueAsync(tenantId, key, reader, period, null, cancellationToken);
            return (value, value.NullReason);
        }
        catch (ExecutionError e) when (e.Code is "NO_VERSION_IN_FORCE" or ErrorCodes.NotFound)
        {
            // A tenant may have retired a built-in or have none in force yet: the report shows the gap.
            return (null, e.Message);
        }
    }

    /// <summary>
    /// The accounts of the scope, capped at <see cref="MaxAccounts"/>, and how many there are. An
    /// executive's are those the portfolio held in the period's last month (docs/metrics.md: a period
    /// belongs to the owner of its last month).
    /// </summary>
    private async Task<(IReadOnlyList<string> Accounts, int InScope)> AccountsAsync(string tenantId, MetricScope scope, Period period, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> all;
        switch (scope.Kind)
        {
            case ScopeKind.Account:
                all = [scope.Id!];
                break;
            case ScopeKind.Segment:
                all = await facts.AccountsOfSegmentAsync(tenantId, scope.Id!, cancellationToken);
                break;
            case ScopeKind.Tenant:
                all = await facts.AccountsOfTenantAsync(tenantId, cancellationToken);
                break;
            default:
                var held = new List<string>();
                foreach (var chunk in (await facts.AccountsOfPortfolioAsync(tenantId, scope.Id!, cancellationToken)).Chunk(64))
                {
                    var owners = await Task.WhenAll(chunk.Select(a => grains.GetGrain<IAccountGrain>(GrainKeys.Account(tenantId, a)).GetOwnerAsync(period.LastMonth)));
                    held.AddRange(chunk.Where((_, i) => string.Equals(owners[i], scope.Id, StringComparison.Ordinal)));
                }

                all = held;
                break;
        }

        return (all.Take(MaxAccounts).ToList(), all.Count);
    }

    private async Task<AccountRow> AccountAsync(string tenantId, string accountId, Period period, CancellationToken cancellationToken)
    {
        var reader = await values.OpenAsync(tenantId, new MetricScope(ScopeKind.Account, accountId));
        var health = (await TryValueAsync(tenantId, ReportMetrics.Health, reader, period, cancellationToken)).Value;
        var risk = (await TryValueAsync(tenantId, ReportMetrics.ChurnRisk, reader, period, cancellationToken)).Value;
        var previousRisk = (await TryValueAsync(tenantId, ReportMetrics.ChurnRisk, reader, period.Previous, cancellationToken)).Value;
        var opportunity = (await TryValueAsync(tenantId, ReportMetrics.ExpansionOpportunity, reader, period, cancellationToken)).Value;
        var previousOpportunity = (await TryValueAsync(tenantId, ReportMetrics.ExpansionOpportunity, reader, period.Previous, cancellationToken)).Value;
        var measures = (await reader.ReadAsync([period]))[period];
        return new AccountRow(accountId, health, risk?.Value, previousRisk?.Value, opportunity?.Value, previousOpportunity?.Value,
            MetricMeasures.Catalog.Read("mrr_expansion", measures), MetricMeasures.Catalog.Read("mrr_churned", measures),
            MetricMeasures.Catalog.Read("customers_lost", measures) > 0);
    }

    /// <summary>
    /// Open findings about the scope or one of its accounts (or about everything), for a period that
    /// overlaps the report's (or for no period). A tenant report takes every scope.
    /// </summary>
    private async Task<IReadOnlyList<FindingRow>> OpenFindingsAsync(string tenantId, MetricScope scope, IReadOnlyList<string> accounts, Period period, CancellationToken cancellationToken)
    {
        var scopes = accounts.Select(a => new MetricScope(ScopeKind.Account, a).ToString()).Append(scope.ToString()).ToHashSet(StringComparer.Ordinal);
        var open = await findings.ListAsync(tenantId, openOnly: true, kind: null, first: FindingStore.MaxPage, cancellationToken);
        return open
            .Where(f => scope.Kind == ScopeKind.Tenant || f.Scope is null || scopes.Contains(f.Scope))
            .Where(f => f.Period is null || (Period.TryParse(f.Period, out var p) && p.FirstMonth <= period.LastMonth && p.LastMonth >= period.FirstMonth))
            .OrderBy(f => f.DetectedAt)
            .ToList();
    }
}

/// <summary>A metric of the cadence: its values (null when no version governs the period) and why the current one has none.</summary>
public sealed record MetricLine(string Key, MetricValue? Current, string? NullReason, MetricValue? Previous, MetricValue? YearAgo);

/// <summary>What a report read about one account of the scope.</summary>
public sealed record AccountRow(
    string AccountId,
    MetricValue? Health,
    decimal? ChurnRisk,
    decimal? PreviousChurnRisk,
    decimal? ExpansionOpportunity,
    decimal? PreviousExpansionOpportunity,
    decimal MrrExpansion,
    decimal MrrChurned,
    bool Lost);

/// <summary>Everything the sections are composed from.</summary>
public sealed record ReportInputs(
    ReportPeriod Period,
    MetricScope Scope,
    IReadOnlyList<MetricLine> Lines,
    PeriodMeasures Totals,
    IReadOnlyList<AccountRow> Accounts,
    int AccountsInScope,
    IReadOnlyList<FindingRow> OpenFindings);
