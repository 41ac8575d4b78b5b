using Governance.Api.Jobs;
using Governance.Domain.Incentives;

namespace Governance.Api.Incentives;

/// <summary>
/// Every day, re-evaluates the clawback condition of every approved payout with a released tranche and
/// no open case (<see cref="IncentiveService.CheckClawbackAsync"/>); where it holds, a case opens for the
/// committee with the evidence. It never claws back by itself. Idempotent: a payout with an open case is
/// skipped, and opening a case is decided under the payout's lock, so two runs open one case.
/// </summary>
public sealed class ClawbackCheckJob(IncentiveService incentives) : ITenantJob
{
    public const string JobName = "clawback-checks";

    public string Name => JobName;

    public string DefaultSchedule => "30 2 * * *";

    public async Task RunAsync(string tenantId, CancellationToken cancellationToken)
    {
        foreach (var payout in await incentives.PayoutsAsync(tenantId, null, cancellationToken))
        {
            if (payout.State.Status == PayoutStatus.Approved && payout.State.Clawback != ClawbackStatus.Open && payout.State.Tranches.Contains(TrancheStatus.Released))
            {
                await incentives.CheckClawbackAsync(tenantId, payout.Row.PayoutId, $"job:{JobName}", cancellationToken);
            }
        }
    }
}
