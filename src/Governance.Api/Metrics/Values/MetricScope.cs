using Governance.Abstractions;
using Governance.Abstractions.Accounts;
using Governance.Abstractions.Portfolios;
using Governance.Api.GraphQL;
using Governance.Domain.Measures;
using Governance.Domain.Metrics;
using GraphQL.Types;

namespace Governance.Api.Metrics.Values;

public enum ScopeKind
{
    Account,
    Executive,
    Segment,
    Tenant,
}

/// <summary>What a metric value is about: one account, an executive's portfolio, a segment, or the whole tenant.</summary>
public sealed record MetricScope(ScopeKind Kind, string? Id)
{
    public override string ToString() => Kind == ScopeKind.Tenant ? "tenant" : $"{Kind.ToString().ToLowerInvariant()}:{Id}";

    /// <summary>The scope <see cref="ToString"/> wrote.</summary>
    public static MetricScope Parse(string text)
    {
        if (text == "tenant")
        {
            return new MetricScope(ScopeKind.Tenant, null);
        }

        var colon = text.IndexOf(':');
        return colon > 0 && Enum.TryParse<ScopeKind>(text[..colon], ignoreCase: true, out var kind) && kind != ScopeKind.Tenant
            ? new MetricScope(kind, text[(colon + 1)..])
            : throw new FormatException($"'{text}' is not a metric scope.");
    }
}

/// <summary>The scope argument as sent: exactly one field set.</summary>
public sealed class MetricScopeInput
{
    public string? Account { get; set; }
    public string? Executive { get; set; }
    public string? Segment { get; set; }
    public bool? Tenant { get; set; }

    public MetricScope ToScope(string argument)
    {
        (ScopeKind Kind, string? Id)[] set =
        [
            .. Account is null ? [] : new[] { (ScopeKind.Account, (string?)Account) },
            .. Executive is null ? [] : new[] { (ScopeKind.Executive, (string?)Executive) },
            .. Segment is null ? [] : new[] { (ScopeKind.Segment, (string?)Segment) },
            .. Tenant == true ? new[] { (ScopeKind.Tenant, (string?)null) } : [],
        ];
        if (set.Length != 1)
        {
            throw ErrorCodes.Invalid(argument, $"set exactly one of account, executive, segment or tenant: true ({set.Length} set)");
        }

        var (kind, id) = set[0];
        if (id is not null && GrainKeys.ValidateLocalId(id) is { } problem)
        {
            throw ErrorCodes.Invalid($"{argument}.{kind.ToString().ToLowerInvariant()}", problem);
        }

        return new MetricScope(kind, id);
    }
}

public sealed class MetricScopeInputType : InputObjectGraphType<MetricScopeInput>
{
    public MetricScopeInputType()
    {
        Name = "MetricScopeInput";
        Description = "Exactly one of: an account, an executive's portfolio, a segment, or the whole tenant.";
        Field(s => s.Account, type: typeof(IdGraphType)).Description("An account id.");
        Field(s => s.Executive, type: typeof(IdGraphType)).Description("An executive id: the accounts of their portfolio.");
        Field(s => s.Segment, nullable: true).Description("An account segment.");
        Field(s => s.Tenant, nullable: true).Description("true: every account of the tenant.");
    }
}

/// <summary>
/// Reads a scope's period measures from its grain (an account, or a roll-up), once per period within
/// one request, so many metrics of one scope cost one grain call per period set.
/// </summary>
public sealed class ScopeReader
{
    private readonly Func<IReadOnlyList<int>, Task<IReadOnlyList<PeriodSnapshot>>> _read;
    private readonly Dictionary<Period, PeriodMeasures> _cache = [];

    private ScopeReader(MetricScope scope, string? segment, Func<IReadOnlyList<int>, Task<IReadOnlyList<PeriodSnapshot>>> read)
    {
        Scope = scope;
        Segment = segment;
        _read = read;
    }

    public MetricScope Scope { get; }

    /// <summary>The segment whose health profile applies: the account's, or the segment scope's.</summary>
    public string? Segment { get; }

    /// <summary>Opens a scope of the caller's tenant; an account the tenant does not have is NOT_FOUND.</summary>
    public static async Task<ScopeReader> OpenAsync(IGrainFactory grains, string tenantId, MetricScope scope)
    {
        switch (scope.Kind)
        {
            case ScopeKind.Account:
                var account = grains.GetGrain<IAccountGrain>(GrainKeys.Account(tenantId, scope.Id!));
                var snapshot = await account.GetAsync() ?? throw ErrorCodes.NotFoundError("Account", scope.Id!);
                return new ScopeReader(scope, snapshot.Segment, account.GetPeriodsAsync);
            case ScopeKind.Executive:
                return new ScopeReader(scope, null, grains.GetGrain<IRollupGrain>(GrainKeys.Portfolio(tenantId, scope.Id!)).GetPeriodsAsync);
            case ScopeKind.Segment:
                return new ScopeReader(scope, scope.Id, grains.GetGrain<IRollupGrain>(GrainKeys.Segment(tenantId, scope.Id!)).GetPeriodsAsync);
            default:
                return new ScopeReader(scope, null, grains.GetGrain<IRollupGrain>(GrainKeys.TenantRollup(tenantId)).GetPeriodsAsync);
        }
    }

    public async Task<IReadOnlyDictionary<Period, PeriodMeasures>> ReadAsync(IEnumerable<Period> periods)
    {
        var missing = periods.Distinct().Where(p => !_cache.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            foreach (var snapshot in await _read(missing.Select(p => p.Key).ToList()))
            {
                var period = Period.FromKey(snapshot.Period);
                _cache[period] = new PeriodMeasures(period, snapshot.Values, snapshot.MrrStart, snapshot.MrrEnd, snapshot.CustomersStart, snapshot.CustomersEnd);
            }
        }

        return _cache;
    }
}
