using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Governance.Cli.Audit;
using Governance.Cli.Import;
using Governance.Domain.Audit;

namespace Governance.Cli.Tests.Audit;

/// <summary>The export against a scripted host answering as the GraphQL API does; its files then verify offline.</summary>
public sealed class AuditExporterTests : IDisposable
{
    private const string Tenant = "acme";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("governance-audit-export-");
    private readonly CheckpointSigner _signer = new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public void Dispose()
    {
        _signer.Dispose();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task ShouldExportEveryPageTheCheckpointsAndTheKeyAndTheExportShouldVerify()
    {
        var start = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
        var entries = Enumerable.Range(0, 1203).Select(i => new AuditEntry(Tenant, i, start.AddSeconds(i).AddTicks(i * 10 % 10_000_000), "alice",
            "period.closed", $"period:2026-{(i % 12) + 1:00}", i % 5 == 0 ? "month end" : null, """{"closed": false}""", """{"closed": true}""")).ToList();
        var leaves = entries.Select(e => e.LeafHash()).ToList();
        var host = new ScriptedHost(entries, [_signer.Sign(Tenant, 700, MerkleLog.RootHash(leaves, 700), start), _signer.Sign(Tenant, 1203, MerkleLog.RootHash(leaves), start.AddDays(1))], _signer);
        using var http = new HttpClient(host);
        var client = new GovernanceClient(http, new Uri("http://governance.test"), "auditor-client", "secret", TimeProvider.System);

        var result = await new AuditExporter(client).ExportAsync(_dir.FullName, CancellationToken.None);

        Assert.Equal(new AuditExporter.Result(1203, 2, 1203, _signer.KeyId), result);
        Assert.Equal("auditCheckpoint", host.Queries[0]);
        Assert.Equal((1203 / AuditExporter.PageSize) + 1, host.Queries.Count(q => q == "auditEntries"));
        var first = JsonNode.Parse(File.ReadLines(Path.Combine(_dir.FullName, AuditExportFiles.Entries)).First())!;
        Assert.Equal(Tenant, first["tenant"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(leaves[0]), first["leafHash"]!.GetValue<string>());
        var report = OfflineVerifier.Verify(_dir.FullName);
        Assert.True(report.Ok, string.Join("\n", report.Problems));
        Assert.Equal(1203, report.Entries);
    }

    [Fact]
    public async Task ShouldFailWithTheServersErrorWhenTheClientMayNotReadTheLog()
    {
        var host = new ScriptedHost([], [], _signer) { Denied = true };
        using var http = new HttpClient(host);
        var client = new GovernanceClient(http, new Uri("http://governance.test"), "integration-client", "secret", TimeProvider.System);

        var error = await Assert.ThrowsAsync<AccessException>(() => new AuditExporter(client).ExportAsync(_dir.FullName, CancellationToken.None));

        Assert.Contains("ACCESS_DENIED", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir.FullName, AuditExportFiles.Entries)));
    }

    private sealed class ScriptedHost(List<AuditEntry> entries, List<AuditCheckpoint> checkpoints, CheckpointSigner signer) : HttpMessageHandler
    {
        public bool Denied { get; init; }

        public List<string> Queries { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath == "/connect/token")
            {
                return Json("""{"access_token":"token","token_type":"Bearer","expires_in":3600}""");
            }

            Assert.Equal("/graphql", request.RequestUri.AbsolutePath);
            Assert.Equal("Bearer token", request.Headers.Authorization!.ToString());
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!;
            var query = body["query"]!.GetValue<string>();
            var field = new[] { "auditCheckpoints", "auditCheckpoint", "auditEntries", "auditPublicKey" }.First(query.Contains);
            Queries.Add(field);
            if (Denied)
            {
                return Json("""{"errors":[{"message":"Requires one of the roles: auditor, tenant-admin.","extensions":{"code":"ACCESS_DENIED"}}],"data":null}""");
            }

            JsonNode? data = field switch
            {
                "auditCheckpoint" => new JsonObject { ["treeSize"] = checkpoints[^1].TreeSize },
                "auditCheckpoints" => new JsonArray([.. checkpoints.Select(c => Without(AuditExportFiles.CheckpointJson(c), "tenant"))]),
                "auditPublicKey" => new JsonObject { ["keyId"] = signer.KeyId, ["publicKeyPem"] = signer.PublicKeyPem },
                _ => Page(body["variables"]!),
            };
            return Json(new JsonObject { ["data"] = new JsonObject { [field] = data } }.ToJsonString());
        }

        private JsonArray Page(JsonNode variables)
        {
            var first = variables["first"]!.GetValue<int>();
            Assert.InRange(first, 1, 500);
            var after = variables["after"]?.GetValue<long>() ?? -1;
            return new JsonArray([.. entries.Where(e => e.Seq > after).Take(first).Select(e => Without(AuditExportFiles.EntryJson(e), "tenant"))]);
        }

        private static JsonObject Without(JsonObject json, string name)
        {
            json.Remove(name);
            return json;
        }

        private static HttpResponseMessage Json(string json) =>
            new(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/graphql-response+json") };
    }
}
