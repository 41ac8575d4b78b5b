namespace Governance.Api.Hosting;

/// <summary>The host's settings, section <c>Governance</c>. Environment variables use <c>Governance__Section__Key</c>.</summary>
public sealed class GovernanceOptions
{
    public const string Section = "Governance";

    /// <summary>PostgreSQL connection string (the system of record). Also read from <c>GOVERNANCE_DB</c>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The role the Storage connections (facts, metric definitions, users, seeders, jobs) act as, taken with
    /// the startup option <c>-c role=…</c>: <c>governance_app</c> of migration 0011, subject to row-level
    /// security. The login user of <see cref="ConnectionString"/> runs migrations, Orleans, Hangfire and the
    /// token server's store, and must be a superuser or a member of this role. Empty: Storage connects as the
    /// login user too (no RLS when that is a superuser).
    /// </summary>
    public string RuntimeRole { get; set; } = Governance.Storage.TenantSession.RuntimeRole;

    /// <summary>Folder for what must survive restarts but is not data: development keys. Git-ignored.</summary>
    public string DataDirectory { get; set; } = ".data";

    /// <summary>PKCS#8 PEM of the ECDSA P-256 key that signs audit checkpoints; unset: one generated into <see cref="DataDirectory"/>.</summary>
    public string? AuditSigningKeyPath { get; set; }

    public OrleansSettings Orleans { get; set; } = new();

    public TokenSettings Tokens { get; set; } = new();

    public PlatformSettings Platform { get; set; } = new();

    public DemoSettings Demo { get; set; } = new();

    public JobSettings Jobs { get; set; } = new();

    public WebhookSettings Webhooks { get; set; } = new();

    public sealed class OrleansSettings
    {
        /// <summary>Silos with the same cluster id and database form one cluster.</summary>
        public string ClusterId { get; set; } = "governance-dev";

        /// <summary>Stable across deployments: grain state is keyed by it.</summary>
        public string ServiceId { get; set; } = "governance";

        public int SiloPort { get; set; } = 11111;

        public int GatewayPort { get; set; } = 30000;

        public string AdvertisedIPAddress { get; set; } = "127.0.0.1";
    }

    public sealed class TokenSettings
    {
        /// <summary>The issuer every silo's token server uses, so a token from one host is valid on all.</summary>
        public string? Issuer { get; set; }

        /// <summary>PKCS#12 signing certificate; when unset, a development key is generated once into the data folder.</summary>
        public string? SigningCertificatePath { get; set; }

        public string? SigningCertificatePassword { get; set; }

        /// <summary>PKCS#12 encryption certificate (authorization codes, refresh tokens); same fallback as signing.</summary>
        public string? EncryptionCertificatePath { get; set; }

        public string? EncryptionCertificatePassword { get; set; }

        public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

        /// <summary>Where the web console (a public client using code + PKCE) may be redirected after sign-in.</summary>
        public List<string> ConsoleRedirectUris { get; set; } = [];
    }

    public sealed class PlatformSettings
    {
        /// <summary>Client credentials of the platform operator's automation (role platform-admin). Not seeded when the secret is empty.</summary>
        public string ClientId { get; set; } = "platform-admin";

        public string? ClientSecret { get; set; }

        /// <summary>A platform operator who signs in through the login page (Hangfire dashboard). Not seeded when the password is empty.</summary>
        public string AdminUsername { get; set; } = "operator";

        public string? AdminPassword { get; set; }
    }

    public sealed class DemoSettings
    {
        /// <summary>Seeds tenant <c>demo</c> with an integration client and an admin user, for local runs.</summary>
        public bool Enabled { get; set; }

        public string ClientSecret { get; set; } = "demo-integration-secret";

        public string AdminPassword { get; set; } = "demo-admin-password";

        /// <summary>Secret of <c>demo-reporting</c>, a client that reads metrics (cs-manager, auditor).</summary>
        public string ReportingSecret { get; set; } = "demo-reporting-secret";
    }

    public sealed class JobSettings
    {
        /// <summary>Hangfire workers in this process; 0 makes this process an API-only node.</summary>
        public int WorkerCount { get; set; } = 2;

        /// <summary>
        /// Cron expression (UTC) of the <c>audit-checkpoints</c> job, which signs a checkpoint for every tenant
        /// whose log grew (<see cref="Audit.AuditCheckpointJob"/>). Default: every 15 minutes.
        /// </summary>
        public string AuditCheckpointSchedule { get; set; } = "*/15 * * * *";

        /// <summary>Cron (UTC) per tenant job name (<see cref="Jobs.ITenantJob"/>), or <c>never</c>; a job left out keeps its default.</summary>
        public Dictionary<string, string> Schedules { get; set; } = new(StringComparer.Ordinal);
    }

    public sealed class WebhookSettings
    {
        /// <summary>Seconds to wait before each retry of a failed delivery; default 30 s, 2 min, 10 min, 1 h, 6 h (six attempts in all).</summary>
        public int[]? RetryDelaysSeconds { get; set; }

        /// <summary>How long one attempt waits for the receiver's answer.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>
        /// Admits <c>http://</c> URLs on loopback hosts (localhost, 127.0.0.1, ::1), for tests and local runs;
        /// otherwise a webhook must be <c>https://</c>.
        /// </summary>
        public bool AllowInsecureLoopback { get; set; }

        /// <summary>The retry delays in force (an array from configuration replaces the default whole).</summary>
        public IReadOnlyList<TimeSpan> RetryDelays =>
            (RetryDelaysSeconds is { Length: > 0 } seconds ? seconds : [30, 120, 600, 3600, 21600]).Select(s => TimeSpan.FromSeconds(s)).ToList();
    }
}
