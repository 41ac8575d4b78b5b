using Governance.Abstractions;
using Governance.Abstractions.Accounts;
using Governance.Abstractions.Facts;
using Governance.Abstractions.Portfolios;
using Governance.Domain.Facts;
using Governance.Domain.Measures;
using Microsoft.Extensions.Logging;

namespace Governance.Grains.Accounts;

/// <summary>
/// Live state of one account, derived from its facts. Never written per fact: the state is snapshotted
/// once enough facts or time have passed, and on deactivation; after a crash the facts past the
/// snapshot's watermark are replayed from the facts table on activation.
/// </summary>
public sealed class AccountGrain(
    [PersistentState("account", GrainStorage.Default)] IPersistentState<AccountState> state,
    IFactLog facts,
    TimeProvider time,
    ILogger<AccountGrain> logger) : Grain, IAccountGrain
{
    /// <summary>Snapshot after this many facts since the last one…</summary>
    public const int SnapshotEveryFacts = 1_000;

    /// <summary>…or this long after the first unsnapshotted fact, whichever comes first.</summary>
    public static readonly TimeSpan SnapshotAfter = TimeSpan.FromSeconds(30);

    private int _unsnapshotted;
    private IGrainTimer? _snapshotTimer;

    /// <summary>What a replay at activation changed, to push to the roll-ups in the first turn after it.</summary>
    private Dictionary<string, Dictionary<int, long[]>>? _replayChanges;

    private (string TenantId, string AccountId) Key => GrainKeys.Parse(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (tenantId, accountId) = Key;
        var missed = await facts.ReadAccountAsync(tenantId, accountId, state.State.Watermark, cancellationToken);
        if (missed.Count > 0)
        {
            logger.LogInformation("Account {AccountId} replays {Count} facts past watermark {Watermark}", accountId, missed.Count, state.State.Watermark);
            var before = Capture(state.State.Ledger.PeriodsWithData());
            var touched = Apply(missed);
            var after = Capture(before.Keys.Union(touched));
            // Roll-ups may be waiting on this activation (rebuilding, they ask for contributions): push
            // once it is over, in the first turn, before any other change.
            _replayChanges = ContributionChanges.Compute(before, after);
            this.RegisterGrainTimer(FlushReplayAsync, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_unsnapshotted > 0)
        {
            await SnapshotAsync();
        }
    }

    public Task<AccountSnapshot?> GetAsync()
    {
        var profile = state.State.Ledger.Profile;
        if (profile.CreatedAt is null)
        {
            return Task.FromResult<AccountSnapshot?>(null);
        }

        var (tenantId, accountId) = Key;
        return Task.FromResult<AccountSnapshot?>(new AccountSnapshot
        {
            TenantId = tenantId,
            AccountId = accountId,
            Name = profile.Name!,
            Segment = profile.Segment,
            RegisteredAt = profile.CreatedAt.Value,
            RegisteredBy = profile.CreatedBy!,
            ClosedAt = profile.ClosedAt,
            OwnerExecutiveId = state.State.Ledger.OwnerOf(MonthKey.Of(time.GetUtcNow())),
        });
    }

    public async Task ApplyAsync(IReadOnlyList<FactMessage> messages)
    {
        await FlushReplayAsync();
        var fresh = messages.Where(m => m.FactId > state.State.Watermark).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        var before = Capture(CandidatePeriods(fresh));
        var touched = Apply(fresh);
        var after = Capture(before.Keys.Union(touched));
        await PushAsync(ContributionChanges.Compute(before, after));

        if (_unsnapshotted >= SnapshotEveryFacts)
        {
            await SnapshotAsync();
        }
        else
        {
            _snapshotTimer ??= this.RegisterGrainTimer(SnapshotAsync, SnapshotAfter, SnapshotAfter);
        }
    }

    public Task<IReadOnlyList<MonthMeasures>> GetMeasuresAsync(int fromMonth, int toMonth)
    {
        var ledger = state.State.Ledger;
        IReadOnlyList<MonthMeasures> months = Enumerable.Range(fromMonth, Math.Max(0, toMonth - fromMonth + 1))
            .Select(month => new MonthMeasures { Month = month, Values = ledger.Export(month) })
            .ToList();
        return Task.FromResult(months);
    }

    public Task<IReadOnlyList<PeriodSnapshot>> GetPeriodsAsync(IReadOnlyList<int> periodKeys)
    {
        var ledger = state.State.Ledger;
        IReadOnlyList<PeriodSnapshot> periods = periodKeys.Select(key =>
        {
            var period = Period.FromKey(key);
            return new PeriodSnapshot
            {
                Period = key,
                Values = ledger.Export(key),
                MrrStart = ledger.MrrAtEnd(period.FirstMonth - 1),
                MrrEnd = ledger.MrrAtEnd(period.LastMonth),
                CustomersStart = ledger.CustomersAtEnd(period.FirstMonth - 1),
                CustomersEnd = ledger.CustomersAtEnd(period.LastMonth),
            };
        }).ToList();
        return Task.FromResult(periods);
    }

    public Task<string?> GetOwnerAsync(int month) => Task.FromResult(state.State.Ledger.OwnerOf(month));

    public Task<long> GetWatermarkAsync() => Task.FromResult(state.State.Watermark);

    public Task<Contribution> GetContributionAsync(string rollupKey)
    {
        var (_, target) = GrainKeys.Parse(rollupKey);
        var ledger = state.State.Ledger;
        var periods = new List<MonthMeasures>();
        foreach (var period in ledger.PeriodsWithData())
        {
            if (ledger.Contributions(period).TryGetValue(target, out var values))
            {
                periods.Add(new MonthMeasures { Month = period, Values = values });
            }
        }

        // The roll-up now holds everything up to the watermark: a pending replay push is no news to it.
        state.State.PushedTo[rollupKey] = state.State.Watermark;
        _replayChanges?.Remove(target);
        return Task.FromResult(new Contribution { Version = state.State.Watermark, Months = periods });
    }

    /// <summary>Applies facts past the watermark (facts delivered again after a restart are already counted); returns the periods they changed.</summary>
    private HashSet<int> Apply(IReadOnlyList<FactMessage> messages)
    {
        var touched = new HashSet<int>();
        foreach (var message in messages)
        {
            if (message.FactId <= state.State.Watermark)
            {
                continue;
            }

            touched.UnionWith(state.State.Ledger.Apply(ToStored(message)).SelectMany(Period.KeysContaining));

            state.State.Watermark = message.FactId;
            _unsnapshotted++;
        }

        // What an account carries across a portfolio change is its level then, which any MRR fact before it moves.
        touched.UnionWith(state.State.Ledger.OwnershipPeriods());
        return touched;
    }

    /// <summary>
    /// The periods a batch can change, captured before it applies: the months, quarters and years of its
    /// facts and of the facts they correct, and those where the account changes portfolio; for facts
    /// that move ownership, segment or time to value, every period.
    /// </summary>
    private IEnumerable<int> CandidatePeriods(IReadOnlyList<FactMessage> messages)
    {
        var ledger = state.State.Ledger;
        var months = new HashSet<int>();
        var everyPeriod = false;
        var firstMrrMonth = int.MaxValue;
        foreach (var message in messages)
        {
            if (message.Kind == "mrr.changed")
            {
                firstMrrMonth = Math.Min(firstMrrMonth, MrrMonth(message));
            }

            months.Add(MonthKey.Of(message.OccurredAt));
            if (message.Supersedes is { } superseded)
            {
                months.Add(MonthKey.Of(superseded.OccurredAt));
            }

            everyPeriod |= message.Kind is "account.created" or "account.assigned" or "onboarding.milestone";
        }

        var periods = months.SelectMany(Period.KeysContaining);
        return everyPeriod
            ? ledger.PeriodsWithData().Union(periods)
            : periods.Union(ledger.OwnershipPeriods()).Union(firstMrrMonth == int.MaxValue ? [] : ledger.PeriodsEndingFrom(firstMrrMonth));
    }

    /// <summary>The earliest month an MRR fact (or the one it corrects) moves the level from.</summary>
    private static int MrrMonth(FactMessage message)
    {
        var month = MonthKey.Of(message.OccurredAt);
        return message.Supersedes is { } superseded ? Math.Min(month, MonthKey.Of(superseded.OccurredAt)) : month;
    }

    private Dictionary<int, Dictionary<string, long[]>> Capture(IEnumerable<int> periods)
    {
        var ledger = state.State.Ledger;
        return periods.Distinct().ToDictionary(p => p, ledger.Contributions);
    }

    private async Task PushAsync(Dictionary<string, Dictionary<int, long[]>> changes)
    {
        var (tenantId, accountId) = Key;
        var watermark = state.State.Watermark;
        await Task.WhenAll(changes.Select(async change =>
        {
            var key = GrainKeys.Rollup(tenantId, change.Key);
            var delta = new ContributionDelta
            {
                AccountId = accountId,
                FromVersion = state.State.PushedTo.GetValueOrDefault(key),
                ToVersion = watermark,
                Months = change.Value.Select(m => new MonthMeasures { Month = m.Key, Values = m.Value }).ToList(),
            };
            await GrainFactory.GetGrain<IRollupGrain>(key).PushAsync(delta);
            state.State.PushedTo[key] = watermark;
        }));
    }

    private async Task FlushReplayAsync()
    {
        if (_replayChanges is { } changes)
        {
            _replayChanges = null;
            await PushAsync(changes);
        }
    }

    private async Task SnapshotAsync()
    {
        if (_unsnapshotted == 0)
        {
            return;
        }

        await state.WriteStateAsync();
        _unsnapshotted = 0;
        _snapshotTimer?.Dispose();
        _snapshotTimer = null;
    }

    private static StoredFact ToStored(FactMessage message)
    {
        var kind = FactKinds.Parse(message.Kind);
        return new StoredFact(message.FactId, "", "", message.AccountId, message.OccurredAt, kind,
            FactPayloads.FromJson(kind, message.PayloadJson), message.Late, message.RecordedBy,
            message.Supersedes is null ? null : ToStored(message.Supersedes));
    }
}
