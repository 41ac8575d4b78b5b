using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Governance.Benchmarks.Infrastructure;

/// <summary>What a benchmark needs of the API besides the ingest itself: tokens, tenants, small GraphQL calls.</summary>
public sealed class GovernanceClient(HttpClient http)
{
    public HttpClient Http => http;

    public async Task<string> GetTokenAsync(string clientId, string secret)
    {
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Token request for {clientId} failed: {(int)response.StatusCode} {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>Creates a tenant as the platform operator; returns its integration client.</summary>
    public async Task<TenantClient> CreateTenantAsync(string platformToken, string tenantId)
    {
        var data = await GraphQLAsync(platformToken,
            "mutation($input: CreateTenantInput!) { createTenant(input: $input) { integrationClient { clientId clientSecret } } }",
            w =>
            {
                w.WriteStartObject("input");
                w.WriteString("id", tenantId);
                w.WriteString("name", $"Benchmark {tenantId}");
                w.WriteEndObject();
            });
        var client = data.GetProperty("createTenant").GetProperty("integrationClient");
        var clientId = client.GetProperty("clientId").GetString()!;
        var secret = client.GetProperty("clientSecret").GetString()!;
        return new TenantClient(tenantId, clientId, secret, await GetTokenAsync(clientId, secret));
    }

    /// <summary>Runs an operation; <paramref name="variables"/> writes the members of the variables object.</summary>
    public async Task<JsonElement> GraphQLAsync(string token, string query, Action<Utf8JsonWriter>? variables = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("query", query);
            if (variables is not null)
            {
                writer.WriteStartObject("variables");
                variables(writer);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new ByteArrayContent(buffer.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        using var json = JsonDocument.Parse(body);
        if (!response.IsSuccessStatusCode || json.RootElement.TryGetProperty("errors", out _))
        {
            throw new InvalidOperationException($"GraphQL call failed: {(int)response.StatusCode} {Truncate(Encoding.UTF8.GetString(body))}");
        }

        return json.RootElement.GetProperty("data").Clone();
    }

    public static string Truncate(string text, int length = 2_000) => text.Length <= length ? text : text[..length] + " …";
}

/// <summary>A tenant's integration client and a token for it.</summary>
public sealed record TenantClient(string TenantId, string ClientId, string ClientSecret, string Token);
