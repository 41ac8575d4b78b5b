using Governance.Api.GraphQL;
using Governance.Api.Metrics.Lineage;
using Governance.Api.Metrics.Values;
using Governance.Domain.Incentives;
using Governance.Domain.Measures;
using Governance.Domain.Metrics.Definitions;
using Governance.Storage.Facts;
using Governance.Storage.Incentives;
using Governance.Storage.Metrics;
using Governance.Storage.Tenants;
using GraphQL;

namespace Governance.Api.Incentives;

/// <summary>A scorecard version scored for a period, with the metric value behind each attainment.</summary>
public sealed record ScorecardView(string ExecutiveId, VersionRow Version, ScorecardScore Score, IReadOnlyDictionary<string, MetricValue> Values);

/// <summary>A payout with its events and what they make of it.</summary>
public sealed record PayoutView(PayoutRow Row, PayoutStatement Statement, IReadOnlyList<PayoutEventRow> Events, PayoutState State, int Quorum);

/// <summary>What the clawback check found, and whether it opened a case.</summary>
public sealed record ClawbackCheckResult(PayoutView Payout, ClawbackFinding Finding, bool Opened);

/// <summary>
/// Scorecards, plans and payouts for executives (docs/incentives.md): validates and stores versions,
/// scores and computes from the period's metric values of the executive's portfolio, and runs the payout
/// lifecycle under <see cref="PayoutState"/>'s rules, each transition with its evidence.
/// </summary>
public sealed class IncentiveService(
    IncentiveStore store, MetricValueService values, LineageService lineage, FactStore facts, MetricDefinitionStore definitions,
    UserStore users, ExecutiveLinkStore executiveLinks, IEnumerable<IPayoutFindingSource> findingSources, TimeProvider time)
{
    public async Task<IReadOnlyList<Versioned<Scorecard>>> ScorecardsAsync(string tenantId, string executiveId, CancellationToken cancellationToken) =>
        (await store.ScorecardVersionsAsync(tenantId, executiveId, cancellationToken))
            .Select(r => new Versioned<Scorecard>(r.Version, r.EffectiveFrom, IncentiveJson.Deserialize<Scorecard>(r.Document))).ToList();

    public async Task<IReadOnlyList<Versioned<PlanTerms>>> PlansAsync(string tenantId, string executiveId, CancellationToken cancellationToken) =>
        (await store.PlanVersionsAsync(tenantId, executiveId, cancellationToken))
            .Select(r => new Versioned<PlanTerms>(r.Version, r.EffectiveFrom, IncentiveJson.Deserialize<PlanTerms>(r.Document))).ToList();

    public async Task<VersionRow> SetScorecardAsync(string tenantId, string executiveId, DateOnly effectiveFrom, Scorecard scorecard, string? template,
        string author, string reason, CancellationToken cancellationToken)
    {
        Require(executiveId, "executiveId");
        Require(reason, "reason");
        Refuse(scorecard.Validate());
        var known = await KnownMetricsAsync(tenantId, cancellationToken);
        for (var i = 0; i < scorecard.Metrics.Count; i++)
        {
            var metric = scorecard.Metrics[i];
            if (!known.TryGetValue(metric.MetricKey, out var direction))
            {
                throw ErrorCodes.Invalid($"metrics[{i}].metricKey", $"the tenant has no metric '{metric.MetricKey}'");
            }

            if (direction != metric.Direction)
            {
                throw ErrorCodes.Invalid($"metrics[{i}].direction", $"'{metric.MetricKey}' is defined as {direction}");
            }
        }

        return await store.AddScorecardVersionAsync(tenantId, executiveId, effectiveFrom, template, IncentiveJson.Serialize(scorecard), author, reason.Trim(), cancellationToken);
    }

    /// <summary>The direction a scorecard metric takes when the input leaves it out: its definition's.</summary>
    public async Task<IReadOnlyDictionary<string, Direction>> KnownMetricsAsync(string tenantId, CancellationToken cancellationToken) =>
        (await definitions.ListAsync(tenantId, new DefinitionFilter(), cancellationToken))
            .GroupBy(d => d.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Direction, StringComparer.Ordinal);

    public async Task<VersionRow> SetPlanAsync(string tenantId, string executiveId, DateOnly effectiveFrom, string payeeUserId, PlanTerms plan,
        string author, string reason, CancellationToken cancellationToken)
    {
        Require(executiveId, "executiveId");
        Require(reason, "reason");
        Refuse(plan.Validate());
        var known = await KnownMetricsAsync(tenantId, cancellationToken);
        for (var i = 0; i < plan.Gates.Count; i++)
        {
            if (!known.ContainsKey(plan.Gates[i].MetricKey))
            {
                throw ErrorCodes.Invalid($"gates[{i}].metricKey", $"the tenant has no metric '{plan.Gates[i].MetricKey}'");
            }
        }

        if (plan.Clawback is { } clawback && !known.ContainsKey(clawback.MetricKey))
        {
            throw ErrorCodes.Invalid("clawback.metricKey", $"the tenant has no metric '{clawback.MetricKey}'");
        }

        var payee = Guid.TryParse(payeeUserId, out var id) ? (await users.ListAsync(tenantId, cancellationToken)).FirstOrDefault(u => u.UserId == id) : null;
        if (payee is null)
        {
            throw ErrorCodes.Invalid("payeeUserId", "must be the id of a user of the tenant");
        }

        return await store.AddPlanVersionAsync(tenantId, executiveId, effectiveFrom, payee.UserId.ToString(), IncentiveJson.Serialize(plan), author, reason.Trim(), cancellationToken);
    }

    /// <summary>The executive's scorecard for a period under the version in force on its first day, or the version asked for.</summary>
    public async Task<ScorecardView> ScorecardAsync(string tenantId, string executiveId, Period period, int? version, CancellationToken cancellationToken)
    {
        var rows = await store.ScorecardVersionsAsync(tenantId, executiveId, cancellationToken);
        var row = version is { } asked
            ? rows.FirstOrDefault(r => r.Version == asked) ?? throw ErrorCodes.NotFoundError("Scorecard version", $"{executiveId}/v{asked}")
            : rows.Where(r => r.EffectiveFrom <= period.Start).OrderBy(r => r.EffectiveFrom).ThenBy(r => r.Version).LastOrDefault()
                ?? throw ErrorCodes.NotFoundError("Scorecard in force", $"{executiveId} for {period}");
        var scorecard = IncentiveJson.Deserialize<Scorecard>(row.Document);
        var read = await ReadValuesAsync(tenantId, executiveId, period, scorecard.Metrics.Select(m => m.MetricKey), cancellationToken);
        return new ScorecardView(executiveId, row, ScorecardScore.Of(scorecard, period, k => read[k].Value), read);
    }

    /// <summary>What the executive's plans would pay for the period: with the values as they are, some of them replaced, or at an overall attainment.</summary>
    public async Task<PayoutComputation> WhatIfAsync(string tenantId, string executiveId, Period period, decimal? attainment,
        IReadOnlyDictionary<string, decimal> overrides, CancellationToken cancellationToken)
    {
        var scorecards = await ScorecardsAsync(tenantId, executiveId, cancellationToken);
        var plans = await PlansAsync(tenantId, executiveId, cancellationToken);
        if (plans.Count == 0)
        {
            throw ErrorCodes.NotFoundError("Incentive plan", executiveId);
        }

        if (attainment is { } overall)
        {
            // Every metric at the same attainment: score a scorecard whose only metric attains exactly that.
            var flat = new Scorecard([new ScorecardMetric(Lens.Financial, "attainment", 1m, Direction.HigherIsBetter, decimal.MaxValue / 2, [new TargetStep(DateOnly.MinValue, 0m, 1m)])]);
            return PayoutCalculator.Compute(period, [new Versioned<Scorecard>(1, DateOnly.MinValue, flat)],
                plans.Select(p => p with { Value = p.Value with { Gates = [] } }).ToList(), _ => overall);
        }

        var keys = Keys(scorecards, plans).Where(k => !overrides.ContainsKey(k));
        var read = await ReadValuesAsync(tenantId, executiveId, period, keys, cancellationToken);
        return PayoutCalculator.Compute(period, scorecards, plans, k => overrides.TryGetValue(k, out var v) ? v : read.TryGetValue(k, out var value) ? value.Value : null);
    }

    /// <summary>Computes the payout from the period's values, pins every value it read, and stores it as proposed.</summary>
    public async Task<PayoutView> ProposeAsync(string tenantId, string executiveId, Period period, string proposer, string reason, CancellationToken cancellationToken)
    {
        Require(executiveId, "executiveId");
        Require(reason, "reason");
        var scorecards = await ScorecardsAsync(tenantId, executiveId, cancellationToken);
        var planRows = await store.PlanVersionsAsync(tenantId, executiveId, cancellationToken);
        var plans = planRows.Select(r => new Versioned<PlanTerms>(r.Version, r.EffectiveFrom, IncentiveJson.Deserialize<PlanTerms>(r.Document))).ToList();
        var read = await ReadValuesAsync(tenantId, executiveId, period, Keys(scorecards, plans), cancellationToken);
        var computation = PayoutCalculator.Compute(period, scorecards, plans, k => read.TryGetValue(k, out var v) ? v.Value : null);
        if (computation.GoverningPlanVersion is null && computation.Problems.Count == 0)
        {
            throw ErrorCodes.Invalid("executiveId", $"no plan of '{executiveId}' is in force on the last day of {period}");
        }

        Refuse(computation.Problems);
        // Checked again under the lock when storing; asked first so a refused proposal pins nothing.
        foreach (var other in (await PayoutsAsync(tenantId, executiveId, cancellationToken)).Where(p => p.Row.Period == period.ToString()))
        {
            if (other.State.Status != PayoutStatus.Rejected)
            {
                throw new ExecutionError($"'{executiveId}' has a payout for {period} that was not rejected ({other.Row.PayoutId}).") { Code = ErrorCodes.Conflict };
            }
        }

        var payoutId = Guid.NewGuid();
        var scope = new MetricScope(ScopeKind.Executive, executiveId);
        var pinned = new List<StatementValue>();
        foreach (var (key, value) in read.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var pin = await lineage.PinAsync(tenantId, key, scope, period, value.Definition.Version, proposer, $"payout {payoutId}: {reason.Trim()}", cancellationToken);
            pinned.Add(new StatementValue(key, pin.Version, pin.PinId, pin.Value, pin.NullReason));
        }

        var payee = planRows.Single(r => r.Version == computation.GoverningPlanVersion).Tag!;
        var statement = new PayoutStatement(computation, pinned);
        var row = new PayoutRow
        {
            PayoutId = payoutId, ExecutiveId = executiveId, Period = period.ToString(), PayeeUserId = payee, Total = computation.Total,
            Currency = computation.Currency!, Statement = IncentiveJson.Serialize(statement), PinIds = pinned.Select(p => p.PinId).ToArray(),
            ProposedBy = proposer, Reason = reason.Trim(),
        };
        _ = await store.ProposePayoutAsync(tenantId, row, events => new PayoutState(ToEvents(events), 0).Status == PayoutStatus.Rejected, cancellationToken)
            ?? throw new ExecutionError($"'{executiveId}' has a payout for {period} that was not rejected.") { Code = ErrorCodes.Conflict };
        return await PayoutAsync(tenantId, payoutId, cancellationToken);
    }

    public async Task<PayoutView> PayoutAsync(string tenantId, Guid payoutId, CancellationToken cancellationToken)
    {
        var row = await store.PayoutAsync(tenantId, payoutId, cancellationToken) ?? throw ErrorCodes.NotFoundError("Payout", payoutId.ToString());
        return View(row, await store.EventsAsync(tenantId, payoutId, cancellationToken), await store.QuorumAsync(tenantId, cancellationToken));
    }

    public async Task<IReadOnlyList<PayoutView>> PayoutsAsync(string tenantId, string? executiveId, CancellationToken cancellationToken)
    {
        var quorum = await store.QuorumAsync(tenantId, cancellationToken);
        var views = new List<PayoutView>();
        foreach (var row in await store.PayoutsAsync(tenantId, executiveId, cancellationToken))
        {
            views.Add(View(row, await store.EventsAsync(tenantId, row.PayoutId, cancellationToken), quorum));
        }

        return views;
    }

    /// <summary>
    /// The data gate: the period is closed, every pin recomputes unchanged, and no finding source reports an
    /// open finding on the inputs. Passing appends <c>verified</c>; failing appends <c>verification_failed</c>
    /// and the payout stays proposed; both carry the evidence.
    /// </summary>
    public async Task<PayoutView> VerifyAsync(string tenantId, Guid payoutId, string actor, CancellationToken cancellationToken)
    {
        var current = await PayoutAsync(tenantId, payoutId, cancellationToken);
        Throw(current.State.CanVerify());
        var period = ParsePeriod(current.Row.Period);
        var closed = await facts.IsClosedAsync(tenantId, period.Start, period.End, cancellationToken);
        var pins = new List<object>();
        var changed = 0;
        foreach (var value in current.Statement.Values)
        {
            var check = await lineage.VerifyAsync(tenantId, value.PinId, cancellationToken);
            changed += check.Unchanged ? 0 : 1;
            pins.Add(new
            {
                value.PinId, value.MetricKey, check.Unchanged, pinned = value.Value, current = check.CurrentValue,
                added = check.Added.Select(f => f.FactId), removed = check.Removed.Select(f => f.FactId),
            });
        }

        var keys = current.Statement.Values.Select(v => v.MetricKey).ToList();
        var findings = new List<OpenFinding>();
        foreach (var source in findingSources)
        {
            findings.AddRange(await source.OpenFindingsAsync(tenantId, new MetricScope(ScopeKind.Executive, current.Row.ExecutiveId), period, keys, cancellationToken));
        }

        var passed = closed && changed == 0 && findings.Count == 0;
        var evidence = IncentiveJson.Serialize(new { periodClosed = closed, pinsChanged = changed, pins, openFindings = findings, passed });
        await AppendAsync(tenantId, payoutId, (view, _) =>
        {
            Throw(view.State.CanVerify());
            return [new NewPayoutEvent((passed ? PayoutEventKind.Verified : PayoutEventKind.VerificationFailed).WireName(), actor,
                passed ? null : Failure(closed, changed, findings.Count), null, evidence)];
        }, cancellationToken);
        return await PayoutAsync(tenantId, payoutId, cancellationToken);
    }

    /// <summary>A committee member's approval; the one that reaches the quorum also appends <c>approved</c>.</summary>
    public async Task<PayoutView> ApproveAsync(string tenantId, Guid payoutId, string member, string? reason, CancellationToken cancellationToken)
    {
        var payee = await PayeeAsync(tenantId, payoutId, member, cancellationToken);
        return await DecideAsync(tenantId, payoutId, (view, quorum) =>
        {
            Throw(view.State.CanApprove(member, payee));
            var approvers = view.State.Approvers.Append(member).ToList();
            var vote = new NewPayoutEvent(PayoutEventKind.Approval.WireName(), member, Blank(reason), null, IncentiveJson.Serialize(new { approvers, quorum }));
            return approvers.Count >= quorum
                ? [vote, new NewPayoutEvent(PayoutEventKind.Approved.WireName(), member, $"quorum of {quorum} reached", null,
                    IncentiveJson.Serialize(new { approvers, quorum, tranches = view.Statement.Computation.Tranches }))]
                : [vote];
        }, cancellationToken);
    }

    public async Task<PayoutView> RejectAsync(string tenantId, Guid payoutId, string member, string reason, CancellationToken cancellationToken)
    {
        Require(reason, "reason");
        var payee = await PayeeAsync(tenantId, payoutId, member, cancellationToken);
        return await DecideAsync(tenantId, payoutId, (view, _) =>
        {
            Throw(view.State.CanReject(member, payee));
            return [new NewPayoutEvent(PayoutEventKind.Rejected.WireName(), member, reason.Trim(), null, null)];
        }, cancellationToken);
    }

    public async Task<PayoutView> ReleaseAsync(string tenantId, Guid payoutId, int tranche, string member, string? reason, CancellationToken cancellationToken)
    {
        var payee = await PayeeAsync(tenantId, payoutId, member, cancellationToken);
        return await DecideAsync(tenantId, payoutId, (view, _) =>
        {
            var amount = Tranche(view, tranche);
            Throw(view.State.CanRelease(member, payee, amount, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)));
            return [new NewPayoutEvent(PayoutEventKind.TrancheReleased.WireName(), member, Blank(reason), tranche, IncentiveJson.Serialize(amount))];
        }, cancellationToken);
    }

    public async Task<PayoutView> HoldAsync(string tenantId, Guid payoutId, int tranche, string member, string reason, CancellationToken cancellationToken)
    {
        Require(reason, "reason");
        var payee = await PayeeAsync(tenantId, payoutId, member, cancellationToken);
        return await DecideAsync(tenantId, payoutId, (view, _) =>
        {
            var amount = Tranche(view, tranche);
            Throw(view.State.CanHold(member, payee, amount));
            return [new NewPayoutEvent(PayoutEventKind.TrancheHeld.WireName(), member, reason.Trim(), tranche, IncentiveJson.Serialize(amount))];
        }, cancellationToken);
    }

    /// <summary>
    /// Re-evaluates the governing plan's clawback provision with the current monthly values of the executive's
    /// portfolio; when it holds and no case is open, opens one with the evidence. Never recovers by itself.
    /// </summary>
    public async Task<ClawbackCheckResult> CheckClawbackAsync(string tenantId, Guid payoutId, string actor, CancellationToken cancellationToken)
    {
        var current = await PayoutAsync(tenantId, payoutId, cancellationToken);
        var computation = current.Statement.Computation;
        var plans = await PlansAsync(tenantId, current.Row.ExecutiveId, cancellationToken);
        var provision = plans.Single(p => p.Version == computation.GoverningPlanVersion).Value.Clawback;
        var released = current.Events.Where(e => e.Kind == PayoutEventKind.TrancheReleased.WireName())
            .Select(e => new ReleasedTranche(e.Tranche!.Value, DateOnly.FromDateTime(e.At), computation.Tranches[e.Tranche.Value].Amount)).ToList();
        if (provision is null || released.Count == 0)
        {
            return new ClawbackCheckResult(current, new ClawbackFinding([], new Dictionary<int, decimal>()), false);
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var scope = await values.OpenAsync(tenantId, new MetricScope(ScopeKind.Executive, current.Row.ExecutiveId));
        var monthly = new Dictionary<Period, decimal?>();
        foreach (var tranche in released)
        {
            var first = Period.Month(tranche.ReleasedOn.Year, tranche.ReleasedOn.Month).Shift(1);
            for (var i = 0; i < provision.WithinMonths && first.Shift(i).End <= today; i++)
            {
                var month = first.Shift(i);
                if (!monthly.ContainsKey(month))
                {
                    monthly[month] = await TryValueAsync(tenantId, provision.MetricKey, scope, month, cancellationToken);
                }
            }
        }

        var finding = ClawbackCheck.Evaluate(provision, released, m => monthly.GetValueOrDefault(m), today);
        if (!finding.Holds || current.State.CanOpenClawback() is not null)
        {
            return new ClawbackCheckResult(current, finding, false);
        }

        var evidence = IncentiveJson.Serialize(new { provision, breaches = finding.Breaches.Select(b => new { b.TrancheIndex, month = b.Month.ToString(), b.Value }), recover = finding.Recover, total = finding.Total });
        // Decided again under the payout's lock: a check running at the same time may have opened the case.
        var opened = false;
        var view = await DecideAsync(tenantId, payoutId, (v, _) =>
        {
            if (v.State.CanOpenClawback() is not null)
            {
                return [];
            }

            opened = true;
            return [new NewPayoutEvent(PayoutEventKind.ClawbackOpened.WireName(), actor, $"{provision.MetricKey} {provision.Breach.ToString().ToLowerInvariant()} {provision.Bound}", null, evidence)];
        }, cancellationToken);
        return new ClawbackCheckResult(view, finding, opened);
    }

    public async Task<PayoutView> DecideClawbackAsync(string tenantId, Guid payoutId, bool recover, string member, string reason, CancellationToken cancellationToken)
    {
        Require(reason, "reason");
        var payee = await PayeeAsync(tenantId, payoutId, member, cancellationToken);
        return await DecideAsync(tenantId, payoutId, (view, _) =>
        {
            Throw(view.State.CanDecideClawback(member, payee));
            var opened = view.Events.Last(e => e.Kind == PayoutEventKind.ClawbackOpened.WireName());
            return [new NewPayoutEvent((recover ? PayoutEventKind.ClawbackRecovered : PayoutEventKind.ClawbackDismissed).WireName(), member, reason.Trim(), null, opened.Evidence)];
        }, cancellationToken);
    }

    /// <summary>
    /// Who counts as the payee for <paramref name="member"/>'s decision: the plan's payee user, or the member
    /// themselves when a tenant admin linked them to the payout's executive (linkExecutive).
    /// </summary>
    private async Task<string> PayeeAsync(string tenantId, Guid payoutId, string member, CancellationToken cancellationToken)
    {
        var row = await store.PayoutAsync(tenantId, payoutId, cancellationToken) ?? throw ErrorCodes.NotFoundError("Payout", payoutId.ToString());
        return await executiveLinks.ExecutiveOfSubjectAsync(tenantId, member, cancellationToken) == row.ExecutiveId ? member : row.PayeeUserId;
    }

    private async Task<PayoutView> DecideAsync(string tenantId, Guid payoutId, Func<PayoutView, int, IReadOnlyList<NewPayoutEvent>> decide, CancellationToken cancellationToken)
    {
        await AppendAsync(tenantId, payoutId, decide, cancellationToken);
        return await PayoutAsync(tenantId, payoutId, cancellationToken);
    }

    private async Task AppendAsync(string tenantId, Guid payoutId, Func<PayoutView, int, IReadOnlyList<NewPayoutEvent>> decide, CancellationToken cancellationToken)
    {
        _ = await store.AppendEventsAsync(tenantId, payoutId, (row, events, quorum) => decide(View(row, events, quorum), quorum), cancellationToken)
            ?? throw ErrorCodes.NotFoundError("Payout", payoutId.ToString());
    }

    private static PayoutView View(PayoutRow row, IReadOnlyList<PayoutEventRow> events, int quorum)
    {
        var statement = IncentiveJson.Deserialize<PayoutStatement>(row.Statement);
        return new PayoutView(row, statement, events, new PayoutState(ToEvents(events), statement.Computation.Tranches.Count), quorum);
    }

    private static List<PayoutEvent> ToEvents(IReadOnlyList<PayoutEventRow> events) =>
        events.Select(e => new PayoutEvent(e.Seq, PayoutEventKinds.Parse(e.Kind), e.Actor, e.Reason, e.Tranche, new DateTimeOffset(e.At, TimeSpan.Zero), e.Evidence)).ToList();

    private static TrancheAmount Tranche(PayoutView view, int index) =>
        index >= 0 && index < view.Statement.Computation.Tranches.Count
            ? view.Statement.Computation.Tranches[index]
            : throw ErrorCodes.Invalid("tranche", $"must be 0 to {view.Statement.Computation.Tranches.Count - 1}");

    private static IEnumerable<string> Keys(IReadOnlyList<Versioned<Scorecard>> scorecards, IReadOnlyList<Versioned<PlanTerms>> plans) =>
        scorecards.SelectMany(s => s.Value.Metrics.Select(m => m.MetricKey)).Concat(plans.SelectMany(p => p.Value.Gates.Select(g => g.MetricKey)))
            .Distinct(StringComparer.Ordinal);

    private async Task<Dictionary<string, MetricValue>> ReadValuesAsync(string tenantId, string executiveId, Period period, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var scope = await values.OpenAsync(tenantId, new MetricScope(ScopeKind.Executive, executiveId));
        var read = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            try
            {
                read[key] = await values.ValueAsync(tenantId, key, scope, period, null, cancellationToken);
            }
            catch (ExecutionError error) when (error.Code is "NO_VERSION_IN_FORCE" or ErrorCodes.NotFound)
            {
                // Left out: the calculator then names the metric as having no value.
            }
        }

        return read;
    }

    private async Task<decimal?> TryValueAsync(string tenantId, string key, ScopeReader scope, Period period, CancellationToken cancellationToken)
    {
        try
        {
            return (await values.ValueAsync(tenantId, key, scope, period, null, cancellationToken)).Value;
        }
        catch (ExecutionError error) when (error.Code is "NO_VERSION_IN_FORCE" or ErrorCodes.NotFound)
        {
            return null;
        }
    }

    private static string Failure(bool closed, int changed, int findings) =>
        string.Join("; ", new[]
        {
            closed ? null : "the period is not closed",
            changed == 0 ? null : $"{changed} pinned value(s) changed since the proposal",
            findings == 0 ? null : $"{findings} open finding(s) on the inputs",
        }.Where(s => s is not null));

    public static Period ParsePeriod(string text) =>
        Period.TryParse(text, out var period) ? period : throw new InvalidOperationException($"Stored period '{text}' does not parse.");

    private static void Refuse(IReadOnlyList<IncentiveProblem> problems)
    {
        if (problems.Count > 0)
        {
            var first = problems[0];
            throw ErrorCodes.Invalid(first.Field, problems.Count == 1 ? first.Message : $"{first.Message} (and {string.Join("; ", problems.Skip(1).Select(p => $"{p.Field}: {p.Message}"))})");
        }
    }

    private static void Throw(PayoutRefusal? refusal)
    {
        if (refusal is not null)
        {
            throw new ExecutionError($"{char.ToUpperInvariant(refusal.Message[0])}{refusal.Message[1..]}.") { Code = refusal.Code };
        }
    }

    private static void Require(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ErrorCodes.Invalid(field, "must not be blank");
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
