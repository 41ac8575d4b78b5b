using System.Globalization;
using Governance.Api.Jobs;
using Governance.Storage.Findings;

namespace Governance.Api.Findings;

/// <summary>
/// For every active reconciliation rule, compares each account's MRR at the end of each of the last
/// twelve ended months as the two sources' facts say; a difference beyond the tolerance is a finding
/// (one per rule, account and month: a second run raises nothing new).
/// </summary>
public sealed class ReconciliationJob(DataControlStore controls, FindingStore findings, TimeProvider time) : ITenantJob
{
    public const string JobName = "reconciliation";

    public const int Months = 12;

    public string Name => JobName;

    public string DefaultSchedule => "0 4 * * *";

    /// <summary>The allowed difference: the larger of the absolute tolerance and the relative one of the larger side.</summary>
    public static decimal Allowed(ReconciliationRuleRow rule, decimal left, decimal right) =>
        Math.Max(rule.AbsoluteTolerance, rule.RelativeTolerance * Math.Max(Math.Abs(left), Math.Abs(right)));

    public async Task RunAsync(string tenantId, CancellationToken cancellationToken)
    {
        var today = time.GetUtcNow().UtcDateTime;
        var lastEnded = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        foreach (var rule in (await controls.RulesAsync(tenantId, cancellationToken)).Where(r => r.Active))
        {
            var breaks = new List<NewFinding>();
            foreach (var row in await controls.CompareMrrAsync(tenantId, rule, lastEnded.AddMonths(1 - Months), lastEnded, cancellationToken))
            {
                var difference = Math.Abs(row.Left - row.Right);
                var allowed = Allowed(rule, row.Left, row.Right);
                if (difference <= allowed)
                {
                    continue;
                }

                var month = row.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
                breaks.Add(new NewFinding("reconciliation", $"reconciliation:{rule.Name}:v{rule.Version}:{row.AccountId}:{month}", $"account:{row.AccountId}", null, month, $"{rule.LeftSource}|{rule.RightSource}",
                    string.Create(CultureInfo.InvariantCulture, $"MRR of {row.AccountId} at the end of {month}: {rule.LeftSource} {row.Left:0.00}, {rule.RightSource} {row.Right:0.00} (difference {difference:0.00}, allowed {allowed:0.00})"),
                    FindingEvidence.Json(new { rule = rule.Name, rule.Version, rule.LeftSource, rule.RightSource, left = row.Left, right = row.Right, difference, allowed, rule.RelativeTolerance, rule.AbsoluteTolerance })));
            }

            await findings.RaiseAsync(tenantId, breaks, $"job:{JobName}", cancellationToken);
        }
    }

}
