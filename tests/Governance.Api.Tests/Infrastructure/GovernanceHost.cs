using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Api.Tests.Infrastructure;

/// <summary>
/// The whole host (silo, GraphQL, token server, Hangfire) in-process over a real database. Each host
/// gets its own Orleans cluster id and ports so parallel hosts never join each other's cluster; two
/// hosts built on the same <see cref="HostSettings"/> share database and keys, as a restart would.
/// </summary>
public sealed class GovernanceHost(HostSettings settings) : WebApplicationFactory<Program>
{
    public const string PlatformClientId = "platform-admin";
    public const string PlatformSecret = "platform-test-secret";
    public const string OperatorUsername = "operator";
    public const string OperatorPassword = "operator-test-password";
    public const string ConsoleRedirectUri = "http://localhost/console/callback";

    public HostSettings Settings { get; } = settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Governance:ConnectionString", Settings.ConnectionString);
        builder.UseSetting("Governance:DataDirectory", Settings.DataDirectory);
        builder.UseSetting("Governance:Orleans:ClusterId", $"test-{Guid.NewGuid():N}");
        builder.UseSetting("Governance:Orleans:SiloPort", FreePorts.Next().ToString());
        builder.UseSetting("Governance:Orleans:GatewayPort", FreePorts.Next().ToString());
        builder.UseSetting("Governance:Tokens:Issuer", "http://localhost/");
        builder.UseSetting("Governance:Tokens:ConsoleRedirectUris:0", ConsoleRedirectUri);
        builder.UseSetting("Governance:Platform:ClientSecret", PlatformSecret);
        builder.UseSetting("Governance:Platform:AdminPassword", OperatorPassword);
        builder.UseSetting("Governance:Jobs:WorkerCount", "1");
        // Tests count checkpoints: the audit-checkpoints job runs when a test calls it, never on the clock.
        builder.UseSetting("Governance:Jobs:AuditCheckpointSchedule", Hangfire.Cron.Never());
        builder.UseSetting("Governance:Jobs:Schedules:clawback-checks", "never");
        builder.UseSetting("Governance:Jobs:Schedules:freshness", "never");
        builder.UseSetting("Governance:Jobs:Schedules:reconciliation", "never");
        builder.UseSetting("Governance:Jobs:Schedules:triggers", "never");
        // Webhook tests receive on a local http server and retry at once.
        builder.UseSetting("Governance:Webhooks:AllowInsecureLoopback", "true");
        builder.UseSetting("Governance:Webhooks:RetryDelaysSeconds:0", "0");
        builder.UseSetting("Governance:Webhooks:RetryDelaysSeconds:1", "0");
        builder.UseSetting("Governance:Jobs:Schedules:anomalies", "never");
        builder.UseSetting("Governance:Jobs:Schedules:reports", "never");
        foreach (var (key, value) in Settings.Extra)
        {
            builder.UseSetting(key, value);
        }

        if (Settings.Services is not null)
        {
            builder.ConfigureServices(Settings.Services);
        }
    }

    /// <summary>Where clients send requests: the in-memory server by default, a real address once the host listens on a port.</summary>
    public Uri BaseAddress { get; set; } = new("http://localhost");

    public HttpClient NewClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = BaseAddress });

    /// <summary>A client-credentials token, as an integration gets one.</summary>
    public async Task<string> GetTokenAsync(string clientId, string secret)
    {
        using var client = NewClient();
        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"token request failed: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["access_token"]!.GetValue<string>();
    }

    public Task<string> GetPlatformTokenAsync() => GetTokenAsync(PlatformClientId, PlatformSecret);

    /// <summary>Creates a tenant through the API as the platform operator; returns its integration client.</summary>
    public async Task<(string ClientId, string Secret)> CreateTenantAsync(string tenantId)
    {
        var response = await GraphQLAsync(await GetPlatformTokenAsync(),
            "mutation($input: CreateTenantInput!) { createTenant(input: $input) { integrationClient { clientId clientSecret } } }",
            new { input = new { id = tenantId, name = $"Tenant {tenantId}" } });
        response.AssertNoErrors();
        var client = response.Data!["createTenant"]!["integrationClient"]!;
        return (client["clientId"]!.GetValue<string>(), client["clientSecret"]!.GetValue<string>());
    }

    /// <summary>Creates a tenant and returns a token of its integration client.</summary>
    public async Task<string> NewTenantTokenAsync(string tenantId)
    {
        var (clientId, secret) = await CreateTenantAsync(tenantId);
        return await GetTokenAsync(clientId, secret);
    }

    /// <summary>
    /// A token of a new client of the tenant with the given roles; each call is another subject. Test
    /// setup: quicker than a person's sign-in, and the token carries subject, tenant and roles the same way.
    /// </summary>
    public async Task<string> NewRoleTokenAsync(string tenantId, params string[] roles)
    {
        var clientId = $"{tenantId}-test-{Guid.NewGuid():N}"[..40];
        const string secret = "role-client-test-secret";
        using (var scope = Services.CreateScope())
        {
            var provisioning = scope.ServiceProvider.GetRequiredService<Governance.Api.Tenants.TenantProvisioning>();
            Assert.True(await provisioning.EnsureClientAsync(clientId, secret, tenantId, roles, "test", CancellationToken.None));
        }

        return await GetTokenAsync(clientId, secret);
    }

    /// <summary>Adds a person to a tenant directly. Test setup: quicker than createUser, which has its own tests.</summary>
    public async Task AddUserAsync(string tenantId, string username, string password, params string[] roles)
    {
        using var scope = Services.CreateScope();
        var provisioning = scope.ServiceProvider.GetRequiredService<Governance.Api.Tenants.TenantProvisioning>();
        Assert.True(await provisioning.EnsureUserAsync(tenantId, username, username, password, roles, "test", CancellationToken.None));
    }

    public async Task<GraphQLResponse> GraphQLAsync(string? token, string query, object? variables = null)
    {
        using var client = NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = JsonContent.Create(new { query, variables }),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        return await GraphQLResponse.ReadAsync(response);
    }
}

/// <summary>What a host is built on; reuse it to restart a host over the same database and keys.</summary>
public sealed record HostSettings(string ConnectionString, string DataDirectory)
{
    public Dictionary<string, string> Extra { get; init; } = [];

    /// <summary>Extra service registrations, applied after the host's own (e.g. a log capture).</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? Services { get; init; }

    public static HostSettings For(TestDatabase database) =>
        new(database.ConnectionString, Directory.CreateTempSubdirectory("governance-test-").FullName);
}

public sealed record GraphQLResponse(HttpStatusCode Status, string ContentType, JsonObject Body)
{
    public JsonObject? Data => Body["data"] as JsonObject;

    public JsonArray Errors => Body["errors"] as JsonArray ?? [];

    public string? FirstErrorCode => Errors.FirstOrDefault()?["extensions"]?["code"]?.GetValue<string>();

    public static async Task<GraphQLResponse> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        JsonObject body;
        try
        {
            body = JsonNode.Parse(text) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            throw new InvalidOperationException($"Not JSON ({(int)response.StatusCode}): {text}");
        }

        return new GraphQLResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? "", body);
    }

    public void AssertNoErrors() =>
        Assert.True(Errors.Count == 0 && Status == HttpStatusCode.OK, $"{(int)Status}: {Body.ToJsonString()}");

    public override string ToString() => $"{(int)Status} {Body.ToJsonString()}";
}

public static class Json
{
    public static string Compact(object value) => JsonSerializer.Serialize(value);

    public static StringContent Body(string json, string mediaType = "application/json") => new(json, Encoding.UTF8, mediaType);
}
