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
