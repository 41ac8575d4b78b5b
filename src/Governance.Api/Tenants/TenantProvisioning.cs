using System.Buffers.Text;
using System.Security.Cryptography;
using Governance.Abstractions.Security;
using Governance.Abstractions.Tenancy;
using Governance.Api.Identity;
using Governance.Api.Metrics;
using Governance.Storage.Identity;
using Governance.Storage.Metrics;
using Governance.Storage.Tenants;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Governance.Api.Tenants;

public sealed record ProvisionedTenant(TenantRow Tenant, string ClientId, string ClientSecret);

/// <summary>A client's credentials, the secret as generated: shown once, only its hash is kept.</summary>
public sealed record IntegrationClient(string ClientId, string ClientSecret);

/// <summary>
/// Creates tenants, their OAuth clients and users. A tenant, its first client and its built-in metric
/// definitions are created in one transaction (the token server's store shares it), so a failure
/// leaves none of them behind.
/// </summary>
public sealed class TenantProvisioning(
    Jobs.TenantJobSchedules jobSchedules,
    TokenServerDbContext db,
    IOpenIddictApplicationManager applications,
    TenantStore tenants,
    IPasswordHasher<PasswordOwner> hasher,
    TimeProvider time)
{
    /// <summary>Creates a tenant with one integration client; <see langword="null"/> when the id is taken.</summary>
    public async Task<ProvisionedTenant?> CreateTenantAsync(string tenantId, string name, string createdBy, CancellationToken cancellationToken)
    {
        TenantId.Require(tenantId);
        if (tenantId == Roles.PlatformTenant)
        {
            return null;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        var tenant = await TenantStore.TryInsertTenantAsync(connection, transaction.GetDbTransaction(), tenantId, name, createdBy, cancellationToken);
        if (tenant is null)
        {
            return null;
        }

        var clientId = $"{tenantId}-integration-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var secret = NewSecret();
        await CreateConfidentialClientAsync(connection, transaction, clientId, secret, tenantId, [Roles.Integration], createdBy, cancellationToken);
        await MetricDefinitionStore.SeedBuiltInsAsync(connection, transaction.GetDbTransaction(), tenantId, BuiltInCatalog.Drafts, time.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        jobSchedules.Register(tenantId);

        return new ProvisionedTenant(tenant, clientId, secret);
    }

    /// <summary>Creates a confidential client of an existing tenant unless the client id exists. Returns whether it created one.</summary>
    public async Task<bool> EnsureClientAsync(string clientId, string secret, string tenantId, string[] roles, string createdBy, CancellationToken cancellationToken)
    {
        if (await applications.FindByClientIdAsync(clientId, cancellationToken) is not null)
        {
            return false;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await CreateConfidentialClientAsync(db.Database.GetDbConnection(), transaction, clientId, secret, tenantId, roles, createdBy, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Creates another integration client of a tenant (role <c>integration</c> only), recorded in
    /// <c>user_events</c> in the same transaction. The client id is generated; the name is a label.
    /// </summary>
    public async Task<IntegrationClient> CreateIntegrationClientAsync(string tenantId, string name, string createdBy, CancellationToken cancellationToken)
    {
        var clientId = $"{tenantId}-integration-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var secret = NewSecret();
        string[] roles = [Roles.Integration];
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await CreateConfidentialClientAsync(connection, transaction, clientId, secret, tenantId, roles, createdBy, cancellationToken, $"{tenantId}: {name}");
        await UserStore.AppendClientCreatedAsync(connection, transaction.GetDbTransaction(), tenantId, clientId, name, roles, createdBy, time.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new IntegrationClient(clientId, secret);
    }

    /// <summary>Creates a person who signs in on the login page, unless the username exists in the tenant.</summary>
    public Task<bool> EnsureUserAsync(string tenantId, string username, string displayName, string password, string[] roles, string createdBy, CancellationToken cancellationToken) =>
        tenants.TryInsertUserAsync(
            new TenantUserRow
            {
                TenantId = tenantId,
                UserId = Guid.NewGuid(),
                Username = username,
                DisplayName = displayName,
                PasswordHash = hasher.HashPassword(new PasswordOwner(), password),
                Roles = roles,
            },
            createdBy, cancellationToken);

    /// <summary>A 256-bit random secret, URL-safe. Shown once; only its hash is kept.</summary>
    public static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private async Task CreateConfidentialClientAsync(
        System.Data.Common.DbConnection connection, IDbContextTransaction transaction,
        string clientId, string secret, string tenantId, string[] roles, string createdBy, CancellationToken cancellationToken,
        string? displayName = null)
    {
        await applications.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = displayName ?? $"{tenantId}: {string.Join(", ", roles)}",
            Permissions =
            {
                Permissions.Endpoints.Token,
                Permissions.GrantTypes.ClientCredentials,
                Permissions.Prefixes.Scope + TokenServerSetup.ApiScope,
            },
        }, cancellationToken);
        await TenantStore.InsertClientAsync(connection, transaction.GetDbTransaction(), clientId, tenantId, roles, createdBy, cancellationToken);
    }
}
