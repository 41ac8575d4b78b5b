using Governance.Abstractions.Security;
using Governance.Api.Hosting;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Governance.Api.Jobs;

public static class JobsSetup
{
    public const string DashboardPath = "/hangfire";

    /// <summary>Hangfire on the same PostgreSQL (schema <c>hangfire</c>, created by Hangfire itself).</summary>
    public static IServiceCollection AddGovernanceJobs(this IServiceCollection services, GovernanceOptions options)
    {
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            // Workers wake on NOTIFY when a job is queued instead of polling every 15 s: a webhook
            // delivery (and its immediate retry) starts at once.
            EnableLongPolling = true,
        };
        // The storage is this host's own service, not Hangfire's static JobStorage.Current: two hosts in one
        // process (the test suite runs several) would otherwise race for the global and one would write its
        // jobs into the other's database. Registered first, so AddHangfire keeps it.
        services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(options.ConnectionString, storageOptions), storageOptions));
        // Likewise the activator: AddHangfire points the static JobActivator.Current at whichever host configured
        // last, and a worker could then build its job from another host's services (another database).
        services.AddSingleton<JobActivator>(provider => new Hangfire.AspNetCore.AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((provider, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogs(provider.GetRequiredService<ILoggerFactory>())));
        if (options.Jobs.WorkerCount > 0)
        {
            services.AddHangfireServer(server => server.WorkerCount = options.Jobs.WorkerCount);
        }

        return services;
    }

    public static IEndpointRouteBuilder MapJobsDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [new PlatformOperatorsOnly()],
            DisplayStorageConnectionString = false,
        });
        return endpoints;
    }

    /// <summary>The dashboard is for platform operators signed in on the login page (a browser carries the cookie, not a bearer token).</summary>
    private sealed class PlatformOperatorsOnly : IDashboardAsyncAuthorizationFilter
    {
        public async Task<bool> AuthorizeAsync(DashboardContext context)
        {
            var http = context.GetHttpContext();
            var signIn = await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            if (signIn.Succeeded)
            {
                // Hangfire answers 403 rather than 401 only when it sees an authenticated user.
                http.User = signIn.Principal;
            }

            return http.User.IsInRole(Roles.PlatformAdmin);
        }
    }
}
