using Governance.Api.Metrics.Values;
using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Definitions;
using Governance.Domain.Metrics.Values;
using static Governance.Api.Reports.ReportFormat;

namespace Governance.Api.Reports;

/// <summary>
/// Composes the seed's six sections from what <see cref="ReportBuilder"/> read. Every sentence is made
/// from a value it shows; the action rules are fixed and documented (docs/api.md, "Reports").
/// </summary>
public static class ReportSections
{
    /// <summary>How many accounts a ranking lists.</summary>
    public const int Listed = 5;

    /// <summary>A churn risk score from which an account gets an outreach action.</summary>
    public const decimal HighChurnRisk = 50;

    /// <summary>An expansion opportunity score from which an account is flagged for the upsell playbook.</summary>
    public const decimal HighExpansionOpportunity = 60;

    /// <summary>How many open findings the actions list one by one.</summary>
    public const int ListedFindings = 10;

    public static IReadOnlyList<ReportSection> Compose(ReportInputs inputs)
    {
        var metrics = inputs.Lines.Select(l => Metric(inputs.Period, l)).ToList();
        return
        [
            new(ReportSectionKey.ExecutiveSummary, Summary(inputs, metrics)),
            new(ReportSectionKey.KeyMetricsAndTrends, KeyMetrics(inputs, metrics)),
            new(ReportSectionKey.CustomerHealthHighlights, Health(inputs)),
            new(ReportSectionKey.ChurnAndExpansionRisks, Risks(inputs)),
            new(ReportSectionKey.ActionsAndNextSteps, Actions(inputs, metrics)),
            new(ReportSectionKey.WinsAndLearnings, WinsAndLearnings(inputs, metrics)),
        ];
    }

    private static ReportItem Metric(ReportPeriod period, MetricLine line)
    {
        var definition = line.Current?.Definition ?? line.Previous?.Definition ?? line.YearAgo?.Definition;
        var unit = definition?.Unit ?? Unit.Score;
        var direction = definition?.Direction ?? Direction.HigherIsBetter;
        var name = definition?.Name ?? line.Key;
        var value = line.Current?.Value;
        var previous = line.Previous?.Value;
        var yearAgo = line.YearAgo?.Value;
        var change = value - previous;
        var fromYearAgo = value - yearAgo;
        var verdict = Verdict(direction, change);
        var text = value is null
            ? $"{name}: {NoData}{(line.NullReason is { } reason ? $" ({reason})" : "")}; {period.Previous}: {Value(unit, previous)}"
            : change is null
                ? $"{name}: {Value(unit, value)} ({period.Previous}: {NoData})"
                : $"{name}: {Value(unit, value)} ({Change(unit, change)} vs {period.Previous}, {Words(verdict)})";
        if (period.YearAgo is { } ago && value is not null)
        {
            text += fromYearAgo is null ? $"; {ago}: {NoData}" : $"; {Value(unit, yearAgo)} in {ago} ({Change(unit, fromYearAgo)})";
        }

        return new ReportItem(ReportItemKind.Metric, text)
        {
            MetricKey = line.Key, MetricName = name, Unit = unit, Direction = direction,
            Value = value, Previous = previous, Change = change, YearAgo = yearAgo, ChangeFromYearAgo = fromYearAgo,
            Verdict = verdict, Band = line.Current?.Health?.Band, NullReason = value is null ? line.NullReason ?? NoData : null,
        };
    }

    private static List<ReportItem> Summary(ReportInputs inputs, List<ReportItem> metrics)
    {
        var items = new List<ReportItem>();
        var totals = inputs.Totals;
        var catalog = MetricMeasures.Catalog;
        if (inputs.AccountsInScope == 0 && totals.CustomersStart == 0 && totals.CustomersEnd == 0)
        {
            items.Add(new ReportItem(ReportItemKind.Sentence, $"No accounts in {inputs.Scope} for {inputs.Period.Current}: {NoData}."));
        }
        else
        {
            items.Add(new ReportItem(ReportItemKind.Sentence,
                $"Customers: {totals.CustomersStart} at the start of {inputs.Period.Current}, {catalog.Read("customers_lost", totals):0} lost, " +
                $"{catalog.Read("customers_new", totals):0} new, {totals.CustomersEnd} at the end; " +
                $"MRR {Value(Unit.Money, catalog.Read("mrr_start", totals))} to {Value(Unit.Money, catalog.Read("mrr_end", totals))}.")
            {
                Value = catalog.Read("customers_lost", totals),
            });
        }

        foreach (var metric in metrics.Take(ReportMetrics.Headline))
        {
            items.Add(metric with { Kind = ReportItemKind.Sentence, Text = metric.Text + "." });
        }

        var judged = metrics.Where(m => m.Verdict != ReportVerdict.NoData).ToList();
        items.Add(new ReportItem(ReportItemKind.Sentence,
            $"Of {metrics.Count} key metrics, {metrics.Count(m => m.Verdict == ReportVerdict.Improved)} improved, " +
            $"{metrics.Count(m => m.Verdict == ReportVerdict.Worsened)} worsened, {judged.Count(m => m.Verdict == ReportVerdict.Unchanged)} held " +
            $"and {metrics.Count - judged.Count} have {NoData} to compare."));

        var bands = Bands(inputs.Accounts);
        if (inputs.Accounts.Count > 0)
        {
            items.Add(new ReportItem(ReportItemKind.Sentence,
                $"Health of {Count(inputs.Accounts.Count, "account", "accounts")}: {bands[HealthBand.Green]} green, {bands[HealthBand.Yellow]} yellow, " +
                $"{bands[HealthBand.Red]} red, {inputs.Accounts.Count(a => a.Health?.Health?.Band is null)} without a score."));
        }

        if (inputs.OpenFindings.Count > 0)
        {
            items.Add(new ReportItem(ReportItemKind.Sentence,
                $"{Count(inputs.OpenFindings.Count, "open data finding touches", "open data findings touch")} this report: see Actions & Next Steps."));
        }

        return items;
    }

    private static List<ReportItem> KeyMetrics(ReportInputs inputs, List<ReportItem> metrics)
    {
        var items = new List<ReportItem>();
        foreach (var (line, metric) in inputs.Lines.Zip(metrics))
        {
            items.Add(metric);
            // The NRR breakdown the seed asks of leadership: the movements the ratio is made of.
            if (line.Key == ReportMetrics.NetRevenueRetention && line.Current is { Value: not null, Measures.Count: > 0 } nrr)
            {
                items.Add(new ReportItem(ReportItemKind.Sentence,
                    $"{metric.MetricName} breakdown: {string.Join(", ", nrr.Measures.Select(m => $"{m.Measure} {Value(Unit.Money, m.Value)}"))}.")
                {
                    MetricKey = line.Key,
                });
            }
        }

        return items;
    }

    private static List<ReportItem> Health(ReportInputs inputs)
    {
        var items = new List<ReportItem>();
        var scoped = inputs.Lines.FirstOrDefault(l => l.Key == ReportMetrics.Health)?.Current;
        if (scoped?.Health is { } health)
        {
            items.Add(new ReportItem(ReportItemKind.Sentence,
                $"Health score of {inputs.Scope}: {Value(Unit.Score, health.Score)}{BandText(health.Band)}; " +
                $"{inputs.Period.Previous}: {Value(Unit.Score, scoped.Trend?.PreviousScore)}{BandText(scoped.Trend?.PreviousBand)}.")
            {
                MetricKey = ReportMetrics.Health, Value = health.Score, Previous = scoped.Trend?.PreviousScore, Band = health.Band,
                NullReason = health.Score is null ? health.NullReason : null,
            });
        }

        if (inputs.Accounts.Count == 0)
        {
            items.Add(new ReportItem(ReportItemKind.Note, $"No accounts to score: {NoData}."));
            return items;
        }

        var bands = Bands(inputs.Accounts);
        foreach (var band in new[] { HealthBand.Green, HealthBand.Yellow, HealthBand.Red })
        {
            items.Add(new ReportItem(ReportItemKind.HealthBand, $"{band}: {Count(bands[band], "account", "accounts")}") { Band = band, Value = bands[band] });
        }

        var unscored = inputs.Accounts.Where(a => a.Health?.Health?.Band is null).ToList();
        items.Add(new ReportItem(ReportItemKind.HealthBand, $"Without a score: {Count(unscored.Count, "account", "accounts")}" +
            (unscored.Count > 0 && unscored[0].Health?.NullReason is { } reason ? $" (e.g. {unscored[0].AccountId}: {reason})" : ""))
        {
            Value = unscored.Count,
        });

        foreach (var account in EnteredRed(inputs.Accounts))
        {
            items.Add(AccountHealth(account, $"{account.AccountId} entered red"));
        }

        foreach (var account in inputs.Accounts.Where(a => a.Health?.Value is not null).OrderBy(a => a.Health!.Value).ThenBy(a => a.AccountId, StringComparer.Ordinal).Take(Listed))
        {
            items.Add(AccountHealth(account, $"Lowest health: {account.AccountId}"));
        }

        return items;
    }

    private static List<ReportItem> Risks(ReportInputs inputs)
    {
        var items = new List<ReportItem>();
        var risky = inputs.Accounts.Where(a => a.ChurnRisk is > 0)
            .OrderByDescending(a => a.ChurnRisk).ThenBy(a => a.Health?.Value ?? decimal.MaxValue).ThenBy(a => a.AccountId, StringComparer.Ordinal)
            .Take(Listed).ToList();
        foreach (var account in risky)
        {
            items.Add(new ReportItem(ReportItemKind.ChurnRisk,
                $"Churn risk {account.AccountId}: {Value(Unit.Score, account.ChurnRisk)} ({inputs.Period.Previous}: {Value(Unit.Score, account.PreviousChurnRisk)}); " +
                $"health {Value(Unit.Score, account.Health?.Value)}{BandText(account.Health?.Health?.Band)}")
            {
                MetricKey = ReportMetrics.ChurnRisk, AccountId = account.AccountId, Value = account.ChurnRisk, Previous = account.PreviousChurnRisk,
                Change = account.ChurnRisk - account.PreviousChurnRisk, Band = account.Health?.Health?.Band,
            });
        }

        if (risky.Count == 0)
        {
            items.Add(new ReportItem(ReportItemKind.Note, $"No account has a churn risk above 0 in {inputs.Period.Current}."));
        }

        foreach (var account in inputs.Accounts.Where(a => a.Lost).OrderByDescending(a => a.MrrChurned).ThenBy(a => a.AccountId, StringComparer.Ordinal).Take(Listed))
        {
            items.Add(new ReportItem(ReportItemKind.Account, $"Churned in {inputs.Period.Current}: {account.AccountId} (MRR lost {Value(Unit.Money, account.MrrChurned)})")
            {
                AccountId = account.AccountId, Value = account.MrrChurned,
            });
        }

        var opportunities = inputs.Accounts.Where(a => a.ExpansionOpportunity is > 0)
            .OrderByDescending(a => a.ExpansionOpportunity).ThenBy(a => a.AccountId, StringComparer.Ordinal).Take(Listed).ToList();
        foreach (var account in opportunities)
        {
            var isNew = account.PreviousExpansionOpportunity is null or 0;
            items.Add(new ReportItem(ReportItemKind.ExpansionOpportunity,
                $"Expansion opportunity {account.AccountId}: {Value(Unit.Score, account.ExpansionOpportunity)}" +
                (isNew ? " (new this period)" : $" ({inputs.Period.Previous}: {Value(Unit.Score, account.PreviousExpansionOpportunity)})"))
            {
                MetricKey = ReportMetrics.ExpansionOpportunity, AccountId = account.AccountId, Value = account.ExpansionOpportunity,
                Previous = account.PreviousExpansionOpportunity, Change = account.ExpansionOpportunity - account.PreviousExpansionOpportunity,
            });
        }

        if (opportunities.Count == 0)
        {
            items.Add(new ReportItem(ReportItemKind.Note, $"No account has an expansion opportunity above 0 in {inputs.Period.Current}."));
        }

        if (inputs.AccountsInScope > inputs.Accounts.Count)
        {
            items.Add(new ReportItem(ReportItemKind.Note,
                $"Ranked {inputs.Accounts.Count} of {inputs.AccountsInScope} accounts (the first by id, at most {ReportBuilder.MaxAccounts}); the rest are not ranked."));
        }

        return items;
    }

    private static List<ReportItem> Actions(ReportInputs inputs, List<ReportItem> metrics)
    {
        var items = new List<ReportItem>();
        var enteredRed = EnteredRed(inputs.Accounts).ToList();
        if (enteredRed.Count > 0)
        {
            items.Add(Action($"{Count(enteredRed.Count, "account", "accounts")} entered red ({Ids(enteredRed)}): schedule a QBR or CSM outreach this week.", enteredRed.Count));
        }

        var red = inputs.Accounts.Where(a => a.Health?.Health?.Band == HealthBand.Red).Except(enteredRed).ToList();
        if (red.Count > 0)
        {
            items.Add(Action($"{Count(red.Count, "account stays", "accounts stay")} red ({Ids(red)}): review their success plans.", red.Count));
        }

        var atRisk = inputs.Accounts.Where(a => a.ChurnRisk >= HighChurnRisk).ToList();
        if (atRisk.Count > 0)
        {
            items.Add(Action($"Reach out to {Count(atRisk.Count, "account", "accounts")} with a churn risk of {HighChurnRisk:0} or more ({Ids(atRisk)}).", atRisk.Count));
        }

        var ready = inputs.Accounts.Where(a => a.ExpansionOpportunity >= HighExpansionOpportunity).ToList();
        if (ready.Count > 0)
        {
            items.Add(Action($"Flag {Count(ready.Count, "account", "accounts")} for the upsell playbook (expansion opportunity {HighExpansionOpportunity:0} or more: {Ids(ready)}).", ready.Count));
        }

        foreach (var metric in metrics.Where(m => m.Verdict == ReportVerdict.Worsened))
        {
            items.Add(Action($"{metric.MetricName} worsened ({Change(metric.Unit!.Value, metric.Change)} vs {inputs.Period.Previous}): review its drivers with the team.", metric.Change) with
            {
                MetricKey = metric.MetricKey,
            });
        }

        var missing = metrics.Where(m => m.Value is null).ToList();
        if (missing.Count > 0)
        {
            items.Add(Action($"{Count(missing.Count, "key metric has", "key metrics have")} {NoData} ({string.Join(", ", missing.Select(m => m.MetricName))}): check that their sources send facts.", missing.Count));
        }

        if (inputs.OpenFindings.Count > 0)
        {
            items.Add(Action($"{Count(inputs.OpenFindings.Count, "open data finding", "open data findings")}: data owners resolve them before these numbers count toward pay.", inputs.OpenFindings.Count));
            foreach (var finding in inputs.OpenFindings.Take(ListedFindings))
            {
                var about = string.Join(", ", new[] { finding.Scope, finding.MetricKey, finding.Period }.Where(t => t is not null));
                items.Add(new ReportItem(ReportItemKind.Finding, $"Open {finding.Kind} finding{(about.Length > 0 ? $" ({about})" : "")}: {finding.Summary}")
                {
                    FindingId = finding.FindingId, MetricKey = finding.MetricKey,
                    AccountId = finding.Scope?.StartsWith("account:", StringComparison.Ordinal) == true ? finding.Scope["account:".Length..] : null,
                });
            }
        }

        if (items.Count == 0)
        {
            items.Add(new ReportItem(ReportItemKind.Note, "No rule called for an action this period."));
        }

        return items;
    }

    private static List<ReportItem> WinsAndLearnings(ReportInputs inputs, List<ReportItem> metrics)
    {
        var items = new List<ReportItem>();
        foreach (var metric in metrics.Where(m => m.Verdict == ReportVerdict.Improved).OrderByDescending(Relative).Take(Listed))
        {
            items.Add(metric with
            {
                Kind = ReportItemKind.Win,
                Text = $"{metric.MetricName} improved: {Value(metric.Unit!.Value, metric.Previous)} in {inputs.Period.Previous} to {Value(metric.Unit.Value, metric.Value)} ({Change(metric.Unit.Value, metric.Change)}).",
            });
        }

        foreach (var account in inputs.Accounts.Where(a => a.MrrExpansion > 0).OrderByDescending(a => a.MrrExpansion).ThenBy(a => a.AccountId, StringComparer.Ordinal).Take(Listed))
        {
            items.Add(new ReportItem(ReportItemKind.Win, $"{account.AccountId} expanded by {Value(Unit.Money, account.MrrExpansion)} MRR.")
            {
                AccountId = account.AccountId, Value = account.MrrExpansion,
            });
        }

        foreach (var account in inputs.Accounts.Where(a => a.Health?.Trend?.PreviousBand == HealthBand.Red && a.Health.Health?.Band is HealthBand.Yellow or HealthBand.Green))
        {
            items.Add(AccountHealth(account, $"{account.AccountId} left red") with { Kind = ReportItemKind.Win });
        }

        if (metrics.Where(m => m.Verdict == ReportVerdict.Worsened).OrderByDescending(Relative).FirstOrDefault() is { } worst)
        {
            items.Add(worst with
            {
                Kind = ReportItemKind.Learning,
                Text = $"{worst.MetricName} moved most the wrong way ({Change(worst.Unit!.Value, worst.Change)}): take it to the team as a learning, not a blame.",
            });
        }

        var checkIn = inputs.Lines.FirstOrDefault(l => l.Key == ReportMetrics.CheckInImpact)?.Current;
        if (checkIn?.Value is { } impact)
        {
            items.Add(new ReportItem(ReportItemKind.Learning,
                impact >= 0
                    ? $"Customers with a QBR churned {Change(Unit.Ratio, impact).TrimStart('+')} less than those without (an association, not proof of cause)."
                    : $"Customers with a QBR churned {Change(Unit.Ratio, -impact).TrimStart('+')} more than those without: look at what those QBRs covered.")
            {
                MetricKey = ReportMetrics.CheckInImpact, Value = impact,
            });
        }

        if (items.Count == 0)
        {
            items.Add(new ReportItem(ReportItemKind.Note, $"No improvement, expansion or learning to report for {inputs.Period.Current}."));
        }

        return items;
    }

    private static ReportItem Action(string text, decimal? value) => new(ReportItemKind.Action, text) { Value = value };

    private static ReportItem AccountHealth(AccountRow account, string what) =>
        new(ReportItemKind.Account,
            $"{what}: health {Value(Unit.Score, account.Health?.Value)}{BandText(account.Health?.Health?.Band)}, " +
            $"previously {Value(Unit.Score, account.Health?.Trend?.PreviousScore)}{BandText(account.Health?.Trend?.PreviousBand)}")
        {
            MetricKey = ReportMetrics.Health, AccountId = account.AccountId, Value = account.Health?.Value,
            Previous = account.Health?.Trend?.PreviousScore, Change = account.Health?.Trend?.Change, Band = account.Health?.Health?.Band,
        };

    private static IEnumerable<AccountRow> EnteredRed(IReadOnlyList<AccountRow> accounts) =>
        accounts.Where(a => a.Health?.Health?.Band == HealthBand.Red && a.Health.Trend?.PreviousBand != HealthBand.Red);

    private static Dictionary<HealthBand, int> Bands(IReadOnlyList<AccountRow> accounts) =>
        Enum.GetValues<HealthBand>().ToDictionary(b => b, b => accounts.Count(a => a.Health?.Health?.Band == b));

    private static string BandText(HealthBand? band) => band is { } b ? $" ({b.ToString().ToLowerInvariant()})" : "";

    private static string Ids(IEnumerable<AccountRow> accounts)
    {
        var list = accounts.Select(a => a.AccountId).ToList();
        return string.Join(", ", list.Take(Listed)) + (list.Count > Listed ? $" and {list.Count - Listed} more" : "");
    }

    // Moves compare by their size against where they started, so a ratio and a sum of money rank together.
    private static decimal Relative(ReportItem metric) =>
        metric.Previous is { } previous && previous != 0 ? Math.Abs(metric.Change!.Value / previous) : Math.Abs(metric.Change ?? 0);
}
