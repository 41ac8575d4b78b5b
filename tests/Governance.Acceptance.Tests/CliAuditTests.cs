using Governance.Testing;

namespace Governance.Acceptance.Tests;

/// <summary>
/// The auditor's path of docs/audit.md against a real host process: audited changes, the real CLI's
/// <c>audit export</c>, <c>audit verify</c> → OK, and a tampered copy → exit 1 naming the seq.
/// </summary>
public sealed class CliAuditTests : IAsyncLifetime
{
    private const string ReportingClient = "demo-reporting";
    private const string ReportingSecret = "acceptance-reporting-secret";

    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("governance-cli-audit-host-");
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("governance-cli-audit-files-");
    private TestDatabase? _database;
    private HostProcess _host = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _host = await HostProcess.StartAsync(_database.ConnectionString, _dataDirectory.FullName, $"acceptance-{Guid.NewGuid():N}", new Dictionary<string, string>
        {
            ["Governance__Demo__Enabled"] = "true",
            ["Governance__Demo__ClientSecret"] = "acceptance-integration-secret",
            ["Governance__Demo__ReportingSecret"] = ReportingSecret,
            ["Governance__Demo__AdminPassword"] = "acceptance-admin-password",
            // The test counts checkpoints: the audit-checkpoints job must not sign one on the clock (31 February: never).
            ["Governance__Jobs__AuditCheckpointSchedule"] = "0 0 31 2 *",
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database!.DisposeAsync();
        _dataDirectory.Delete(recursive: true);
        _files.Delete(recursive: true);
    }

    [Fact]
    public async Task ShouldExportTheAuditLogVerifyItOfflineAndNameTheSeqOfATamperedEntry()
    {
        // The demo reporting client is a cs-manager (it may propose definitions: audited) and an auditor (it may export).
        var token = await _host.GetTokenAsync(ReportingClient, ReportingSecret);
        foreach (var reason in new[] { "count net decreases", "count net decreases, again" })
        {
            var input = new Dictionary<string, object?>
            {
                ["key"] = "net_revenue_retention",
                ["name"] = "Net revenue retention",
                ["description"] = reason,
                ["kind"] = "FORMULA",
                ["formula"] = "(mrr_start + mrr_expansion - mrr_contraction - mrr_churned - mrr_net_decrease) / mrr_start else null",
                ["unit"] = "RATIO",
                ["direction"] = "HIGHER_IS_BETTER",
                ["focusArea"] = "RETENTION_AND_CHURN",
                ["journeyStage"] = "VALUE_REALIZATION",
                ["indicator"] = "LAGGING",
                ["dataOwner"] = "CS Ops",
                ["effectiveFrom"] = "2026-01-01",
                ["reason"] = reason,
            };
            await _host.GraphQLAsync(token, "mutation($input: ProposeMetricDefinitionInput!) { proposeMetricDefinition(input: $input) { version } }", new { input });
        }

        var export = Path.Combine(_files.FullName, "export");
        var exported = await CliProcess.RunAsync("audit", "export", "--url", $"http://127.0.0.1:{_host.HttpPort}",
            "--client-id", ReportingClient, "--client-secret", ReportingSecret, "--out", export);
        Assert.True(exported.ExitCode == 0, exported.Output);
        Assert.Contains("latest tree size", exported.Output, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(Path.Combine(export, "entries.jsonl"));
        Assert.True(lines.Length >= 2, string.Join("\n", lines));

        var verified = await CliProcess.RunAsync("audit", "verify", export);
        Assert.True(verified.ExitCode == 0, verified.Output);
        Assert.Contains($"OK: {lines.Length} entries, 1 checkpoints verified", verified.Output, StringComparison.Ordinal);

        var tampered = Path.Combine(_files.FullName, "tampered");
        Directory.CreateDirectory(tampered);
        foreach (var file in Directory.GetFiles(export))
        {
            File.Copy(file, Path.Combine(tampered, Path.GetFileName(file)));
        }

        lines[1] = lines[1].Replace($"\"actor\":\"{ReportingClient}\"", "\"actor\":\"someone-else\"", StringComparison.Ordinal);
        Assert.Contains("someone-else", lines[1], StringComparison.Ordinal);
        await File.WriteAllLinesAsync(Path.Combine(tampered, "entries.jsonl"), lines);

        var failed = await CliProcess.RunAsync("audit", "verify", tampered);
        Assert.True(failed.ExitCode == 1, failed.Output);
        Assert.Contains("ENTRY_CHANGED seq 1", failed.Output, StringComparison.Ordinal);
        Assert.Contains("ROOT_MISMATCH tree size", failed.Output, StringComparison.Ordinal);
    }
}
