using Governance.Storage;
using Governance.Storage.Identity;
using Governance.Storage.Tenants;
using Microsoft.EntityFrameworkCore;

namespace Governance.Api.Hosting;

public static class HostingExtensions
{
    /// <summary>Reads section <c>Governance</c>, with <c>GOVERNANCE_DB</c> as the connection string when set.</summary>
    public static GovernanceOptions GetGovernanceOptions(this IConfiguration configuration)
    {
        var options = configuration.GetSection(GovernanceOptions.Section).Get<GovernanceOptions>() ?? new GovernanceOptions();
        var fromEnvironment = configuration["GOVERNANCE_DB"];
        if (string.IsNullOrWhiteSpace(options.ConnectionString) && !string.IsNullOrWhiteSpace(fromEnvironment))
        {
            options.ConnectionString = fromEnvironment;
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new InvalidOperationException(
                "No database configured: set GOVERNANCE_DB (or Governance:ConnectionString) to a PostgreSQL connection string, or start through deploy/dev.sh.");
        }

        options.DataDirectory = Path.GetFullPath(options.DataDirectory);
        return options;
    }

    public static IServiceCollection AddGovernanceStorage(this IServiceCollection services, GovernanceOptions options)
    {
        // Storage runs as the runtime role, under row-level security (ADR 0003, migration 0011).
        services.AddSingleton(_ => TenantSession.Builder(options.ConnectionString, options.RuntimeRole).Build());
        services.AddSingleton<TenantStore>();
        services.AddSingleton<UserStore>();
        services.AddDbContext<TokenServerDbContext>(db =>
        {
            db.UseNpgsql(options.ConnectionString);
            db.UseOpenIddict();
        });
        return services;
    }
}
