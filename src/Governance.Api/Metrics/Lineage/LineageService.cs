using Governance.Abstractions;
using Governance.Abstractions.Accounts;
using Governance.Api.GraphQL;
using Governance.Api.Metrics.Values;
using Governance.Domain.Measures;
using Governance.Domain.Metrics;
using Governance.Storage.Facts;
using Governance.Storage.Lineage;

namespace Governance.Api.Metrics.Lineage;

/// <summary>A value with a page of the facts behind it.</summary>
public sealed record MetricLineage(MetricValue Value, LineageFactPage Facts);

/// <summary>A page of facts by ascending id; the last id is the cursor of the next page.</summary>
public sealed record LineageFactPage(IReadOnlyList<LineageFact> Items, bool HasNextPage);

/// <summary>What <c>verifyPinned</c> answers: the pin beside the value and facts recomputed now.</summary>
public sealed record PinVerification(MetricPin Pin, decimal? CurrentValue, string? CurrentNullReason, byte[] CurrentDigest,
    IReadOnlyList<LineageFact> Added, IReadOnlyList<LineageFact> Removed)
{
    public bool Unchanged => Added.Count == 0 && Removed.Count == 0 && CurrentValue == Pin.Value
        && CurrentNullReason == Pin.NullReason && CurrentDigest.AsSpan().SequenceEqual(Pin.Digest);
}

/// <summary>
/// Upstream lineage of metric values (docs/api.md, "Lineage and pins"): which facts lie behind a value,
/// pinning a value with the digest of those facts, and verifying a pin against a recomputation.
/// </summary>
public sealed class LineageService(MetricValueService values, FactStore facts, LineageStore store, IGrainFactory grains)
{
    public async Task<MetricLineage> LineageAsync(string tenantId, string key, MetricScope scope, Period period, int? version, int first, long? after, CancellationToken cancellationToken)
    {
        CheckFirst(first);
        var value = await ValueAsync(tenantId, key, scope, period, version, cancellationToken);
        var filter = await FilterAsync(tenantId, value, cancellationToken);
        var page = await store.FactsAsync(tenantId, filter, after ?? 0, first + 1, cancellationToken);
        return new MetricLineage(value, new LineageFactPage(page.Take(first).ToList(), page.Count > first));
    }

    /// <summary>A page size of lineage: 1 to <see cref="LineageStore.MaxPage"/>, else INVALID_INPUT naming <c>first</c>.</summary>
    public static void CheckFirst(int first)
    {
        if (first is < 1 or > LineageStore.MaxPage)
        {
            throw ErrorCodes.Invalid("first", $"must be 1 to {LineageStore.MaxPage}");
        }
    }

    public async Task<MetricPin> PinAsync(string tenantId, string key, MetricScope scope, Period period, int? version, string pinnedBy, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw ErrorCodes.Invalid("reason", "must not be blank");
        }

        var value = await ValueAsync(tenantId, key, scope, period, version, cancellationToken);
        var all = await store.AllFactsAsync(tenantId, await FilterAsync(tenantId, value, cancellationToken), cancellationToken);
        return await store.PinAsync(tenantId, key, value.Definition.Version, scope.ToString(), period.ToString(), value.Value, value.NullReason,
            value.Measures, all, pinnedBy, reason, cancellationToken);
    }

    /// <summary>Recomputes a pinned value under its version, and its facts; NOT_FOUND for a pin the tenant does not have.</summary>
    public async Task<PinVerification> VerifyAsync(string tenantId, Guid pinId, CancellationToken cancellationToken)
    {
        var pin = await store.GetPinAsync(tenantId, pinId, cancellationToken) ?? throw ErrorCodes.NotFoundError("Pin", pinId.ToString());
        var scope = MetricScope.Parse(pin.Scope);
        var period = Period.TryParse(pin.Period, out var p) ? p : throw new InvalidOperationException($"Stored pin period '{pin.Period}' does not parse.");
        var value = await ValueAsync(tenantId, pin.Key, scope, period, pin.Version, cancellationToken);
        var current = await store.AllFactsAsync(tenantId, await FilterAsync(tenantId, value, cancellationToken), cancellationToken);
        var pinned = pin.FactIds.ToHashSet();
        var now = current.Select(f => f.FactId).ToHashSet();
        var removed = await store.FactsByIdAsync(tenantId, pinned.Where(id => !now.Contains(id)).ToList(), cancellationToken);
        return new PinVerification(pin, value.Value, value.NullReason, LineageStore.Digest(current),
            current.Where(f => !pinned.Contains(f.FactId)).ToList(), removed);
    }

    private async Task<MetricValue> ValueAsync(string tenantId, string key, MetricScope scope, Period period, int? version, CancellationToken cancellationToken)
    {
        var reader = await values.OpenAsync(tenantId, scope);
        return await values.ValueAsync(tenantId, key, reader, period, version, cancellationToken);
    }

    /// <summary>
    /// Of the accounts ever in the executive's portfolio, those it held at the end of a period the value
    /// read (a period belongs to the owner of its last month: docs/metrics.md), asked of their grains.
    /// </summary>
    private async Task<IReadOnlyList<string>> HeldAsync(string tenantId, MetricValue value, IReadOnlyList<string> accounts)
    {
        var months = value.Measures.Select(r => value.Period.Shift(r.PeriodOffset).LastMonth).Append(value.Period.LastMonth).Distinct().ToList();
        var held = new List<string>();
        foreach (var chunk in accounts.Chunk(64))
        {
            var owners = await Task.WhenAll(chunk.Select(async account =>
            {
                var grain = grains.GetGrain<IAccountGrain>(GrainKeys.Account(tenantId, account));
                var owned = await Task.WhenAll(months.Select(grain.GetOwnerAsync));
                return (account, Held: owned.Contains(value.Scope.Id, StringComparer.Ordinal));
            }));
            held.AddRange(owners.Where(o => o.Held).Select(o => o.account));
        }

        return held;
    }

    /// <summary>
    /// The facts behind a value: the scope's accounts, the kinds that feed the measures it read
    /// (<see cref="MeasureSources"/>) in the periods it read them for, and for levels every earlier
    /// <c>mrr.changed</c>. An executive's accounts are those the portfolio held at the end of the
    /// periods read (<see cref="HeldAsync"/>).
    /// </summary>
    private async Task<LineageFilter> FilterAsync(string tenantId, MetricValue value, CancellationToken cancellationToken)
    {
        IReadOnlyList<string>? accounts = value.Scope.Kind switch
        {
            ScopeKind.Account => [value.Scope.Id!],
            ScopeKind.Executive => await HeldAsync(tenantId, value, await facts.AccountsOfPortfolioAsync(tenantId, value.Scope.Id!, cancellationToken)),
            ScopeKind.Segment => await facts.AccountsOfSegmentAsync(tenantId, value.Scope.Id!, cancellationToken),
            _ => null,
        };
        var readings = value.Measures;
        var kinds = readings.SelectMany(r => MeasureSources.KindsOf(r.Measure)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var history = readings.Any(r => MeasureSources.ReadsHistory(r.Measure)) ? new[] { MeasureSources.HistoryKind } : [];
        var earliest = readings.Count == 0 ? 0 : Math.Min(0, readings.Min(r => r.PeriodOffset));
        var from = value.Period.Shift(earliest).Start;
        return new LineageFilter(accounts, kinds, history,
            new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            new DateTimeOffset(value.Period.End.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
    }
}
