using System.Globalization;
using System.Text.Json.Nodes;
using Governance.Api.Findings;
using Governance.Api.Jobs;
using Governance.Api.Tests.Incentives;
using Governance.Api.Tests.Infrastructure;
using Governance.Storage.Findings;
using Microsoft.Extensions.DependencyInjection;
using static Governance.Api.Tests.Metrics.MetricFacts;

namespace Governance.Api.Tests.Findings;

/// <summary>The daily anomalies job over real facts: what it raises, that it raises it once, and that it blocks the payout it touches.</summary>
[Collection(ApiCollection.Name)]
public sealed class AnomalyJobTests(ApiFixture fixture)
{
    // The months' expansion rates, in turn from February 2024: monthly NRR 1.01, 1.02, 1.015, 1.005, …
    private static readonly decimal[] Rates = [0.01m, 0.02m, 0.015m, 0.005m];

    private GovernanceHost Host => fixture.Host;

    private IncentiveApi Api => new(fixture.Host);

    private FindingStore Store => Host.Services.GetRequiredService<FindingStore>();

    /// <summary>
    /// Three accounts of <paramref name="executive"/> in segment "mid", paying 1,000, 2,000 and 3,000 USD from January 2024,
    /// each expanding on the 10th of every month from February 2024 to June 2025 by that month's rate, so the portfolio's
    /// NRR is 1 + rate (to a cent's rounding); in <paramref name="spike"/>, A also expands by 3,000. From July 2025 nothing
    /// moves: NRR 1.
    /// </summary>
    private static object[] Growth(string prefix, string executive, string? spike)
    {
        var facts = new List<object>();
        var mrr = new Dictionary<string, decimal> { [$"{prefix}-a"] = 1_000m, [$"{prefix}-b"] = 2_000m, [$"{prefix}-c"] = 3_000m };
        foreach (var (account, amount) in mrr)
        {
            facts.Add(Created(account, "2023-12-01", executive, "mid"));
            facts.Add(Mrr(account, $"{account}-new", "NEW", amount, "2024-01-01"));
        }

        var month = new DateOnly(2024, 2, 10);
        for (var k = 0; month <= new DateOnly(2025, 6, 10); k++, month = month.AddMonths(1))
        {
            foreach (var account in mrr.Keys.ToList())
            {
                var expansion = decimal.Round(mrr[account] * Rates[k % Rates.Length], 2);
                mrr[account] += expansion;
                facts.Add(Mrr(account, $"{account}-up-{month:yyyy-MM}", "EXPANSION", expansion, month.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            }

            if ($"{month:yyyy-MM}" == spike)
            {
                facts.Add(Mrr($"{prefix}-a", $"{prefix}-a-spike", "EXPANSION", 3_000m, month.AddDays(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
                mrr[$"{prefix}-a"] += 3_000m;
            }
        }

        return [.. facts];
    }

    private Task RunAsync(string tenant) => Host.Services.GetRequiredService<TenantJobRunner>().RunAsync(AnomalyJob.JobName, tenant, CancellationToken.None);

    private async Task<IReadOnlyList<FindingRow>> FindingsAsync(string tenant) => await Store.ListAsync(tenant, openOnly: false, AnomalyJob.Kind, FindingStore.MaxPage);

    [Fact]
    public async Task ShouldRaiseTheSpikeOnceAndBlockThePayoutItTouchesUntilResolved()
    {
        var story = await Api.StoryAsync("anom", facts: p => Growth(p, IncentiveApi.Executive, spike: "2025-02"));
        var other = await Api.StoryAsync("anoq", facts: p => Growth(p, "exec-q", spike: "2025-04"));

        await RunAsync(story.Tenant);

        var found = await FindingsAsync(story.Tenant);
        var nrr = found.Where(f => f.MetricKey == "net_revenue_retention").OrderBy(f => f.Scope, StringComparer.Ordinal).ToList();
        Assert.Equal(["executive:exec-p", "segment:mid", "tenant"], nrr.Select(f => f.Scope));
        Assert.All(nrr, f => Assert.Equal("2025-02", f.Period));
        var spike = nrr[0];
        Assert.Equal("anomaly:net_revenue_retention:executive:exec-p:2025-02", spike.DedupeKey);
        Assert.Equal("job:anomalies", spike.DetectedBy);
        // February 2025 starts from 6,000 × (1.01 · 1.02 · 1.015 · 1.005)³ ≈ 6,963 and gains 1 % plus 3,000: NRR ≈ 1.4408.
        // Its window (February 2024 to January 2025) holds each rate three times: median (1.01 + 1.015) / 2 = 1.0125,
        // deviations 0.0025 and 0.0075 → MAD 0.005; M = 0.6745 · 0.4283 / 0.005 ≈ 57.8.
        Assert.Equal("net_revenue_retention of executive:exec-p in 2025-02 is 1.4408, 57.8 robust deviations from the median 1.0125", spike.Summary);
        var evidence = JsonNode.Parse(spike.Evidence)!;
        Assert.Equal("z-score", evidence["method"]!.GetValue<string>());
        Assert.False(evidence["seasonal"]!.GetValue<bool>());
        Assert.True(evidence["score"]!.GetValue<decimal>() > 3.5m);
        var window = evidence["window"]!.AsArray();
        Assert.Equal(12, window.Count);
        Assert.Equal(("2024-02", "2025-01"), (window[0]!["period"]!.GetValue<string>(), window[^1]!["period"]!.GetValue<string>()));
        Assert.Equal(1, evidence["definitionVersion"]!.GetValue<int>());
        // Nothing of the other tenant is judged with this one's data.
        Assert.DoesNotContain(found, f => f.Scope == "executive:exec-q");
        Assert.Empty(await FindingsAsync(other.Tenant));

        // Two more runs, at once, raise nothing new.
        await Task.WhenAll(RunAsync(story.Tenant), RunAsync(story.Tenant));
        Assert.Equal(found.Select(f => f.DedupeKey).Order(), (await FindingsAsync(story.Tenant)).Select(f => f.DedupeKey).Order());

        // The other tenant's own run finds its own spike, in April, and nothing of exec-p.
        await RunAsync(other.Tenant);
        var theirs = await FindingsAsync(other.Tenant);
        Assert.Contains(theirs, f => f.DedupeKey == "anomaly:net_revenue_retention:executive:exec-q:2025-04");
        Assert.DoesNotContain(theirs, f => f.Scope == "executive:exec-p");

        // The Q1 payout of exec-p reads NRR: the executive's and the tenant's February findings block it.
        var id = IncentiveApi.Payout(await Api.ProposeAsync(story.MemberA), "proposePayout")["id"]!.GetValue<string>();
        await Api.CloseQuarterAsync(story);

        var blocked = IncentiveApi.Payout(await Api.DecideAsync(story.DataOwner, "verifyPayout", id), "verifyPayout");
        Assert.Equal("PROPOSED", blocked["status"]!.GetValue<string>());
        var blocking = JsonNode.Parse(blocked["events"]!.AsArray().Last()!["evidence"]!.GetValue<string>())!["openFindings"]!.AsArray()
            .Select(f => f!["findingId"]!.GetValue<string>()).ToList();
        Assert.Equal(nrr.Where(f => f.Scope != "segment:mid").Select(f => f.FindingId.ToString()).Order(), blocking.Order());

        foreach (var finding in blocking)
        {
            var resolved = await Host.GraphQLAsync(story.DataOwner, "mutation($id: ID!) { resolveFinding(findingId: $id, reason: \"a real upsell, confirmed with billing\") { open } }", new { id = finding });
            resolved.AssertNoErrors();
        }

        Assert.Equal("VERIFIED", IncentiveApi.Payout(await Api.DecideAsync(story.DataOwner, "verifyPayout", id), "verifyPayout")["status"]!.GetValue<string>());

        // A resolved finding stays out of the windows: the next run raises nothing again.
        await RunAsync(story.Tenant);
        Assert.Equal(found.Count, (await FindingsAsync(story.Tenant)).Count);
    }
}
