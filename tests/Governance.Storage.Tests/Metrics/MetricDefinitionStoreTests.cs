using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Governance.Abstractions.Security;
using Governance.Domain.Audit;
using Governance.Domain.Metrics;
using Governance.Domain.Metrics.Definitions;
using Governance.Storage.Audit;
using Governance.Storage.Metrics;
using Npgsql;

namespace Governance.Storage.Tests.Metrics;

public sealed class MetricDefinitionStoreTests(DefinitionDatabase db) : IClassFixture<DefinitionDatabase>
{
    private static readonly DefinitionActor Ada = new("ada", [Roles.DataOwner]);
    private static readonly DefinitionActor Grace = new("grace", [Roles.DataOwner]);

    private MetricDefinitionStore Store => db.Store;

    private static MetricDraft Draft(string key = "logo_retention", string reason = "first version") => new()
    {
        Key = key,
        Name = "Logo retention",
        Kind = DefinitionKind.Formula,
        Formula = "customers_retained / customers_start else null",
        Unit = Unit.Ratio,
        Direction = Direction.HigherIsBetter,
        FocusArea = FocusArea.RetentionAndChurn,
        JourneyStage = JourneyStage.ValueRealization,
        Indicator = Indicator.Lagging,
        DataOwner = "CS Ops",
        EffectiveFrom = new DateOnly(2026, 1, 1),
        Reason = reason,
    };

    private static MetricDraft Health(string key = "customer_health") => new()
    {
        Key = key,
        Name = "Customer health",
        Kind = DefinitionKind.HealthScore,
        Health = new HealthSpec
        {
            Profiles =
            [
                new HealthProfile
                {
                    Components = [new HealthComponent { MetricKey = "logo_retention", Weight = 2m, Worst = 0.7m, Best = 1m }],
                    RedBelow = 40m, GreenFrom = 70m, Missing = MissingInputRule.NoScore, MinCoverage = 1m,
                },
            ],
        },
        Unit = Unit.Score,
        Direction = Direction.HigherIsBetter,
        FocusArea = FocusArea.HealthAndEngagement,
        JourneyStage = JourneyStage.Adoption,
        Indicator = Indicator.Leading,
        DataOwner = "CS Ops",
        EffectiveFrom = new DateOnly(2026, 1, 1),
        Reason = "first version",
    };

    private async Task<MetricDefinition> ProposeAsync(string tenantId, MetricDraft draft, DefinitionActor? author = null)
    {
        var outcome = await Store.ProposeAsync(tenantId, draft, author ?? Ada);
        Assert.True(outcome.Refusal is null, outcome.Refusal?.Message + string.Join("; ", outcome.Refusal?.Problems.Select(p => $"{p.Field}: {p.Message}") ?? []));
        return outcome.Definition!;
    }

    [Fact]
    public async Task ShouldStoreAProposalAsADraftAndNumberVersionsPerKey()
    {
        var tenant = await db.NewTenantAsync();

        var v1 = await ProposeAsync(tenant, Draft());
        var v2 = await ProposeAsync(tenant, Draft(reason: "second"));
        var other = await ProposeAsync(tenant, Draft("seat_growth"));

        Assert.Equal((1, 2, 1), (v1.Version, v2.Version, other.Version));
        Assert.Equal(DefinitionStatus.Draft, v2.Status);
        Assert.Equal("ada", v2.Author);
        Assert.Equal("customers_retained / customers_start else null", v2.Formula);
        Assert.Equal(new DateOnly(2026, 1, 1), v2.EffectiveFrom);
        Assert.Null(v2.ApprovedAt);
    }

    [Fact]
    public async Task ShouldDeriveTheStatusFromTheEvents()
    {
        var tenant = await db.NewTenantAsync();
        await ProposeAsync(tenant, Draft());

        var approved = await Store.ApproveAsync(tenant, "logo_retention", 1, Grace, "checked against the finance sheet");
        var retired = await Store.RetireAsync(tenant, "logo_retention", 1, Grace, "replaced");

        Assert.Equal(DefinitionStatus.Approved, approved.Definition!.Status);
        Assert.Equal(("grace", "checked against the finance sheet"), (approved.Definition.ApprovedBy, approved.Definition.ApproveReason));
        Assert.Equal(DefinitionStatus.Retired, retired.Definition!.Status);
        Assert.Equal(("grace", "replaced"), (retired.Definition.RetiredBy, retired.Definition.RetireReason));
        Assert.Equal(approved.Definition.ApprovedAt, retired.Definition.ApprovedAt);
    }

    [Fact]
    public async Task ShouldWriteNothingWhenAStepIsRefused()
    {
        var tenant = await db.NewTenantAsync();
        await ProposeAsync(tenant, Draft());

        var own = await Store.ApproveAsync(tenant, "logo_retention", 1, Ada, null);
        var invalid = await Store.ProposeAsync(tenant, Draft() with { Reason = "" }, Ada);

        Assert.Equal(RefusalKind.Forbidden, own.Refusal!.Kind);
        Assert.Equal(RefusalKind.Invalid, invalid.Refusal!.Kind);
        var history = await Store.HistoryAsync(tenant, "logo_retention");
        Assert.Equal(DefinitionStatus.Draft, Assert.Single(history).Status);
    }

    [Fact]
    public async Task ShouldGiveConcurrentProposalsDistinctVersions()
    {
        var tenant = await db.NewTenantAsync();

        var proposals = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => ProposeAsync(tenant, Draft(reason: $"proposal {i}")))));

        Assert.Equal(Enumerable.Range(1, 8), proposals.Select(p => p.Version).Order());
    }

    [Fact]
    public async Task ShouldListLatestMatchingVersionsOrEveryVersion()
    {
        var tenant = await db.NewTenantAsync();
        await ProposeAsync(tenant, Draft());
        await Store.ApproveAsync(tenant, "logo_retention", 1, Grace, null);
        await ProposeAsync(tenant, Draft(reason: "v2"));
        await ProposeAsync(tenant, Health());

        var latest = await Store.ListAsync(tenant, new DefinitionFilter());
        var approved = await Store.ListAsync(tenant, new DefinitionFilter { Status = DefinitionStatus.Approved });
        var health = await Store.ListAsync(tenant, new DefinitionFilter { FocusArea = FocusArea.HealthAndEngagement });
        var all = await Store.ListAsync(tenant, new DefinitionFilter { AllVersions = true });

        Assert.Equal([("customer_health", 1), ("logo_retention", 2)], latest.Select(d => (d.Key, d.Version)));
        Assert.Equal([("logo_retention", 1)], approved.Select(d => (d.Key, d.Version)));
        Assert.Equal("customer_health", Assert.Single(health).Key);
        Assert.Equal(2m, health[0].Health!.Profiles[0].Components[0].Weight);
        Assert.Equal([("customer_health", 1), ("logo_retention", 1), ("logo_retention", 2)], all.Select(d => (d.Key, d.Version)));
    }

    [Fact]
    public async Task ShouldRefuseAHealthScoreOverMetricsTheTenantDoesNotHave()
    {
        var tenant = await db.NewTenantAsync();

        var outcome = await Store.ProposeAsync(tenant, Health(), Ada);

        Assert.Equal(RefusalKind.Invalid, outcome.Refusal!.Kind);
        Assert.Equal("health.profiles[0].components[0].metricKey", Assert.Single(outcome.Refusal.Problems).Field);
        Assert.Empty(await Store.ListAsync(tenant, new DefinitionFilter()));
    }

    [Fact]
    public async Task ShouldKeepEachTenantsDefinitionsToItself()
    {
        var first = await db.NewTenantAsync();
        var second = await db.NewTenantAsync();
        await ProposeAsync(first, Draft());

        Assert.Null(await Store.GetAsync(second, "logo_retention", null));
        Assert.Empty(await Store.ListAsync(second, new DefinitionFilter { AllVersions = true }));
        Assert.Equal(RefusalKind.NotFound, (await Store.ApproveAsync(second, "logo_retention", 1, Grace, null)).Refusal!.Kind);
        Assert.Equal(1, (await ProposeAsync(second, Draft())).Version);
        Assert.Equal(DefinitionStatus.Draft, (await Store.GetAsync(first, "logo_retention", 1))!.Status);
    }

    [Fact]
    public async Task ShouldSeedBuiltInsOnceAsApprovedBySystem()
    {
        var tenant = await db.NewTenantAsync();
        await ProposeAsync(tenant, Draft()); // the tenant's own version 1 of this key is left alone
        MetricDraft[] builtIns = [Draft() with { Reason = "built-in catalog" }, Draft("seat_growth") with { Reason = "built-in catalog" }];

        var first = await Store.SeedBuiltInsAsync(tenant, builtIns);
        var again = await Store.SeedBuiltInsAsync(tenant, builtIns);

        Assert.Equal((1, 0), (first, again));
        var seeded = (await Store.GetAsync(tenant, "seat_growth", null))!;
        Assert.Equal((1, DefinitionStatus.Approved, "system", "system"), (seeded.Version, seeded.Status, seeded.Author, seeded.ApprovedBy));
        Assert.Equal("built-in catalog", seeded.Reason);
        Assert.Equal("first version", (await Store.GetAsync(tenant, "logo_retention", 1))!.Reason);
        Assert.DoesNotContain(tenant, await Store.TenantsMissingAnyAsync(["seat_growth"]));
        Assert.Contains(tenant, await Store.TenantsMissingAnyAsync(["seat_growth", "something_new"]));
        Assert.DoesNotContain(Roles.PlatformTenant, await Store.TenantsMissingAnyAsync(["seat_growth"]));
    }

    [Fact]
    public async Task ShouldAuditASeedingThatAddedSomethingOnceInItsTransaction()
    {
        var tenant = await db.NewTenantAsync();
        await ProposeAsync(tenant, Draft());
        MetricDraft[] builtIns = [Draft(), Draft("seat_growth"), Draft("active_users")];
        using var signer = new CheckpointSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var log = new AuditLog(db.DataSource, TimeProvider.System, signer);

        await using (var connection = await db.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            // Rolled back: neither the definitions nor their entry remain.
            Assert.Equal(2, await MetricDefinitionStore.SeedBuiltInsAsync(connection, transaction, tenant, builtIns, DateTimeOffset.UtcNow, CancellationToken.None));
        }

        await Store.SeedBuiltInsAsync(tenant, builtIns);
        await Store.SeedBuiltInsAsync(tenant, builtIns);

        var seeded = Assert.Single(await log.EntriesAsync(tenant, new AuditFilter(Action: "metric_definition.seeded"), null, 500));
        Assert.Equal(("system", MetricDefinitionStore.SeededSubject, (string?)null), (seeded.Actor, seeded.Subject, seeded.Before));
        var added = JsonNode.Parse(seeded.After!)!["added"]!.AsArray();
        Assert.Equal(["active_users:1:Approved", "seat_growth:1:Approved"], added.Select(a => $"{a!["key"]}:{a["version"]}:{a["status"]}"));
        Assert.Equal(2, (await log.EntriesAsync(tenant, new AuditFilter(), null, 500)).Count);
        Assert.True((await log.VerifyAsync(tenant)).Ok);
    }

    [Theory]
    [InlineData("update metric_definitions set formula = 'mrr_start' where tenant_id = $1")]
    [InlineData("delete from metric_definitions where tenant_id = $1")]
    [InlineData("update metric_definition_events set actor = 'mallory' where tenant_id = $1")]
    [InlineData("delete from metric_definition_events where tenant_id = $1")]
    public async Task ShouldRefuseToChangeOrDeleteStoredDefinitionsAndEvents(string sql)
    {
        var tenant = await db.NewTenantAsync();
        await ProposeAsync(tenant, Draft());
        await Store.ApproveAsync(tenant, "logo_retention", 1, Grace, null);

        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(sql, tenant));

        Assert.Contains("is append-only", error.MessageText);
        var stored = (await Store.GetAsync(tenant, "logo_retention", 1))!;
        Assert.Equal(("customers_retained / customers_start else null", "grace"), (stored.Formula, stored.ApprovedBy));
    }

    [Theory]
    [InlineData("metric_definitions")]
    [InlineData("metric_definition_events")]
    public async Task ShouldRefuseToTruncateTheTables(string table)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync($"truncate {table} cascade"));

        Assert.Contains("is append-only", error.MessageText);
    }
}
