using Governance.Api.Facts;
using Governance.Domain.Facts;
using Governance.Storage.Facts;
using Governance.Api.GraphQL;
using Governance.Api.Health;
using Governance.Api.Hosting;
using Governance.Api.Identity;
using Governance.Api.Jobs;
using Governance.Api.Metrics;
using Governance.Storage.Metrics;
using Governance.Storage.Migrations;

var builder = WebApplication.CreateBuilder(args);
var options = builder.Configuration.GetGovernanceOptions();

if (args.Contains("migrate"))
{
    // `Governance.Api migrate`: apply the migrations and stop, for deploy scripts and operators.
    using var loggers = LoggerFactory.Create(l => l.AddSimpleConsole());
    await new MigrationRunner(loggers.CreateLogger<MigrationRunner>()).ApplyAsync(options.ConnectionString);
    return;
}

builder.Logging.ClearProviders();
builder.Logging.AddJsonConsole(o =>
{
    o.IncludeScopes = true;
    o.UseUtcTimestamp = true;
    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
});

builder.Services.AddSingleton(options);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddGovernanceStorage(options);
builder.Services.AddTokenServer(options);
builder.Services.AddGovernanceGraphQL();
builder.Services.AddGovernanceJobs(options);
builder.Services.AddGovernanceHealthChecks();
builder.Services.AddTransient<Governance.Api.Tenants.TenantProvisioning>();
builder.Services.AddSingleton<FactStore>();
builder.Services.AddSingleton<IFactLog>(services => services.GetRequiredService<FactStore>());
builder.Services.AddSingleton<FactIngestion>();
builder.Services.AddTransient<PendingBatchRecovery>();
builder.Services.AddTransient<Governance.Api.Audit.AuditCheckpointJob>();
builder.Services.AddSingleton<MetricDefinitionStore>();
builder.Services.AddSingleton(Governance.Api.Audit.AuditKeys.Load(options.AuditSigningKeyPath, options.DataDirectory));
builder.Services.AddSingleton<Governance.Storage.Audit.AuditLog>();
builder.Services.AddSingleton<Governance.Api.Audit.CheckpointWitness>();
builder.Services.AddTransient<BuiltInMetricSeeder>();
builder.Services.AddScoped<Governance.Api.Metrics.Values.MetricValueService>();
builder.Services.AddSingleton<Governance.Storage.Lineage.LineageStore>();
builder.Services.AddScoped<Governance.Api.Metrics.Lineage.LineageService>();
builder.Services.AddSingleton<Governance.Api.Metrics.Lineage.DownstreamLineage>();
builder.Services.AddSingleton<Governance.Api.Metrics.Lineage.PinnedLineageReader>();
builder.Services.AddSingleton<Governance.Storage.Incentives.IncentiveStore>();
builder.Services.AddScoped<Governance.Api.Incentives.IncentiveService>();
builder.Services.AddSingleton<Governance.Storage.Findings.FindingStore>();
builder.Services.AddSingleton<Governance.Storage.Tenants.ExecutiveLinkStore>();
builder.Services.AddTransient<Governance.Api.Jobs.TenantJobRunner>();
builder.Services.AddScoped<Governance.Api.Jobs.TenantJobSchedules>();
builder.Services.AddScoped<Governance.Api.Jobs.ITenantJob, Governance.Api.Incentives.ClawbackCheckJob>();
builder.Services.AddSingleton<Governance.Storage.Findings.DataControlStore>();
builder.Services.AddSingleton<Governance.Api.Findings.ControlTotalCheck>();
builder.Services.AddScoped<Governance.Api.Jobs.ITenantJob, Governance.Api.Findings.FreshnessJob>();
builder.Services.AddScoped<Governance.Api.Jobs.ITenantJob, Governance.Api.Findings.ReconciliationJob>();
builder.Services.AddSingleton<Governance.Storage.Triggers.TriggerStore>();
builder.Services.AddScoped<Governance.Api.Jobs.ITenantJob, Governance.Api.Triggers.TriggerJob>();
builder.Services.AddTransient<Governance.Api.Triggers.WebhookDelivery>();
builder.Services.AddSingleton<Governance.Api.Triggers.WebhookSecrets>();
// Redirects are not followed: the URL a tenant admin set (and the checks it passed) is the one called.
builder.Services.AddHttpClient(Governance.Api.Triggers.WebhookDelivery.HttpClientName, client => client.Timeout = options.Webhooks.Timeout)
    .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        ConnectCallback = (context, cancellationToken) => Governance.Api.Triggers.WebhookAddressGuard.ConnectAsync(context, options.Webhooks.AllowInsecureLoopback, cancellationToken),
    });
builder.Services.AddScoped<Governance.Api.Jobs.ITenantJob, Governance.Api.Findings.AnomalyJob>();
builder.Services.AddScoped<Governance.Api.Jobs.ITenantJob, Governance.Api.Reports.ReportJob>();
builder.Services.AddSingleton<Governance.Storage.Reports.ReportStore>();
builder.Services.AddScoped<Governance.Api.Reports.ReportBuilder>();
builder.Services.AddSingleton<Governance.Api.Incentives.IPayoutFindingSource, Governance.Api.Findings.StoredFindingSource>();
builder.Host.UseGovernanceSilo(options);

// Orleans' membership tables must exist before the silo starts, so migrations run before the host does.
using (var loggers = LoggerFactory.Create(l => l.AddJsonConsole()))
{
    await new MigrationRunner(loggers.CreateLogger<MigrationRunner>()).ApplyAsync(options.ConnectionString);
}

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();
app.UseRequestLogScope();

app.MapTokenEndpoints();
app.MapLoginPage();
Governance.Api.Console.ConsoleEndpoints.MapConsole(app);
app.MapGraphQLEndpoint("/graphql");
Governance.Api.Reports.ReportFileEndpoint.MapReportFiles(app);
app.MapGovernanceHealthChecks();
Governance.Api.Audit.AuditKeys.MapAuditPublicKey(app);
app.MapJobsDashboard();

using (var scope = app.Services.CreateScope())
{
    await scope.ServiceProvider.GetRequiredService<IdentitySeeder>().SeedAsync(CancellationToken.None);
    await scope.ServiceProvider.GetRequiredService<BuiltInMetricSeeder>().SeedAsync(CancellationToken.None);
}

RecurringJobs.Register(app.Services);
await using (var jobScope = app.Services.CreateAsyncScope())
{
    await jobScope.ServiceProvider.GetRequiredService<Governance.Api.Jobs.TenantJobSchedules>().RegisterAllAsync(CancellationToken.None);
}
PendingBatchRecovery.RunAtStart(app.Services);

await app.RunAsync();

/// <summary>The host's entry point; public so API tests can start it with WebApplicationFactory.</summary>
public partial class Program;
