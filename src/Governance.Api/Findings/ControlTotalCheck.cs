using System.Globalization;
using Governance.Api.Facts;
using Governance.Domain.Facts;
using Governance.Storage.Findings;

namespace Governance.Api.Findings;

/// <summary>
/// Reconciles a batch's control totals with what arrived: the number of facts exactly, the sum of MRR
/// amounts within a cent. A break is a reconciliation finding on the batch (the facts are stored all the
/// same: they are what the sender sent), blocking payouts until a data owner resolves it.
/// </summary>
public sealed class ControlTotalCheck(FindingStore findings, ILogger<ControlTotalCheck> logger)
{
    public const decimal MoneyTolerance = 0.01m;

    public async Task CheckAsync(string tenantId, string sender, Guid batchId, ControlTotalsInput declared, IReadOnlyList<FactDraft> received, CancellationToken cancellationToken)
    {
        var mrr = received.Select(d => d.Payload).OfType<MrrChangedPayload>().Sum(p => p.Amount);
        var countBreak = declared.FactCount != received.Count;
        var mrrBreak = declared.MrrAmount is { } amount && Math.Abs(amount - mrr) > MoneyTolerance;
        if (!countBreak && !mrrBreak)
        {
            return;
        }

        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Batch {batchId} from {sender}: {(countBreak ? $"{received.Count} facts arrived, {declared.FactCount} declared" : "fact count agrees")}; {(mrrBreak ? $"MRR amounts {mrr:0.00} arrived, {declared.MrrAmount:0.00} declared" : "MRR agrees")}");
        try
        {
            await findings.RaiseAsync(tenantId,
                [new NewFinding("reconciliation", $"control:{batchId}", null, null, null, sender, summary,
                    FindingEvidence.Json(new { batchId, declared = new { declared.FactCount, declared.MrrAmount }, received = new { factCount = received.Count, mrrAmount = mrr } }))],
                "control-totals", cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The batch is stored and acknowledged; the break must not be lost silently either.
            logger.LogError(e, "Control totals of batch {BatchId} break ({Summary}) but the finding could not be stored", batchId, summary);
            throw;
        }
    }
}
