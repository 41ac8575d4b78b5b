using System.Globalization;
using Governance.Api.Jobs;
using Governance.Storage.Findings;

namespace Governance.Api.Findings;

/// <summary>
/// For every watched source, a finding when nothing arrived from it for longer than its expected interval.
/// One finding per silence: it is keyed by the last fact's arrival, so a second run raises nothing new and
/// the next silence, after the source spoke again, raises a new one. It touches every payout (a stale
/// source leaves any number incomplete) until a data owner resolves it.
/// </summary>
public sealed class FreshnessJob(DataControlStore controls, FindingStore findings, TimeProvider time) : ITenantJob
{
    public const string JobName = "freshness";

    public string Name => JobName;

    public string DefaultSchedule => "*/30 * * * *";

    public async Task RunAsync(string tenantId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var silent = new List<NewFinding>();
        foreach (var expectation in (await controls.ExpectationsAsync(tenantId, cancellationToken)).Where(e => e.EveryMinutes is not null))
        {
            var last = await controls.LastReceivedAsync(tenantId, expectation.Source, cancellationToken);
            // A source that never sent is silent since it was first expected.
            var since = last ?? new DateTimeOffset(DateTime.SpecifyKind(expectation.RecordedAt, DateTimeKind.Utc));
            var expected = TimeSpan.FromMinutes(expectation.EveryMinutes!.Value);
            if (now - since <= expected)
            {
                continue;
            }

            var sinceText = since.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            silent.Add(new NewFinding("freshness", $"freshness:{expectation.Source}:{sinceText}", null, null, null, expectation.Source,
                string.Create(CultureInfo.InvariantCulture, $"Source {expectation.Source} has sent nothing since {sinceText} ({(now - since).TotalHours:0.#} hours; expected every {expectation.EveryMinutes} minutes)"),
                FindingEvidence.Json(new { expectation.Source, lastReceivedAt = last, silentSince = since, expectedEveryMinutes = expectation.EveryMinutes, checkedAt = now })));
        }

        await findings.RaiseAsync(tenantId, silent, $"job:{JobName}", cancellationToken);
    }
}
