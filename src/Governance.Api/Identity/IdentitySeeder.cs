using Governance.Abstractions.Security;
using Governance.Api.Hosting;
using Governance.Api.Tenants;
using Governance.Storage.Tenants;
using Npgsql;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Governance.Api.Identity;

/// <summary>
/// What must exist for anyone to get a token: the console's public client, the platform operator's
/// client and user when configured, and the demo tenant for local runs. Creates what is missing,
/// never changes what exists; hosts starting together take turns through an advisory lock.
/// </summary>
public sealed class IdentitySeeder(
    GovernanceOptions options,
    NpgsqlDataSource dataSource,
    TenantProvisioning provisioning,
    TenantStore tenants,
    IOpenIddictApplicationManager applications,
    ILogger<IdentitySeeder> logger)
{
    public const string ConsoleClientId = "governance-console";
    public const string DemoTenantId = "demo";
    public const string DemoClientId = "demo-integration";
    public const string DemoAdminUsername = "demo-admin";
    public const string DemoReportingClientId = "demo-reporting";
    private const string Seeder = "seed";
    private const long AdvisoryLockKey = 0x476f765f73656564; // "Gov_seed"

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand($"select pg_advisory_lock({AdvisoryLockKey})", connection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await SeedConsoleClientAsync(cancellationToken);
            await SeedPlatformAsync(cancellationToken);
            if (options.Demo.Enabled)
            {
                await SeedDemoAsync(cancellationToken);
            }
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"select pg_advisory_unlock({AdvisoryLockKey})", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private async Task SeedConsoleClientAsync(CancellationToken cancellationToken)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = ConsoleClientId,
            ClientType = ClientTypes.Public,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "Governance console",
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
                Permissions.Scopes.Roles,
                Permissions.Prefixes.Scope + TokenServerSetup.ApiScope,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in options.Tokens.ConsoleRedirectUris)
        {
            descriptor.RedirectUris.Add(new Uri(uri));
        }

        var existing = await applications.FindByClientIdAsync(ConsoleClientId, cancellationToken);
        if (existing is null)
        {
            await applications.CreateAsync(descriptor, cancellationToken);
        }
        else
        {
            // Redirect URIs follow configuration: they are where this deployment's console lives.
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }
    }

    private async Task SeedPlatformAsync(CancellationToken cancellationToken)
    {
        var platform = options.Platform;
        if (!string.IsNullOrEmpty(platform.ClientSecret)
            && await provisioning.EnsureClientAsync(platform.ClientId, platform.ClientSecret, Roles.PlatformTenant, [Roles.PlatformAdmin], Seeder, cancellationToken))
        {
            logger.LogInformation("Created platform client {ClientId}", platform.ClientId);
        }

        if (!string.IsNullOrEmpty(platform.AdminPassword)
            && await provisioning.EnsureUserAsync(Roles.PlatformTenant, platform.AdminUsername, "Platform operator", platform.AdminPassword, [Roles.PlatformAdmin], Seeder, cancellationToken))
        {
            logger.LogInformation("Created platform operator {Username}", platform.AdminUsername);
        }
    }

    private async Task SeedDemoAsync(CancellationToken cancellationToken)
    {
        if (await tenants.FindTenantAsync(DemoTenantId, cancellationToken) is null)
        {
            var created = await provisioning.CreateTenantAsync(DemoTenantId, "Demo company", Seeder, cancellationToken);
            logger.LogInformation("Created demo tenant with client {ClientId}", created?.ClientId);
        }

        await provisioning.EnsureClientAsync(DemoClientId, options.Demo.ClientSecret, DemoTenantId, [Roles.Integration], Seeder, cancellationToken);
        await provisioning.EnsureClientAsync(DemoReportingClientId, options.Demo.ReportingSecret, DemoTenantId, [Roles.CsManager, Roles.Auditor], Seeder, cancellationToken);
        await provisioning.EnsureUserAsync(DemoTenantId, DemoAdminUsername, "Demo administrator", options.Demo.AdminPassword,
            [Roles.TenantAdmin, Roles.DataOwner, Roles.Auditor], Seeder, cancellationToken);
    }
}
