namespace Governance.Abstractions.Security;

/// <summary>The roles a token can carry (product §2). A role always applies within the token's tenant.</summary>
public static class Roles
{
    /// <summary>Manages the tenant's users, roles, executives, portfolios, definitions and plans.</summary>
    public const string TenantAdmin = "tenant-admin";

    /// <summary>A tenant's system sending facts; writes facts only.</summary>
    public const string Integration = "integration";

    /// <summary>An executive reading their scorecard.</summary>
    public const string Executive = "executive";

    /// <summary>A customer-success manager.</summary>
    public const string CsManager = "cs-manager";

    /// <summary>Read-only access to everything in the tenant, lineage and audit included.</summary>
    public const string Auditor = "auditor";

    /// <summary>A member of the compensation committee.</summary>
    public const string CommitteeMember = "committee-member";

    /// <summary>Owns data definitions and resolves data-quality findings.</summary>
    public const string DataOwner = "data-owner";

    /// <summary>Operates the platform: creates tenants, sees the job dashboard. Lives in the reserved platform tenant.</summary>
    public const string PlatformAdmin = "platform-admin";

    /// <summary>Every role a person or client of a customer tenant can hold.</summary>
    public static IReadOnlyList<string> TenantRoles { get; } =
        [TenantAdmin, Integration, Executive, CsManager, Auditor, CommitteeMember, DataOwner];

    /// <summary>The reserved tenant platform operators belong to; it never holds customer data.</summary>
    public const string PlatformTenant = "platform";
}
