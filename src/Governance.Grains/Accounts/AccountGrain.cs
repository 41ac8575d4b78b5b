using Governance.Abstractions;
using Governance.Abstractions.Accounts;
using Governance.Abstractions.Facts;
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
    ILogger<AccountGrain> logger) : Grain, IAccountGrain
{
    /// <summary>Snapshot after this many facts since the last one…</summary>
    public const int SnapshotEveryFacts = 1_000;

    /// <summary>…or this long after the first unsnapshotted fact, whichever comes first.</summary>
    public static readonly TimeSpan SnapshotAfter = TimeSpan.FromSeconds(30);

    private int _unsnapshotted;
    private IGrainTimer? _snapshotTimer;

    private (string TenantId, string AccountId) Key => GrainKeys.Parse(this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (tenantId, accountId) = Key;
        var missed = await facts.ReadAccountAsync(tenantId, accountId, state.State.Watermark, cancellationToken);
        if (missed.Count > 0)
        {
            logger.LogInformation("Account {AccountId} replays {Count} facts past watermark {Watermark}", accountId, missed.Count, state.State.Watermark);
            Apply(missed);
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
            OwnerExecutiveId = state.State.Ledger.OwnerOf(MonthKey.Of(DateTimeOffset.UtcNow)),
        });
    }

    public async Task ApplyAsync(IReadOnlyList<FactMessage> messages)
    {
        if (Apply(messages) == 0)
        {
            return;
        }

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

    public Task<long> GetWatermarkAsync() => Task.FromResult(state.State.Watermark);

    /// <summary>Applies the facts past the watermark; returns how many.</summary>
    private int Apply(IReadOnlyList<FactMessage> messages)
    {
        var applied = 0;
        foreach (var message in messages)
        {
            if (message.FactId <= state.State.Watermark)
            {
                continue; // delivered again after a restart: already counted
            }

            state.State.Ledger.Apply(ToStored(message));
            state.State.Watermark = message.FactId;
            applied++;
        }

        _unsnapshotted += applied;
        return applied;
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
