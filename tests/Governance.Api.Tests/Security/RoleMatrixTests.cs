using System.Net;
using System.Text;
using System.Text.Json;
using Governance.Abstractions.Security;
using Governance.Api.GraphQL;
using Governance.Api.Tests.Infrastructure;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Api.Tests.Security;

/// <summary>
/// Who may call what. The source of truth is each root field's declaration (<c>RequireRoles</c>);
/// <see cref="Expected"/> restates it so a change of roles shows in review, and the matrix test calls
/// every root field of the schema — found by walking it, so a new field is covered without touching
/// this file beyond its row — with a token of every role.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RoleMatrixTests(ApiFixture fixture)
{
    /// <summary>Any signed-in caller, whatever their roles.</summary>
    private const string AnySignedIn = "*";

    private const string TenantRoles = "tenant-admin integration executive cs-manager auditor committee-member data-owner";
    private const string DefinitionReaders = "tenant-admin data-owner executive cs-manager auditor committee-member";
    private const string AuditReaders = "auditor tenant-admin";

    public static readonly string[] AllRoles = [.. Roles.TenantRoles, Roles.PlatformAdmin];

    /// <summary>Every root field and the roles it admits. Review a change here as a change of who may do what.</summary>
    private static readonly Dictionary<string, string> Expected = new()
    {
        ["Query.viewer"] = AnySignedIn,
        ["Query.tenant"] = TenantRoles,
        ["Query.users"] = "tenant-admin auditor",
        ["Query.user"] = "tenant-admin auditor",
        ["Query.account"] = TenantRoles,
        ["Query.portfolio"] = TenantRoles,
        ["Query.tenantRollup"] = TenantRoles,
        ["Query.metricDefinitions"] = DefinitionReaders,
        ["Query.metricDefinition"] = DefinitionReaders,
        ["Query.metricDefinitionHistory"] = DefinitionReaders,
        ["Query.metricDefinitionDiff"] = DefinitionReaders,
        ["Query.checkMetricFormula"] = DefinitionReaders,
        ["Query.metricValue"] = DefinitionReaders,
        ["Query.metricValues"] = DefinitionReaders,
        ["Query.metricSeries"] = DefinitionReaders,
        ["Query.metricLineage"] = DefinitionReaders,
        ["Query.verifyPinned"] = DefinitionReaders,
        ["Query.pinnedLineage"] = DefinitionReaders,
        ["Query.factLineage"] = DefinitionReaders,
        ["Query.openLineageEvent"] = DefinitionReaders,
        ["Query.auditEntries"] = AuditReaders,
        ["Query.auditCheckpoint"] = AuditReaders,
        ["Query.auditCheckpoints"] = AuditReaders,
        ["Query.auditInclusionProof"] = AuditReaders,
        ["Query.auditConsistencyProof"] = AuditReaders,
        ["Query.verifyAuditLog"] = AuditReaders,
        ["Query.auditPublicKey"] = AuditReaders,
        ["Query.clusterSilos"] = "platform-admin",
        ["Query.jobHealth"] = "platform-admin",
        ["Query.tenants"] = "platform-admin",
        ["Mutation.createTenant"] = "platform-admin",
        ["Mutation.createUser"] = "tenant-admin",
        ["Mutation.grantRoles"] = "tenant-admin",
        ["Mutation.revokeRoles"] = "tenant-admin",
        ["Mutation.disableUser"] = "tenant-admin",
        ["Mutation.createIntegrationClient"] = "tenant-admin",
        ["Mutation.linkExecutive"] = "tenant-admin",
        ["Mutation.registerAccount"] = "tenant-admin integration",
        ["Mutation.ingestFacts"] = "tenant-admin integration",
        ["Mutation.closePeriod"] = "tenant-admin data-owner",
        ["Mutation.proposeMetricDefinition"] = "data-owner tenant-admin cs-manager",
        ["Mutation.approveMetricDefinition"] = "data-owner tenant-admin",
        ["Mutation.retireMetricDefinition"] = "data-owner tenant-admin",
        ["Mutation.pinMetricValue"] = "tenant-admin committee-member auditor data-owner",
        ["Query.scorecardTemplates"] = "tenant-admin executive committee-member auditor cs-manager",
        ["Query.scorecardVersions"] = "tenant-admin executive committee-member auditor",
        ["Query.planVersions"] = "tenant-admin executive committee-member auditor",
        ["Query.scorecard"] = "tenant-admin executive cs-manager committee-member auditor",
        ["Query.whatIfPayout"] = "tenant-admin executive committee-member",
        ["Query.payouts"] = "tenant-admin committee-member auditor executive",
        ["Query.payout"] = "tenant-admin committee-member auditor executive",
        ["Query.committeeQuorum"] = "tenant-admin committee-member auditor",
        ["Mutation.setScorecard"] = "tenant-admin",
        ["Mutation.adoptScorecardTemplate"] = "tenant-admin",
        ["Mutation.setIncentivePlan"] = "tenant-admin",
        ["Mutation.setCommitteeQuorum"] = "tenant-admin",
        ["Mutation.proposePayout"] = "tenant-admin committee-member",
        ["Mutation.verifyPayout"] = "committee-member data-owner tenant-admin",
        ["Mutation.approvePayout"] = "committee-member",
        ["Mutation.rejectPayout"] = "committee-member",
        ["Mutation.releaseTranche"] = "committee-member",
        ["Mutation.holdTranche"] = "committee-member",
        ["Mutation.checkClawback"] = "committee-member data-owner tenant-admin",
        ["Mutation.recoverClawback"] = "committee-member",
        ["Mutation.dismissClawback"] = "committee-member",
        ["Query.findings"] = "data-owner tenant-admin auditor committee-member",
        ["Mutation.resolveFinding"] = "data-owner",
        ["Query.sourceExpectations"] = "data-owner tenant-admin auditor",
        ["Query.reconciliationRules"] = "data-owner tenant-admin auditor",
        ["Mutation.setSourceExpectation"] = "data-owner tenant-admin",
        ["Mutation.setReconciliationRule"] = "data-owner tenant-admin",
        ["Query.triggerRules"] = "tenant-admin auditor",
        ["Query.webhook"] = "tenant-admin auditor",
        ["Query.triggerTasks"] = "tenant-admin cs-manager auditor",
        ["Query.webhookDeliveries"] = "tenant-admin",
        ["Mutation.createTriggerRule"] = "tenant-admin",
        ["Mutation.disableTriggerRule"] = "tenant-admin",
        ["Mutation.setWebhook"] = "tenant-admin",
        ["Query.report"] = "tenant-admin executive cs-manager committee-member auditor",
        ["Query.storedReports"] = "tenant-admin executive cs-manager committee-member auditor",
    };

    /// <summary>GraphQL literals per scalar; a new scalar fails the test until it gets a sample here.</summary>
    private static readonly Dictionary<string, string> ScalarSamples = new()
    {
        ["String"] = "\"sample\"",
        ["ID"] = "\"sample-id\"",
        ["Int"] = "1",
        ["Long"] = "1",
        ["Float"] = "1.5",
        ["Boolean"] = "true",
        ["Decimal"] = "1.5",
        ["DateOnly"] = "\"2026-01-01\"",
        ["DateTimeOffset"] = "\"2026-01-01T00:00:00Z\"",
    };

    /// <summary>Arguments whose generic sample would not do (<c>Type.field.argument</c>).</summary>
    private static readonly Dictionary<string, Func<string>> ArgumentSamples = new()
    {
        // A fresh id each run: the generic one would create a tenant other tests could meet.
        ["Mutation.createTenant.input"] = () => $"{{id: \"{ApiFixture.NewTenantId("matrix")}\", name: \"Role matrix\"}}",
    };

    private GovernanceHost Host => fixture.Host;

    private ISchema Schema
    {
        get
        {
            var schema = Host.Services.GetRequiredService<GovernanceSchema>();
            schema.Initialize();
            return schema;
        }
    }

    [Fact]
    public void ShouldDeclareExactlyTheExpectedRolesOnEveryRootField()
    {
        var declared = RootFields(Schema).ToDictionary(f => f.Name, f => Declared(f.Field));

        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), declared.Keys.Order(StringComparer.Ordinal));
        var mismatches = declared
            .Where(d => !Parse(Expected[d.Key]).SetEquals(d.Value))
            .Select(d => $"{d.Key}: declares [{string.Join(", ", d.Value)}], expected [{Expected[d.Key]}]")
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public void ShouldDeclareOnlyKnownRoles()
    {
        var unknown = RootFields(Schema)
            .SelectMany(f => (f.Field.GetRoles() ?? []).Where(r => !AllRoles.Contains(r)).Select(r => $"{f.Name}: {r}"))
            .ToList();

        Assert.Empty(unknown);
    }

    [Fact]
    public async Task ShouldAdmitDeclaredRolesAndDenyEveryOtherOnEveryRootField()
    {
        var tenantId = ApiFixture.NewTenantId("matrix");
        await Host.CreateTenantAsync(tenantId);
        var tokens = new Dictionary<string, string> { [Roles.PlatformAdmin] = await Host.GetPlatformTokenAsync() };
        foreach (var role in Roles.TenantRoles)
        {
            tokens[role] = await Host.NewRoleTokenAsync(tenantId, role);
        }

        var failures = new List<string>();
        foreach (var (name, operation, field) in RootFields(Schema))
        {
            var allowed = Declared(field);
            foreach (var role in AllRoles)
            {
                var document = $"{operation} {{ {field.Name}{Arguments(name, field)}{Selection(field.ResolvedType!)} }}";
                var response = await Host.GraphQLAsync(tokens[role], document);
                var codes = response.Errors.Select(e => e?["extensions"]?["code"]?.GetValue<string>()).ToList();
                var admitted = allowed.Contains(AnySignedIn) || allowed.Contains(role);
                if (admitted && (response.Status != HttpStatusCode.OK || codes.Contains(ErrorCodes.AccessDenied) || codes.Contains(ErrorCodes.Unauthenticated)))
                {
                    failures.Add($"{name} as {role}: should be admitted (executed, no ACCESS_DENIED) but got {response}\n  {document}");
                }
                else if (!admitted && (response.Status != HttpStatusCode.Forbidden || codes.Count == 0 || codes.Any(c => c != ErrorCodes.AccessDenied)))
                {
                    failures.Add($"{name} as {role}: should be ACCESS_DENIED but got {response}\n  {document}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// docs/api.md carries the matrix as generated from the declarations; set UPDATE_SCHEMA=1 (or
    /// UPDATE_DOCS=1) to rewrite it after a deliberate change.
    /// </summary>
    [Fact]
    public void ShouldDocumentTheRoleMatrixInTheApiDocs()
    {
        const string begin = "<!-- role-matrix:begin (generated by RoleMatrixTests; UPDATE_SCHEMA=1 rewrites it) -->";
        const string end = "<!-- role-matrix:end -->";
        var path = Path.Combine(RepositoryRoot(), "docs", "api.md");
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        var table = new StringBuilder();
        table.Append("| | field | ").AppendJoin(" | ", AllRoles.Select(r => $"`{r}`")).Append(" |\n");
        table.Append("|---|---|").AppendJoin("", AllRoles.Select(_ => ":-:|")).Append('\n');
        foreach (var (_, operation, field) in RootFields(Schema))
        {
            var allowed = Declared(field);
            table.Append($"| {operation} | `{field.Name}` | ")
                .AppendJoin(" | ", AllRoles.Select(r => allowed.Contains(AnySignedIn) || allowed.Contains(r) ? "✓" : ""))
                .Append(" |\n");
        }

        var start = text.IndexOf(begin, StringComparison.Ordinal);
        var stop = text.IndexOf(end, StringComparison.Ordinal);
        Assert.True(start >= 0 && stop > start, $"{path} needs the markers '{begin}' and '{end}'.");
        var expected = text[..(start + begin.Length)] + "\n" + table + text[stop..];
        if (Environment.GetEnvironmentVariable("UPDATE_SCHEMA") == "1" || Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, expected);
            text = expected;
        }

        Assert.True(text == expected, "The role matrix in docs/api.md is out of date; run with UPDATE_SCHEMA=1 and commit it.\n" + table);
    }

    private static IEnumerable<(string Name, string Operation, FieldType Field)> RootFields(ISchema schema) =>
        schema.Query.Fields.Select(f => ($"Query.{f.Name}", "query", f))
            .Concat((schema.Mutation?.Fields ?? []).Select(f => ($"Mutation.{f.Name}", "mutation", f)));

    private static HashSet<string> Declared(FieldType field) =>
        field.GetRoles() is { } roles ? [.. roles] : field.IsAuthorizationRequired() ? [AnySignedIn] : [];

    private static HashSet<string> Parse(string roles) => [.. roles.Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    private static string Arguments(string fieldName, FieldType field)
    {
        var required = (field.Arguments ?? []).Where(a => a.ResolvedType is NonNullGraphType).ToList();
        return required.Count == 0
            ? ""
            : "(" + string.Join(", ", required.Select(a =>
                $"{a.Name}: {(ArgumentSamples.TryGetValue($"{fieldName}.{a.Name}", out var sample) ? sample() : Sample(a.ResolvedType!))}")) + ")";
    }

    /// <summary>A literal of the type: required fields of input objects only, one element per list.</summary>
    private static string Sample(IGraphType type) => type switch
    {
        NonNullGraphType nonNull => Sample(nonNull.ResolvedType!),
        ListGraphType list => $"[{Sample(list.ResolvedType!)}]",
        EnumerationGraphType enumeration => enumeration.Values.First().Name,
        IInputObjectGraphType input => "{" + string.Join(", ", input.Fields
            .Where(f => f.ResolvedType is NonNullGraphType && f.DefaultValue is null)
            .Select(f => $"{f.Name}: {Sample(f.ResolvedType!)}")) + "}",
        ScalarGraphType scalar => ScalarSamples.TryGetValue(scalar.Name, out var literal)
            ? literal
            : throw new InvalidOperationException($"No sample for scalar '{scalar.Name}': add one to {nameof(ScalarSamples)}."),
        _ => throw new InvalidOperationException($"No sample for {type.Name}."),
    };

    private static string Selection(IGraphType type) => type switch
    {
        IProvideResolvedType wrapper => Selection(wrapper.ResolvedType!),
        IComplexGraphType or IAbstractGraphType => " { __typename }",
        _ => "",
    };

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Governance.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Governance.sln not found above the test binaries.");
    }
}
