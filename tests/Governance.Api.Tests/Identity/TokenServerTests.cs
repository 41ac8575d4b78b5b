using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Governance.Abstractions.Security;
using Governance.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Governance.Api.Tests.Identity;

[Collection(ApiCollection.Name)]
public sealed class TokenServerTests(ApiFixture fixture)
{
    private GovernanceHost Host => fixture.Host;

    [Fact]
    public async Task ShouldPublishTheDiscoveryDocument()
    {
        using var client = Host.NewClient();

        var discovery = JsonNode.Parse(await client.GetStringAsync("/.well-known/openid-configuration"))!;

        Assert.Equal("http://localhost/", discovery["issuer"]!.GetValue<string>());
        Assert.EndsWith("/connect/token", discovery["token_endpoint"]!.GetValue<string>());
        Assert.EndsWith("/connect/authorize", discovery["authorization_endpoint"]!.GetValue<string>());
        var grants = discovery["grant_types_supported"]!.AsArray().Select(g => g!.GetValue<string>()).ToList();
        Assert.Contains("client_credentials", grants);
        Assert.Contains("authorization_code", grants);
        Assert.Contains("S256", discovery["code_challenge_methods_supported"]!.AsArray().Select(m => m!.GetValue<string>()));
        var keys = JsonNode.Parse(await client.GetStringAsync(discovery["jwks_uri"]!.GetValue<string>()))!["keys"]!.AsArray();
        Assert.NotEmpty(keys);
    }

    [Fact]
    public async Task ShouldRefuseAWrongClientSecret()
    {
        var (clientId, _) = await Host.CreateTenantAsync(ApiFixture.NewTenantId());
        using var client = Host.NewClient();

        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = "not-the-secret",
        }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShouldStoreTheClientSecretOnlyHashed()
    {
        var (clientId, secret) = await Host.CreateTenantAsync(ApiFixture.NewTenantId());

        await using var connection = fixture.Database.Open();
        await using var command = new Npgsql.NpgsqlCommand(
            """select "ClientSecret" from token_server."OpenIddictApplications" where "ClientId" = $1""", connection);
        command.Parameters.Add(new() { Value = clientId });
        var stored = (string)(await command.ExecuteScalarAsync())!;

        Assert.DoesNotContain(secret, stored);
        Assert.True(stored.Length > secret.Length);
    }

    [Fact]
    public async Task ShouldSignAPersonInWithCodeAndPkce()
    {
        var tenantId = ApiFixture.NewTenantId();
        await Host.CreateTenantAsync(tenantId);
        await Host.AddUserAsync(tenantId, "ada", "correct horse", Roles.TenantAdmin, Roles.Auditor);

        var token = await new CodeFlow(Host).SignInAsync(tenantId, "ada", "correct horse");

        var viewer = await Host.GraphQLAsync(token, "{ viewer { tenantId roles } }");
        viewer.AssertNoErrors();
        Assert.Equal(tenantId, viewer.Data!["viewer"]!["tenantId"]!.GetValue<string>());
        Assert.Equal(["auditor", "tenant-admin"], viewer.Data["viewer"]!["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task ShouldRefuseACodeRedeemedWithTheWrongVerifier()
    {
        var flow = new CodeFlow(Host);
        var code = await flow.SignInForCodeAsync(Roles.PlatformTenant, GovernanceHost.OperatorUsername, GovernanceHost.OperatorPassword);

        var (status, body) = await flow.RedeemAsync(code, verifier: new CodeFlow(Host).Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShouldRefuseAWrongPasswordWithoutSayingWhichPartWasWrong()
    {
        using var browser = new Browser(Host);

        async Task<(HttpStatusCode, string)> TryAsync(string tenant, string username, string password)
        {
            using var response = await browser.SignInAsync(tenant, username, password);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        var (wrongPasswordStatus, wrongPassword) = await TryAsync(Roles.PlatformTenant, GovernanceHost.OperatorUsername, "guess");
        var (unknownUserStatus, unknownUser) = await TryAsync(Roles.PlatformTenant, "nobody", "guess");

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPasswordStatus);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownUserStatus);
        Assert.Contains("Unknown organisation, username or password.", wrongPassword);
        Assert.Contains("Unknown organisation, username or password.", unknownUser);
    }

    [Fact]
    public async Task ShouldAnswer401WithoutAToken()
    {
        using var client = Host.NewClient();

        using var response = await client.PostAsync("/graphql", Json.Body("""{"query":"{ viewer { tenantId } }"}"""));
        var body = await GraphQLResponse.ReadAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("UNAUTHENTICATED", body.FirstErrorCode);
        Assert.Null(body.Data);
    }

    [Fact]
    public async Task ShouldAnswer401ForATamperedToken()
    {
        var token = await Host.NewTenantTokenAsync(ApiFixture.NewTenantId());
        var parts = token.Split('.');
        // Claim another tenant in the payload and keep the original signature.
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
        payload["tenant"] = "someone-else";
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";

        var response = await Host.GraphQLAsync(tampered, "{ viewer { tenantId } }");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("UNAUTHENTICATED", response.FirstErrorCode);
    }

    [Fact]
    public async Task ShouldAnswer401ForAnExpiredTokenSignedWithTheRightKey()
    {
        var now = DateTime.UtcNow;
        var fresh = SignWithHostKey(now.AddMinutes(-1), now.AddMinutes(5));
        var expired = SignWithHostKey(now.AddHours(-2), now.AddHours(-1));

        var accepted = await Host.GraphQLAsync(fresh, "{ viewer { tenantId } }");
        var refused = await Host.GraphQLAsync(expired, "{ viewer { tenantId } }");

        // The fresh twin proves the forged token is well-made: only its expiry differs.
        accepted.AssertNoErrors();
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("UNAUTHENTICATED", refused.FirstErrorCode);
    }

    [Fact]
    public async Task ShouldAnswer401ForASignedTokenThatNamesNoTenant()
    {
        var now = DateTime.UtcNow;

        var response = await Host.GraphQLAsync(SignWithHostKey(now.AddMinutes(-1), now.AddMinutes(5), tenant: null), "{ viewer { tenantId } }");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("UNAUTHENTICATED", response.FirstErrorCode);
    }

    [Fact]
    public async Task ShouldAnswer403WhenTheRoleDoesNotAllowTheField()
    {
        var integration = await Host.NewTenantTokenAsync(ApiFixture.NewTenantId());

        var response = await Host.GraphQLAsync(integration,
            "mutation { createTenant(input: {id: \"not-allowed\", name: \"x\"}) { tenant { id } } }");

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("ACCESS_DENIED", response.FirstErrorCode);
        Assert.Contains("platform-admin", response.Errors[0]!["message"]!.GetValue<string>());
        Assert.Null(await Host.Services.GetRequiredService<Governance.Storage.Tenants.TenantStore>().FindTenantAsync("not-allowed"));
    }

    private string SignWithHostKey(DateTime notBefore, DateTime expires, string? tenant = "forged-tenant")
    {
        var path = Path.Combine(Host.Settings.DataDirectory, "keys", "token-signing.pfx");
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, null);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "http://localhost/",
            TokenType = "at+jwt",
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires,
            Subject = new ClaimsIdentity(new[] { new Claim("sub", "forged"), new Claim("role", Roles.Auditor) }
                .Concat(tenant is null ? [] : [new Claim("tenant", tenant)])),
            SigningCredentials = new X509SigningCredentials(certificate),
        });
    }
}
