using Governance.Abstractions.Tenancy;

namespace Governance.Abstractions;

/// <summary>
/// The one place grain keys are built. Every tenant-scoped key is <c>{tenantId}/{localId}</c>: the tenant
/// id comes first and can never contain '/', so the key splits unambiguously on the first '/' even when
/// a tenant's own ids contain one.
/// </summary>
public static class GrainKeys
{
    /// <summary>The longest local id (account id, executive id …) accepted inside a key.</summary>
    public const int MaxLocalIdLength = 200;

    /// <summary>Key of <see cref="Accounts.IAccountGrain"/>: <c>{tenantId}/{accountId}</c>.</summary>
    public static string Account(string tenantId, string accountId) => Scoped(tenantId, accountId, nameof(accountId));

    /// <summary>Key of the <see cref="Portfolios.IRollupGrain"/> summing an executive's portfolio: <c>{tenantId}/portfolio/{executiveId}</c>.</summary>
    public static string Portfolio(string tenantId, string executiveId) => Scoped(tenantId, $"{PortfolioPrefix}{Require(executiveId, nameof(executiveId))}", nameof(executiveId));

    /// <summary>Key of the <see cref="Portfolios.IRollupGrain"/> summing every account of a tenant: <c>{tenantId}/all</c>.</summary>
    public static string TenantRollup(string tenantId) => Scoped(tenantId, TenantRollupLocalId, nameof(tenantId));

    /// <summary>Key of the <see cref="Portfolios.IRollupGrain"/> summing a segment's accounts: <c>{tenantId}/segment/{segment}</c>.</summary>
    public static string Segment(string tenantId, string segment) => Scoped(tenantId, $"{SegmentPrefix}{Require(segment, nameof(segment))}", nameof(segment));

    /// <summary>Key of a roll-up from its local id (<c>all</c>, <c>portfolio/…</c> or <c>segment/…</c>).</summary>
    public static string Rollup(string tenantId, string rollupLocalId) =>
        rollupLocalId == TenantRollupLocalId || rollupLocalId.StartsWith(PortfolioPrefix, StringComparison.Ordinal) || rollupLocalId.StartsWith(SegmentPrefix, StringComparison.Ordinal)
            ? Scoped(tenantId, rollupLocalId, nameof(rollupLocalId))
            : throw new ArgumentException($"'{rollupLocalId}' is not a roll-up.", nameof(rollupLocalId));

    /// <summary>The local part of a segment roll-up key, before the segment name.</summary>
    public const string SegmentPrefix = "segment/";

    /// <summary>The local part of a portfolio roll-up key, before the executive id.</summary>
    public const string PortfolioPrefix = "portfolio/";

    /// <summary>The local part of the tenant roll-up key.</summary>
    public const string TenantRollupLocalId = "all";

    /// <summary>Splits a tenant-scoped key back into tenant id and local id.</summary>
    public static (string TenantId, string LocalId) Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == key.Length - 1)
        {
            throw new ArgumentException($"'{key}' is not a tenant-scoped grain key.", nameof(key));
        }

        return (TenantId.Require(key[..slash], nameof(key)), key[(slash + 1)..]);
    }

    /// <summary>
    /// Returns <see langword="null"/> when <paramref name="localId"/> is usable inside a key, otherwise why not.
    /// </summary>
    public static string? ValidateLocalId(string? localId)
    {
        if (string.IsNullOrWhiteSpace(localId))
        {
            return "must not be empty";
        }

        if (localId.Length > MaxLocalIdLength)
        {
            return $"must be at most {MaxLocalIdLength} characters long";
        }

        return localId.Any(char.IsControl) ? "must not contain control characters" : null;
    }

    private static string Require(string id, string paramName) =>
        ValidateLocalId(id) is { } problem ? throw new ArgumentException($"Id {problem}.", paramName) : id;

    private static string Scoped(string tenantId, string localId, string paramName)
    {
        TenantId.Require(tenantId);
        var problem = ValidateLocalId(localId);
        if (problem is not null)
        {
            throw new ArgumentException($"Id {problem}.", paramName);
        }

        return $"{tenantId}/{localId}";
    }
}
